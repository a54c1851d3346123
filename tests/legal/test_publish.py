"""Publishing: numbering, fingerprint, stored HTML and PDF, and immutability afterwards."""

import hashlib
import re
import zlib
from datetime import timedelta

import pytest
from django.utils import timezone

from legal.errors import LegalError
from legal.models import LegalDocument
from legal.rendering import canonical_text
from legal.services import document_draft_from, document_publish
from tests.factories import STUB_PDF, LegalDocumentFactory, published_document, stub_pdf_renderer

pytestmark = pytest.mark.django_db


def test_publishing_assigns_numbers_per_kind_and_language(admin_user):
    asb_de_1 = published_document(kind="asb", language="de")
    asb_de_2 = published_document(kind="asb", language="de")
    asb_en_1 = published_document(kind="asb", language="en")
    privacy_de_1 = published_document(kind="privacy", language="de")
    assert [asb_de_1.version, asb_de_2.version] == [1, 2]
    assert asb_en_1.version == 1
    assert privacy_de_1.version == 1


def test_publishing_records_who_when_hash_html_and_pdf(admin_user):
    draft = LegalDocumentFactory.create(body="## Titel\n\nText <script>x()</script>")
    before = timezone.now()
    doc = document_publish(document=draft, by=admin_user, pdf_renderer=stub_pdf_renderer)
    doc = LegalDocument.objects.get(pk=doc.pk)
    assert doc.is_published
    assert doc.published_by == admin_user
    assert doc.published_at is not None and before <= doc.published_at <= timezone.now()
    assert doc.sha256 == hashlib.sha256(canonical_text(doc).encode()).hexdigest()
    assert "<h2>Titel</h2>" in doc.body_html and "<script" not in doc.body_html
    assert bytes(doc.pdf) == STUB_PDF
    # the caller's instance reflects the publication too
    assert draft.version == doc.version and draft.sha256 == doc.sha256


def test_publishing_normalises_what_the_fingerprint_covers():
    draft = LegalDocumentFactory.create(title="  ASB  ", body="a\r\nb\r\n")
    doc = document_publish(document=draft, by=None, pdf_renderer=stub_pdf_renderer)
    doc.refresh_from_db()
    assert doc.title == "ASB" and doc.body == "a\nb"
    assert doc.valid_from.microsecond == 0
    assert doc.sha256 == hashlib.sha256(canonical_text(doc).encode()).hexdigest()


def test_render_failure_leaves_the_draft_unpublished():
    draft = LegalDocumentFactory.create()

    def broken(document, *, body_html):
        raise RuntimeError("font missing")

    with pytest.raises(LegalError) as exc:
        document_publish(document=draft, by=None, pdf_renderer=broken)
    assert exc.value.message == LegalError.RENDER_FAILED
    draft.refresh_from_db()
    assert not draft.is_published
    assert draft.version is None and draft.sha256 == "" and bytes(draft.pdf) == b""
    # and it can be published once rendering works again
    assert document_publish(document=draft, by=None, pdf_renderer=stub_pdf_renderer).version == 1


def test_publishing_twice_is_refused():
    doc = published_document()
    with pytest.raises(LegalError) as exc:
        document_publish(document=doc, by=None, pdf_renderer=stub_pdf_renderer)
    assert exc.value.message == LegalError.ALREADY_PUBLISHED


def test_publishing_a_stale_copy_of_a_published_draft_is_refused():
    draft = LegalDocumentFactory.create()
    stale = LegalDocument.objects.get(pk=draft.pk)
    document_publish(document=draft, by=None, pdf_renderer=stub_pdf_renderer)
    with pytest.raises(LegalError):
        document_publish(document=stale, by=None, pdf_renderer=stub_pdf_renderer)
    assert LegalDocument.objects.published().count() == 1


def test_an_invalid_draft_is_not_published():
    draft = LegalDocumentFactory.create()
    LegalDocument.objects.filter(pk=draft.pk).update(title="")
    with pytest.raises(LegalError) as exc:
        document_publish(document=draft, by=None, pdf_renderer=stub_pdf_renderer)
    assert exc.value.message == LegalError.INVALID_DRAFT
    assert not LegalDocument.objects.published().exists()


