"""The admin for the "Legal" group: drafts, preview, publish, read-only versions."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from legal.models import LegalDocument
from tests.factories import LegalDocumentFactory, published_document
from tests.legal.conftest import legal_group

pytestmark = pytest.mark.django_db


def _change(doc):
    return reverse("admin:legal_legaldocument_change", args=[doc.pk])


def test_legal_group_has_the_document_permissions():
    codenames = set(Group.objects.get(name="Legal").permissions.values_list("codename", flat=True))
    assert codenames == {
        "view_legaldocument",
        "add_legaldocument",
        "change_legaldocument",
        "delete_legaldocument",
        "publish_legaldocument",
    }


def test_legal_staff_create_preview_and_publish_a_draft(client, legal_user, monkeypatch):
    from tests.factories import stub_pdf_renderer

    monkeypatch.setattr("legal.rendering.render_pdf", stub_pdf_renderer)
    client.force_login(legal_user)
    response = client.post(
        reverse("admin:legal_legaldocument_add"),
        {
            "kind": "asb",
            "language": "de",
            "title": "ASB Entwurf",
            "valid_from_0": "01.01.2026",
            "valid_from_1": "00:00:00",
            "change_summary": "Erste Fassung",
            "body": "## § 1\n\nText <script>alert(1)</script>",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    draft = LegalDocument.objects.get()
    assert draft.created_by == legal_user and not draft.is_published

    preview = client.get(reverse("admin:legal_legaldocument_preview", args=[draft.pk]))
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "Vorschau eines Entwurfs" in html and "<h2>§ 1</h2>" in html
    assert "alert(1)" not in html
    assert "no-store" in preview["Cache-Control"] or "max-age=0" in preview["Cache-Control"]

    publish_url = reverse("admin:legal_legaldocument_publish", args=[draft.pk])
    confirm = client.get(publish_url)
    assert confirm.status_code == 200
    assert "Nummer 1" in confirm.content.decode()
    draft.refresh_from_db()
    assert not draft.is_published  # GET changes nothing

    response = client.post(publish_url)
    assert response.status_code == 302 and response["Location"] == _change(draft)
    draft.refresh_from_db()
    assert draft.version == 1 and draft.published_by == legal_user
    entry = LogEntry.objects.get(object_id=str(draft.pk), action_flag=CHANGE)
    assert entry.user == legal_user and "published as version 1" in entry.get_change_message()


def test_published_version_is_read_only_and_undeletable_in_admin(admin_client):
    doc = published_document(kind="asb")
    page = admin_client.get(_change(doc))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="_save"' not in html  # view only
    assert 'name="body"' not in html
    assert doc.sha256 in html
    assert doc.get_pdf_url() in html
    post = admin_client.post(_change(doc), {"title": "geändert", "body": "x"})
    assert post.status_code == 403
    delete = admin_client.post(
        reverse("admin:legal_legaldocument_delete", args=[doc.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    doc.refresh_from_db()
    assert doc.title != "geändert"


def test_there_is_no_bulk_delete(admin_client):
    published_document(kind="asb")
    html = admin_client.get(reverse("admin:legal_legaldocument_changelist")).content.decode()
    assert "delete_selected" not in html


def test_changelist_shows_number_valid_from_and_hash(admin_client):
    doc = published_document(kind="asb", title="ASB Liste")
    LegalDocumentFactory.create(kind="asb", title="ASB Entwurf")
    html = admin_client.get(reverse("admin:legal_legaldocument_changelist")).content.decode()
    assert "ASB Liste" in html and "ASB Entwurf" in html
    assert doc.sha256[:12] in html
    assert "Entwurf" in html
    assert 'class="field-version_label">1<' in html
    assert "field-valid_from" in html


def test_new_draft_from_this_version(admin_client):
    doc = published_document(kind="privacy", body="Alter Text")
    url = reverse("admin:legal_legaldocument_new_draft", args=[doc.pk])
    assert admin_client.get(url).status_code == 200
    assert LegalDocument.objects.count() == 1
    response = admin_client.post(url)
    draft = LegalDocument.objects.exclude(pk=doc.pk).get()
    assert response["Location"] == _change(draft)
    assert draft.body == "Alter Text" and draft.based_on == doc and not draft.is_published
    assert 'name="_save"' in admin_client.get(_change(draft)).content.decode()


def test_draft_can_be_edited_and_deleted_in_admin(admin_client):
    draft = LegalDocumentFactory.create()
    response = admin_client.post(
        reverse("admin:legal_legaldocument_delete", args=[draft.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not LegalDocument.objects.exists()


def test_publishing_needs_the_publish_permission(client, django_user_model):
    editor = django_user_model.objects.create_user(username="ed", password="x", is_staff=True)
    group = Group.objects.create(name="Editors")
    group.permissions.set(legal_group().permissions.exclude(codename="publish_legaldocument"))
    editor.groups.add(group)
    draft = LegalDocumentFactory.create()
    client.force_login(editor)
    assert "legal-publish" not in client.get(_change(draft)).content.decode()
    url = reverse("admin:legal_legaldocument_publish", args=[draft.pk])
    assert client.post(url).status_code == 403
    draft.refresh_from_db()
    assert not draft.is_published


def test_render_failure_in_admin_shows_an_error_and_keeps_the_draft(admin_client, monkeypatch):
    def broken(document, *, body_html):
        raise OSError("no fonts")

    monkeypatch.setattr("legal.rendering.render_pdf", broken)
    draft = LegalDocumentFactory.create()
    url = reverse("admin:legal_legaldocument_publish", args=[draft.pk])
    response = admin_client.post(url, follow=True)
    assert "PDF konnte nicht erzeugt werden" in response.content.decode()
    draft.refresh_from_db()
    assert not draft.is_published


def test_customers_cannot_reach_the_preview(client):
    draft = LegalDocumentFactory.create()
    response = client.get(reverse("admin:legal_legaldocument_preview", args=[draft.pk]))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_add_form_starts_with_valid_from_now(admin_client):
    html = admin_client.get(reverse("admin:legal_legaldocument_add")).content.decode()
    assert timezone.localtime().strftime("%d.%m.%Y") in html
