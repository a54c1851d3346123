"""Which version is current, and which versions are listed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from legal.selectors import document_current, document_versions
from tests.factories import LegalDocumentFactory, published_document

pytestmark = pytest.mark.django_db


def test_current_is_the_newest_published_version_in_force():
    published_document(kind="asb")
    v2 = published_document(kind="asb")
    published_document(kind="privacy")
    LegalDocumentFactory.create(kind="asb")  # a newer draft is never current
    assert document_current(kind="asb", language="de") == v2


def test_a_version_published_ahead_of_time_becomes_current_by_itself():
    now = timezone.now()
    v1 = published_document(kind="asb")
    v2 = published_document(kind="asb", valid_from=now + timedelta(days=7))
    assert document_current(kind="asb", language="de") == v1
    assert document_current(kind="asb", language="de", at=now + timedelta(days=7)) == v2
    assert document_current(kind="asb", language="de", at=now + timedelta(days=8)) == v2


def test_asking_about_the_past_ignores_later_publications():
    v1 = published_document(kind="asb", valid_from=timezone.now() - timedelta(days=30))
    assert v1.published_at is not None
    assert (
        document_current(kind="asb", language="de", at=v1.published_at - timedelta(days=1)) is None
    )


def test_nothing_published_means_no_current_version():
    LegalDocumentFactory.create(kind="imprint")
    assert document_current(kind="imprint", language="de") is None
    assert document_current(kind="imprint", language="en") is None


def test_english_falls_back_to_german():
    german = published_document(kind="imprint", language="de")
    doc = document_current(kind="imprint", language="en")
    assert doc == german
    assert doc.language != "en"  # the caller shows "the German text is binding"


def test_english_version_wins_once_in_force():
    published_document(kind="asb", language="de")
    english = published_document(kind="asb", language="en")
    published_document(kind="asb", language="en", valid_from=timezone.now() + timedelta(days=1))
    assert document_current(kind="asb", language="en") == english


def test_versions_list_newest_first_without_drafts_or_other_languages():
    v1 = published_document(kind="privacy")
    v2 = published_document(kind="privacy", valid_from=timezone.now() + timedelta(days=3))
    published_document(kind="privacy", language="en")
    LegalDocumentFactory.create(kind="privacy")
    assert list(document_versions(kind="privacy", language="de")) == [v2, v1]


def test_current_version_does_not_load_the_pdf(django_assert_num_queries):
    published_document(kind="asb")
    with django_assert_num_queries(1):
        doc = document_current(kind="asb", language="de")
    assert doc is not None and "pdf" in doc.get_deferred_fields()
