import re

import pytest
from django.core import mail

from orders.models import Order
from orders.texts import CONSENT_SENTENCE

pytestmark = pytest.mark.django_db


def url(token, lang="de"):
    return f"/auftrag/{token}/" if lang == "de" else f"/en/order/{token}/"


def test_order_page_shows_one_checkbox_one_button_and_prices(client, open_request):
    _request, token = open_request
    response = client.get(url(token))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('type="checkbox"') == 1
    assert html.count("<button") == 1
    assert re.search(r'<button type="submit"[^>]*>kostenpflichtig bestellen</button>', html)
    assert "Maschinenbau Muster GmbH" in html and "HD-4711" in html
    assert "100,00 €" in html and "25,00 €" in html
    assert "175,00 €" in html  # worked example: 35 min -> 3 blocks
    assert "19 % USt" in html
    assert '<meta name="robots" content="noindex">' in html
    # no other visible input than the checkbox
    inputs = re.findall(r"<input[^>]*>", html)
    types = [re.search(r'type="(\w+)"', i) for i in inputs]
    assert all(t is not None for t in types)
    assert {t.group(1) for t in types if t is not None} == {"hidden", "checkbox"}


def test_order_page_sends_no_store_and_has_no_inline_script(client, open_request):
    _request, token = open_request
    response = client.get(url(token))
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    html = response.content.decode()
    assert re.search(r"<script(?![^>]*src=)[^>]*>", html) is None
    assert " onclick=" not in html and " onsubmit=" not in html


def test_checkbox_label_is_the_clients_sentence_with_both_documents_linked(
    client, open_request, offer
):
    _request, token = open_request
    html = client.get(url(token)).content.decode()
    label = re.search(r'<label class="form-check-label" for="id_consent">(.*?)</label>', html, re.S)
    assert label is not None
    text = re.sub(r"<[^>]+>", "", label.group(1))
    assert text == str(CONSENT_SENTENCE)
    assert f'href="{offer["privacy"].get_absolute_url()}"' in label.group(1)
    assert f'href="{offer["asb"].get_absolute_url()}"' in label.group(1)
    assert offer["asb"].get_pdf_url() in html


def test_get_and_head_change_nothing(client, open_request):
    _request, token = open_request
    client.get(url(token))
    client.head(url(token))
    assert Order.objects.count() == 0


def test_submit_without_tick_orders_nothing_and_ties_error_to_checkbox(
    client, open_request, form_data
):
    _request, token = open_request
    response = client.post(url(token), form_data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-invalid="true"' in html and 'aria-describedby="consent-error"' in html
    assert "Bitte bestätigen Sie mit dem Häkchen" in html
    assert Order.objects.count() == 0


def test_submit_with_tick_places_order_and_redirects_to_success(
    client, open_request, form_data, django_capture_on_commit_callbacks
):
    _request, token = open_request
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(token), {**form_data, "consent": "on"})
    assert response.status_code == 303
    order = Order.objects.get()
    assert response["Location"] == f"/auftrag/{token}/erteilt/"
    success = client.get(response["Location"])
    html = success.content.decode()
    assert order.number in html
    assert order.asb_document.get_absolute_url() in html
    assert order.privacy_document.get_absolute_url() in html
    assert "TeamViewer" in html
    # only the helpdesk is told, never the customer
    assert [m.to for m in mail.outbox] == [["helpdesk@example.com"]]
    assert order.number in mail.outbox[0].subject


def test_reopening_the_link_after_ordering_shows_status_not_a_form(client, open_request, form_data):
    _request, token = open_request
    client.post(url(token), {**form_data, "consent": "on"})
    html = client.get(url(token)).content.decode()
    assert Order.objects.get().number in html
    assert "kostenpflichtig bestellen</button>" not in html
    again = client.post(url(token), {**form_data, "consent": "on"})
    assert again.status_code == 303
    assert Order.objects.count() == 1


