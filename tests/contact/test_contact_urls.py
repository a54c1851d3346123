import pytest
from django.urls import resolve, reverse, translate_url
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_url_names_resolve_per_language():
    with translation.override("de"):
        assert reverse("contact:form") == "/kontakt/"
        assert reverse("contact:thanks") == "/kontakt/danke/"
    with translation.override("en"):
        assert reverse("contact:form") == "/en/contact/"
        assert reverse("contact:thanks") == "/en/contact/thank-you/"


def test_language_switch_maps_the_contact_pages_onto_each_other():
    # As in a request: the path is resolved in the language it is written in.
    with translation.override("de"):
        assert translate_url("/kontakt/", "en") == "/en/contact/"
        assert translate_url("/kontakt/danke/", "en") == "/en/contact/thank-you/"
    with translation.override("en"):
        assert translate_url("/en/contact/", "de") == "/kontakt/"


def test_contact_page_links_its_english_counterpart(client):
    html = client.get("/kontakt/").content.decode()
    assert 'href="/en/contact/" hreflang="en"' in html


def test_english_path_does_not_exist_without_prefix(client):
    assert client.get("/contact/").status_code == 404
    assert resolve("/kontakt/").view_name == "contact:form"


def test_footer_links_the_contact_form_on_every_page(client):
    assert 'href="/kontakt/">Kontakt</a>' in client.get("/").content.decode()
    assert 'href="/en/contact/">Contact</a>' in client.get("/en/").content.decode()


def test_form_links_the_privacy_notice_when_it_exists(client):
    try:
        with translation.override("de"):
            privacy_url = reverse("legal:privacy")
    except Exception:  # the legal app may not provide it yet
        pytest.skip("legal:privacy does not resolve")
    html = client.get("/kontakt/").content.decode()
    assert f'href="{privacy_url}"' in html
