import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # Rate-limit counters live in the cache; each test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def contact_data() -> dict[str, str]:
    return {
        "name": "Erika Mustermann",
        "company": "Muster Maschinenbau GmbH",
        "email": "erika@muster.example",
        "phone": "+49 5154 123-45",
        "reference": "RS-2026-00042",
        "message": "Der Antrieb meldet Fehler F0815. Bitte um Rückruf.",
        "website": "",
    }
