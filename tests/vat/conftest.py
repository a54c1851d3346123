from tests.vat.support import fake_vies_fixture, vies_worker_fixture  # noqa: F401
