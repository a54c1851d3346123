"""The initial texts: loaded once, complete enough, marked as drafts for the legal team."""

import pytest

from legal.initial import INITIAL, load_initial_documents
from legal.models import LegalDocument
from legal.selectors import document_current
from tests.factories import published_document, stub_pdf_renderer

pytestmark = pytest.mark.django_db


def test_loads_five_documents_once():
    first = load_initial_documents(pdf_renderer=stub_pdf_renderer)
    second = load_initial_documents(pdf_renderer=stub_pdf_renderer)
    assert {(d.kind, d.language) for d in first} == {
        ("privacy", "de"),
        ("asb", "de"),
        ("imprint", "de"),
        ("privacy", "en"),
        ("asb", "en"),
    }
    assert [d.pk for d in first] == [d.pk for d in second]
    assert LegalDocument.objects.count() == len(INITIAL) == 5
    assert all(d.version == 1 and d.is_published for d in first)


def test_loader_leaves_documents_published_by_the_legal_team_alone():
    own = published_document(kind="asb", language="de", title="Von der Rechtsabteilung")
    docs = load_initial_documents(pdf_renderer=stub_pdf_renderer)
    assert own in docs
    assert LegalDocument.objects.filter(kind="asb", language="de").count() == 1


def test_initial_texts_are_marked_as_drafts_for_the_legal_team():
    for doc in load_initial_documents(pdf_renderer=stub_pdf_renderer):
        assert "Rechtsabteilung" in doc.change_summary or "legal department" in doc.change_summary
        assert "Entwurfstext" in doc.body or "Draft text" in doc.body


def test_all_initial_documents_are_current_and_render_real_pdfs():
    docs = load_initial_documents()
    for doc in docs:
        assert document_current(kind=doc.kind, language=doc.language) == doc
        assert bytes(LegalDocument.objects.get(pk=doc.pk).pdf).startswith(b"%PDF-")
    imprint = document_current(kind="imprint", language="en")
    assert imprint is not None and imprint.language == "de"  # German binding


def _body(kind, language):
    docs = load_initial_documents(pdf_renderer=stub_pdf_renderer)
    return next(d for d in docs if (d.kind, d.language) == (kind, language)).body


@pytest.mark.parametrize(
    "needle",
    [
        "Verantwortlicher",
        "Lenze SE",
        "Zwecke",
        "Rechtsgrundlage",
        "Empfänger",
        "TeamViewer",
        "Speicherdauer",
        "acht Jahre",
        "Ihre Rechte",
        "Art. 15 DSGVO",
        "Widerspruch",
        "Cookies",
        "technisch notwendige",
        # the privacy section of the client's page, verbatim
        "Wir erhalten bis zum Aufbau der Remote-Verbindung keine weitergehenden Informationen",
        "die verantwortliche Stelle im datenschutzrechtlichen Sinne",
    ],
)
def test_german_privacy_notice_covers_the_usual_sections(needle):
    assert needle in _body("privacy", "de")


@pytest.mark.parametrize(
    "needle",
    [
        "Geltungsbereich",
        "§ 14 BGB",
        "kostenpflichtig bestellen",
        "100,00 €",
        "25,00 €",
        "angefangenem 15-Minuten-Takt",
        "Field-Service",
        "gesonderte Bestätigung",
        "Vertragssprache ist Deutsch",
        "TeamViewer",
        "Haftung",
        "Datenschutz",
        "Anwendbares Recht",
    ],
)
def test_german_asb_covers_the_required_clauses(needle):
    assert needle in _body("asb", "de")


def test_imprint_names_lenze_se_and_english_texts_exist():
    assert "Lenze SE" in _body("imprint", "de") and "§ 5 DDG" in _body("imprint", "de")
    assert "German version of these ASB prevails" in _body("asb", "en")
    assert "Order with obligation to pay" in _body("asb", "en")
    assert "Right to object" in _body("privacy", "en")
