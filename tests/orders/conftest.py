import pytest

from tests.factories import support_request


@pytest.fixture
def open_request(offer):
    return support_request()


@pytest.fixture
def shown(offer):
    from orders.services import Shown

    return Shown(
        privacy_id=offer["privacy"].pk, asb_id=offer["asb"].pk, tariff_id=offer["tariff"].pk
    )
