"""On PostgreSQL the database itself refuses to change or delete a published version."""

import threading

import pytest
from django.db import DatabaseError, connection, connections, transaction

from legal.models import LegalDocument
from legal.services import document_publish
from tests.factories import LegalDocumentFactory, published_document, stub_pdf_renderer


@pytest.mark.django_db
@pytest.mark.postgres
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE legal_legaldocument SET body = 'manipuliert' WHERE id = %s",
        "UPDATE legal_legaldocument SET published_at = NULL, version = NULL, sha256 = '' "
        "WHERE id = %s",
        "DELETE FROM legal_legaldocument WHERE id = %s",
    ],
)
def test_trigger_refuses_raw_update_and_delete_of_published_rows(on_postgres, sql):
    doc = published_document(kind="asb", body="Original")
    with (
        pytest.raises(DatabaseError, match="published and immutable"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [doc.pk])
    stored = LegalDocument.objects.get(pk=doc.pk)
    assert stored.body == "Original" and stored.is_published


@pytest.mark.django_db
@pytest.mark.postgres
def test_trigger_lets_drafts_change_and_go(on_postgres):
    draft = LegalDocumentFactory.create(body="alt")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE legal_legaldocument SET body = 'neu' WHERE id = %s", [draft.pk])
        assert cursor.rowcount == 1
        cursor.execute("DELETE FROM legal_legaldocument WHERE id = %s", [draft.pk])
        assert cursor.rowcount == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_concurrent_publications_get_consecutive_numbers(on_postgres):
    drafts = [LegalDocumentFactory.create(kind="privacy") for _ in range(4)]
    barrier = threading.Barrier(len(drafts))
    errors: list[BaseException] = []

    def publish(draft):
        try:
            barrier.wait()
            document_publish(document=draft, by=None, pdf_renderer=stub_pdf_renderer)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=publish, args=(d,)) for d in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    versions = LegalDocument.objects.order_by("version").values_list("version", flat=True)
    assert list(versions) == [1, 2, 3, 4]