def test_real_pdf_is_a4_tagged_with_dejavu_fonts_and_page_numbers():
    from legal.rendering import pdf_layout

    doc = published_document(kind="asb", real_pdf=True, body="## Haftung\n\n" + "Text. " * 900)
    raw = bytes(LegalDocument.objects.get(pk=doc.pk).pdf)
    assert raw.startswith(b"%PDF-")
    pdf = inflate_pdf(raw)
    assert b"/StructTreeRoot" in pdf  # tagged PDF
    assert b"DejaVu-Sans" in pdf  # the installed fonts, embedded
    assert b"/MediaBox [0 0 595.27" in pdf  # A4 in points
    stored = LegalDocument.objects.get(pk=doc.pk)  # body_html as a plain str from the database
    layout = pdf_layout(stored, body_html=stored.body_html)
    assert len(layout.pages) >= 2
    last = len(layout.pages)
    texts = [
        [box.text for box in page._page_box.descendants() if hasattr(box, "text")]
        for page in layout.pages
    ]
    assert f"Seite 1 von {last}" in texts[0]
    assert f"Seite {last} von {last}" in texts[-1]
    assert any(doc.title in t and "Lenze SE" in t for t in texts[1])  # running header
    assert any(f"Version {doc.version}" in t for t in texts[1])
    assert "Haftung" in texts[0]  # rendered as a heading, not shown as escaped markup
    assert not any("<h2>" in t for page in texts for t in page)


def test_english_pdf_says_page_x_of_y():
    from legal.rendering import pdf_layout

    doc = published_document(kind="privacy", language="en")
    layout = pdf_layout(doc, body_html=doc.body_html)
    texts = [box.text for box in layout.pages[0]._page_box.descendants() if hasattr(box, "text")]
    assert "Page 1 of 1" in texts


def inflate_pdf(raw: bytes) -> bytes:
    """The PDF with its compressed streams (objects, fonts, pages) inflated, to search."""
    parts = [raw]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", raw, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def test_published_versions_refuse_save_and_delete():
    doc = published_document()
    doc.body = "geändert"
    with pytest.raises(LegalError):
        doc.save()
    with pytest.raises(LegalError):
        doc.delete()
    fresh = LegalDocument.objects.get(pk=doc.pk)
    assert fresh.body != "geändert"


def test_a_stale_draft_instance_cannot_overwrite_the_published_row():
    draft = LegalDocumentFactory.create()
    stale = LegalDocument.objects.get(pk=draft.pk)
    document_publish(document=draft, by=None, pdf_renderer=stub_pdf_renderer)
    stale.body = "untergeschoben"
    with pytest.raises(LegalError):
        stale.save()
    with pytest.raises(LegalError):
        stale.delete()


def test_bulk_update_and_delete_refuse_published_rows():
    published_document()
    LegalDocumentFactory.create()
    with pytest.raises(LegalError):
        LegalDocument.objects.all().update(title="x")
    with pytest.raises(LegalError):
        LegalDocument.objects.all().delete()
    assert LegalDocument.objects.count() == 2
    # drafts alone may be changed and deleted
    assert LegalDocument.objects.drafts().update(title="neu") == 1
    LegalDocument.objects.drafts().delete()
    assert LegalDocument.objects.count() == 1


def test_drafts_are_editable_and_deletable():
    draft = LegalDocumentFactory.create()
    draft.body = "neu"
    draft.save()
    assert LegalDocument.objects.get(pk=draft.pk).body == "neu"
    draft.delete()
    assert not LegalDocument.objects.exists()


def test_new_draft_from_a_version_copies_its_text(admin_user):
    doc = published_document(kind="privacy", language="en", title="Privacy", body="Text")
    draft = document_draft_from(document=doc, by=admin_user)
    assert not draft.is_published
    assert (draft.kind, draft.language, draft.title, draft.body) == (
        "privacy",
        "en",
        "Privacy",
        "Text",
    )
    assert draft.based_on == doc and draft.created_by == admin_user
    assert abs(draft.valid_from - timezone.now()) < timedelta(minutes=1)
    assert (
        document_publish(document=draft, by=admin_user, pdf_renderer=stub_pdf_renderer).version == 2
    )


def test_urls_identify_kind_language_and_version():
    de = published_document(kind="asb", language="de")
    en = published_document(kind="privacy", language="en")
    imprint = published_document(kind="imprint")
    assert de.get_absolute_url() == "/rechtliches/asb/v1/"
    assert de.get_pdf_url() == "/rechtliches/asb/v1.pdf"
    assert en.get_absolute_url() == "/en/legal/privacy/v1/"
    assert en.get_pdf_url() == "/en/legal/privacy/v1.pdf"
    assert imprint.get_absolute_url() == "/rechtliches/impressum/v1/"
    with pytest.raises(ValueError, match="draft"):
        LegalDocumentFactory.create().get_absolute_url()
