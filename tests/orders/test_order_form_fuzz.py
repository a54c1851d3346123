"""Property tests of the order form (hypothesis).

Whatever a client posts to an order link, the answer is the success redirect
(only for the exact consent value and the versions shown), the page again (400
tampered, 409 stale, 200 box not ticked), never a 500, and never more than one
order per link.
"""

import pytest
from django import forms
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orders.models import Order, OrderEvent
from tests.factories import support_request

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
FIELDS = ("consent", "privacy_version", "asb_version", "tariff_version")

ids = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63),
    st.sampled_from(["{privacy}", "{asb}", "{tariff}"]),
    st.text(max_size=40),
)
consents = st.one_of(
    st.sampled_from(["on", "ON", " on ", "off", "0", "", "true"]), st.text(max_size=20)
)
posts = st.dictionaries(
    st.sampled_from(FIELDS),
    st.one_of(ids.map(str), consents),
    max_size=4,
)


def fill(data: dict, offer: dict) -> dict:
    values = {
        "{privacy}": str(offer["privacy"].pk),
        "{asb}": str(offer["asb"].pk),
        "{tariff}": str(offer["tariff"].pk),
    }
    return {k: values.get(v, v) for k, v in data.items()}


def shown_as(value: str | None) -> int | None:
    """The id Django's IntegerField reads from ``value`` ("+3", "3.0" and " 3 " are 3)."""
    try:
        return forms.IntegerField(min_value=1, max_value=2**31 - 1).clean(value)
    except forms.ValidationError:
        return None


@FUZZ
@given(data=posts)
def test_any_post_gives_an_order_only_for_consent_and_the_shown_versions(client, offer, data):
    cache.clear()  # rate limits are tested elsewhere
    _request, token = support_request()
    posted = fill(data, offer)
    response = client.post(f"/auftrag/{token}/", posted)
    assert response.status_code in (200, 303, 400, 409)
    ordered = Order.objects.filter(support_request=_request)
    exact = posted.get("consent", "").strip().lower() == "on" and all(
        shown_as(posted.get(f"{k}_version")) == offer[k].pk for k in ("privacy", "asb", "tariff")
    )
    if response.status_code == 303:
        assert ordered.count() == 1
        assert exact
    else:
        assert ordered.count() == 0
        assert not exact


@FUZZ
@given(first=posts, second=posts)
def test_two_posts_to_one_link_never_make_two_orders(client, offer, first, second):
    cache.clear()
    _request, token = support_request()
    for data in (
        first,
        second,
        {"consent": "on", **{f"{k}_version": "{" + k + "}" for k in ("privacy", "asb", "tariff")}},
    ):
        assert client.post(f"/auftrag/{token}/", fill(data, offer)).status_code in (
            200,
            303,
            400,
            409,
        )
    assert Order.objects.filter(support_request=_request).count() == 1
    assert OrderEvent.objects.filter(order__support_request=_request).count() == 1


@pytest.mark.parametrize("value", ["0", "off", "false", "no", "", "  ", "onn", "1"])
def test_only_the_ticked_box_value_counts_as_consent(client, offer, form_data, value):
    # Django's CheckboxInput alone takes any submitted value ("0", "off") as ticked.
    _request, token = support_request()
    response = client.post(f"/auftrag/{token}/", {**form_data, "consent": value})
    assert response.status_code == 200
    assert "Bitte bestätigen Sie mit dem Häkchen" in response.content.decode()
    assert Order.objects.count() == 0
    assert client.post(f"/auftrag/{token}/", {**form_data, "consent": "on"}).status_code == 303
