import pytest

from tests.factories import order_offer, support_request


@pytest.fixture
def offer(db):
    return order_offer()


@pytest.fixture
def open_request(offer):
    return support_request()


@pytest.fixture
def shown(offer):
    from orders.services import Shown

    return Shown(
        privacy_id=offer["privacy"].pk, asb_id=offer["asb"].pk, tariff_id=offer["tariff"].pk
    )


@pytest.fixture
def form_data(offer):
    return {
        "privacy_version": offer["privacy"].pk,
        "asb_version": offer["asb"].pk,
        "tariff_version": offer["tariff"].pk,
    }
