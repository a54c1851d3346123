"""Public pages and PDFs: addresses, content, caching, 404s, query budgets."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tests.factories import STUB_PDF, LegalDocumentFactory, published_document
from tests.support.pages import page_html

pytestmark = pytest.mark.django_db


def test_current_asb_page_shows_title_version_stand_hash_pdf_and_versions(client):
    published_document(kind="asb", title="ASB alt")
    doc = published_document(kind="asb", title="ASB Remote-Support", body="## § 1 Geltung\n\nText")
    html = page_html(client, "/rechtliches/asb/")
    assert "<h1>ASB Remote-Support</h1>" in html
    assert "<h2>§ 1 Geltung</h2>" in html
    assert "Stand (gültig ab)" in html
    assert timezone.localtime(doc.valid_from).strftime("%Y") in html
    assert doc.sha256 in html
    assert 'href="/rechtliches/asb/v2.pdf"' in html
    assert 'href="/rechtliches/asb/v1/"' in html  # earlier version listed and linked
    assert "Maßgeblich ist der deutsche Text" not in html


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("/rechtliches/datenschutz/", "privacy"),
        ("/rechtliches/impressum/", "imprint"),
        ("/en/legal/privacy/", "privacy"),
        ("/en/legal/asb/", "asb"),
        ("/en/legal/imprint/", "imprint"),
    ],
)
def test_every_kind_has_a_stable_address_in_both_languages(client, url, kind):
    published_document(kind=kind, title=f"Titel {kind}")
    assert f"Titel {kind}" in page_html(client, url)


def test_english_page_without_english_version_shows_german_text_as_binding(client):
    published_document(kind="imprint", title="Impressum")
    html = client.get("/en/legal/imprint/").content.decode()
    assert '<html lang="en">' in html
    assert "The German text is binding." in html
    assert '<article class="legal-document" lang="de">' in html
    assert 'href="/rechtliches/impressum/v1.pdf"' in html


def test_english_version_is_shown_when_published(client):
    published_document(kind="asb", language="de", title="ASB")
    published_document(kind="asb", language="en", title="General Service Terms")
    html = client.get("/en/legal/asb/").content.decode()
    assert "General Service Terms" in html
    assert "German text is binding" not in html
    assert 'href="/en/legal/asb/v1.pdf"' in html


def test_every_version_has_its_permanent_page(client):
    v1 = published_document(kind="privacy", title="Fassung eins")
    published_document(kind="privacy", title="Fassung zwei")
    html = page_html(client, v1.get_absolute_url())
    assert "Fassung eins" in html
    assert "nicht die aktuell gültige Version" in html
    assert 'href="/rechtliches/datenschutz/v2/"' in html


def test_version_page_language_switch_goes_to_the_other_languages_current_page(client):
    doc = published_document(kind="asb", language="de")
    html = client.get(doc.get_absolute_url()).content.decode()
    assert 'href="/en/legal/asb/" hreflang="en"' in html


def test_upcoming_version_says_when_it_comes_into_force(client):
    published_document(kind="asb")
    upcoming = published_document(kind="asb", valid_from=timezone.now() + timedelta(days=10))
    assert client.get("/rechtliches/asb/").context["document"].version == 1
    html = client.get(upcoming.get_absolute_url()).content.decode()
    assert "tritt am" in html and "in Kraft" in html


def test_page_is_harmless_whatever_the_body(client):
    published_document(
        kind="asb",
        body='<script>alert(1)</script><img src="https://evil.example/x.png" onerror="alert(2)">'
        "[x](javascript:alert(3))",
    )
    html = client.get("/rechtliches/asb/").content.decode()
    assert "alert(" not in html
    assert "evil.example" not in html
    assert "javascript:" not in html


def test_stored_html_is_sanitised_again_when_shown(client):
    doc = published_document(kind="asb")
    # a row written past the app (SQLite has no trigger) still cannot inject a script
    if connection.vendor == "postgresql":
        pytest.skip("the trigger refuses this update on PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE legal_legaldocument SET body_html = %s WHERE id = %s",
            ["<p>ok</p><script>alert(1)</script>", doc.pk],
        )
    html = client.get("/rechtliches/asb/").content.decode()
    assert "<p>ok</p>" in html and "alert(1)" not in html


def test_pages_may_be_cached_briefly(client):
    doc = published_document(kind="asb")
    current = client.get("/rechtliches/asb/")
    assert "public" in current["Cache-Control"] and "max-age=300" in current["Cache-Control"]
    version = client.get(doc.get_absolute_url())
    assert "max-age=3600" in version["Cache-Control"]


def test_pdf_is_served_with_strong_etag_file_name_and_long_cache(client):
    doc = published_document(kind="asb")
    response = client.get(doc.get_pdf_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content == STUB_PDF
    assert response["ETag"] == f'"{doc.sha256}"'
    assert response["Content-Disposition"] == 'attachment; filename="Lenze-ASB-de-v1.pdf"'
    cache = response["Cache-Control"]
    assert "public" in cache and "max-age=31536000" in cache and "immutable" in cache


def test_pdf_answers_304_to_a_matching_etag(client):
    doc = published_document(kind="privacy", language="en")
    response = client.get(doc.get_pdf_url(), HTTP_IF_NONE_MATCH=f'"{doc.sha256}"')
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == f'"{doc.sha256}"'
    assert client.get(doc.get_pdf_url(), HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_pdf_file_names_are_meaningful():
    assert published_document(kind="privacy", language="en").pdf_filename == (
        "Lenze-Privacy-Notice-en-v1.pdf"
    )
    assert published_document(kind="imprint").pdf_filename == "Lenze-Impressum-de-v1.pdf"


@pytest.mark.parametrize(
    "url",
    [
        "/rechtliches/asb/v2/",  # does not exist
        "/rechtliches/asb/v2.pdf",
        "/rechtliches/asb/v0/",
        "/rechtliches/asb/v01/",
        "/rechtliches/asb/v-1/",
        "/rechtliches/asb/vabc/",
        "/rechtliches/asb/v1.5/",
        "/rechtliches/asb/v99999999999999999999/",
        "/rechtliches/asb/v99999999999999999999.pdf",
        "/rechtliches/asb/v999999999/",
        "/rechtliches/asb/1/",
        "/rechtliches/agb/",
        "/en/legal/asb/v1/",  # the English ASB has no version 1
        "/en/rechtliches/asb/",
        "/legal/asb/",
    ],
)
def test_unknown_or_malformed_versions_give_the_404_page(client, url):
    published_document(kind="asb")
    response = client.get(url)
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode() or "Page not found" in (
        response.content.decode()
    )


def test_drafts_are_never_reachable(client):
    published_document(kind="asb")
    draft = LegalDocumentFactory.create(kind="asb", title="GEHEIMER ENTWURF")
    assert "GEHEIMER ENTWURF" not in client.get("/rechtliches/asb/").content.decode()
    assert client.get("/rechtliches/asb/v2/").status_code == 404
    assert client.get("/rechtliches/asb/v2.pdf").status_code == 404
    assert draft.version is None


def test_no_current_version_gives_404(client):
    LegalDocumentFactory.create(kind="imprint")
    assert client.get("/rechtliches/impressum/").status_code == 404


def test_pages_refuse_writes(client):
    doc = published_document(kind="asb")
    assert client.head("/rechtliches/asb/").status_code == 200
    assert client.post("/rechtliches/asb/").status_code in (403, 405)
    assert client.post(doc.get_pdf_url()).status_code in (403, 405)


def test_footer_links_the_current_documents_on_every_page(client):
    published_document(kind="asb")
    for url in ("/", "/rechtliches/asb/", "/en/"):
        html = client.get(url).content.decode()
        prefix = "/en/legal/" if url.startswith("/en/") else "/rechtliches/"
        imprint, privacy = (
            ("imprint", "privacy") if "/en/" in prefix else ("impressum", "datenschutz")
        )
        for slug in (imprint, privacy, "asb"):
            assert f'href="{prefix}{slug}/"' in html


@pytest.mark.parametrize("language", ["de", "en"])
def test_document_pages_stay_within_a_fixed_query_budget(
    client, django_assert_max_num_queries, language
):
    for _ in range(5):
        published_document(kind="asb", language="de")
    prefix = "/en/legal" if language == "en" else "/rechtliches"
    # First view: current (with the English fallback to German: one more), the
    # version list, the next valid-from (cache expiry) and the text.
    with django_assert_max_num_queries(5):
        assert client.get(f"{prefix}/asb/").status_code == 200
    # Later views reuse the cached version, list and rendered text.
    with django_assert_max_num_queries(0):
        assert client.get(f"{prefix}/asb/").status_code == 200
    # the version; the current one for the notice and the version list, the next
    # valid-from and the text unless cached
    with django_assert_max_num_queries(5):
        assert client.get("/rechtliches/asb/v3/").status_code == 200
    with django_assert_max_num_queries(1):
        assert client.get("/rechtliches/asb/v3/").status_code == 200
    with django_assert_max_num_queries(1):
        assert client.get("/rechtliches/asb/v3.pdf").status_code == 200
    # a published PDF never changes: served from the cache afterwards
    with django_assert_max_num_queries(0):
        assert client.get("/rechtliches/asb/v3.pdf").status_code == 200
