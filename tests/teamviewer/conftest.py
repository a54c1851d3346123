import pytest


@pytest.fixture
def placed_order(offer, tv_fake, django_capture_on_commit_callbacks):
    """An order placed through the real service with the integration on; the
    open-case task is held back (not run) so each test decides."""
    from orders.services import Shown, order_place
    from tests.factories import support_request

    request, _token = support_request()
    shown = Shown(
        privacy_id=offer["privacy"].pk, asb_id=offer["asb"].pk, tariff_id=offer["tariff"].pk
    )
    with django_capture_on_commit_callbacks(execute=False):
        order = order_place(support_request=request, consent=True, shown=shown, language="de")
    return order