def test_stale_versions_refuse_and_show_new_texts(client, open_request, form_data, offer):
    from tests.factories import published_document

    _request, token = open_request
    newer = published_document(kind="asb", title="ASB neu")
    response = client.post(url(token), {**form_data, "consent": "on"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "inzwischen aktualisiert" in html
    assert f'name="asb_version" value="{newer.pk}"' in html
    assert Order.objects.count() == 0


@pytest.mark.parametrize(
    "tamper",
    [{"asb_version": "abc"}, {"tariff_version": ""}, {"privacy_version": "99999999999"}],
)
def test_tampered_hidden_fields_give_400_and_order_nothing(client, open_request, form_data, tamper):
    _request, token = open_request
    response = client.post(url(token), {**form_data, "consent": "on", **tamper})
    assert response.status_code == 400
    assert Order.objects.count() == 0


@pytest.mark.parametrize(
    "token",
    ["x", "a" * 43, "a" * 500, "ä" * 43, "..%2F..%2Fetc", "%00" * 20, "a" * 42 + "!"],
)
def test_unknown_or_malformed_tokens_give_404_page_with_helpdesk(client, offer, token):
    response = client.get(f"/auftrag/{token}/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "helpdesk@example.com" in html
    if "%2F" not in token:  # a slash leaves the link's URL pattern: the site's 404
        assert "no-store" in response["Cache-Control"]


def test_expired_link_gives_410_and_orders_nothing(client, open_request, form_data):
    from datetime import timedelta

    from django.utils import timezone

    request, token = open_request
    request.created_at = timezone.now() - timedelta(days=20)
    request.expires_at = timezone.now() - timedelta(days=1)
    request.save()
    assert client.get(url(token)).status_code == 410
    response = client.post(url(token), {**form_data, "consent": "on"})
    assert response.status_code == 410
    assert "abgelaufen" in response.content.decode()
    assert Order.objects.count() == 0


def test_revoked_link_gives_410(client, open_request, form_data):
    from orders.services import support_request_revoke

    request, token = open_request
    support_request_revoke(support_request=request)
    response = client.post(url(token), {**form_data, "consent": "on"})
    assert response.status_code == 410
    assert "nicht mehr gültig" in response.content.decode()
    assert Order.objects.count() == 0


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_wrong_methods_are_refused_without_error(client, open_request, method):
    _request, token = open_request
    response = getattr(client, method)(url(token))
    assert response.status_code in (403, 405)
    assert Order.objects.count() == 0


def test_missing_csrf_token_is_refused(open_request, form_data):
    from django.test import Client

    _request, token = open_request
    client = Client(enforce_csrf_checks=True)
    response = client.post(url(token), {**form_data, "consent": "on"})
    assert response.status_code == 403
    assert Order.objects.count() == 0


def test_english_page_has_english_button_and_records_english_texts(client, open_request, form_data):
    _request, token = open_request
    html = client.get(url(token, "en")).content.decode()
    assert '<html lang="en">' in html
    assert ">Order with obligation to pay</button>" in html
    assert "German text is binding" in html  # only German documents published
    client.post(url(token, "en"), {**form_data, "consent": "on"})
    order = Order.objects.get()
    assert order.language == "en"
    assert order.button_label == "Order with obligation to pay"
    assert order.consent_text.startswith("I have")


def test_order_page_query_budget(client, open_request, django_assert_max_num_queries):
    _request, token = open_request
    # The link's request, then (offer not cached yet) privacy notice, ASB, tariff
    # and the next valid-from; a repeated view takes one (test_offer_cache.py).
    with django_assert_max_num_queries(5):
        assert client.get(url(token)).status_code == 200


def test_submit_query_budget(client, open_request, form_data, django_assert_max_num_queries):
    _request, token = open_request
    with django_assert_max_num_queries(11):
        assert client.post(url(token), {**form_data, "consent": "on"}).status_code == 303


def test_success_and_status_pages_query_budget(
    client, open_request, form_data, django_assert_max_num_queries
):
    _request, token = open_request
    client.post(url(token), {**form_data, "consent": "on"})
    with django_assert_max_num_queries(2):
        assert client.get(f"/auftrag/{token}/erteilt/").status_code == 200
    with django_assert_max_num_queries(2):
        assert client.get(url(token)).status_code == 200
    assert client.head(url(token)).status_code == 200
