"""Admin for the "Legal" group: drafts, preview, publication, new draft from a version.

Published versions are shown read-only with no delete; publishing goes through
``legal.services.document_publish`` after a confirmation page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from legal import rendering, selectors, services
from legal.errors import LegalError
from legal.models import LegalDocument
from legal.views import render_document_page
from lenze_support.http import mark_personal

CONTENT_FIELDS = ("kind", "language", "title", "valid_from", "change_summary", "body")
RECORD_FIELDS = ("version", "published_at", "published_by", "fingerprint", "pdf_link")
ORIGIN_FIELDS = ("based_on", "created_by", "created_at")


class StatusFilter(admin.SimpleListFilter):
    title = _("Status")
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("draft", _("Entwurf")), ("published", _("veröffentlicht"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "draft":
            return queryset.filter(published_at__isnull=True)
        if self.value() == "published":
            return queryset.filter(published_at__isnull=False)
        return queryset


@admin.register(LegalDocument)
class LegalDocumentAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "kind",
        "language",
        "version_label",
        "valid_from",
        "published_at",
        "hash_short",
    )
    list_display_links = ("title",)
    list_filter = (StatusFilter, "kind", "language")
    search_fields = ("title", "sha256")
    ordering = ("kind", "language", "-published_at", "-created_at")
    date_hierarchy = "valid_from"
    change_form_template = "admin/legal/legaldocument/change_form.html"
    fieldsets = (
        (None, {"fields": CONTENT_FIELDS}),
        (_("Veröffentlichung"), {"fields": RECORD_FIELDS}),
        (_("Herkunft"), {"fields": ORIGIN_FIELDS, "classes": ("collapse",)}),
    )

    # --- list ---------------------------------------------------------------

    @admin.display(description=_("Version"), ordering="version")
    def version_label(self, obj: LegalDocument) -> str:
        return str(obj.version) if obj.version is not None else gettext("Entwurf")

    @admin.display(description=_("SHA-256"))
    def hash_short(self, obj: LegalDocument) -> str:
        if not obj.sha256:
            return self.get_empty_value_display()
        return format_html('<code title="{}">{}…</code>', obj.sha256, obj.short_hash)

    @admin.display(description=_("Fingerabdruck (SHA-256)"))
    def fingerprint(self, obj: LegalDocument) -> str:
        if not obj.sha256:
            return self.get_empty_value_display()
        return format_html("<code>{}</code>", obj.sha256)

    @admin.display(description=_("PDF"))
    def pdf_link(self, obj: LegalDocument) -> str:
        if not obj.is_published:
            return gettext("wird bei der Veröffentlichung erzeugt")
        return format_html('<a href="{}">{}</a>', obj.get_pdf_url(), obj.pdf_filename)

    def get_queryset(self, request: HttpRequest) -> QuerySet[LegalDocument]:
        # The PDF and the stored HTML are never shown here: leave them in the database.
        return super().get_queryset(request).defer("pdf", "body_html")

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # drafts are deleted one by one, published never
        return actions

    # --- permissions: published versions are read-only and undeletable ------

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        if obj is not None and obj.is_published:
            return CONTENT_FIELDS + RECORD_FIELDS + ORIGIN_FIELDS
        return RECORD_FIELDS + ORIGIN_FIELDS

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_published:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_published:
            return False
        return super().has_delete_permission(request, obj)

    def view_on_site(self, obj: LegalDocument) -> str | None:  # type: ignore[override]
        return obj.get_absolute_url() if obj.is_published else None

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        return {
            "valid_from": localtime().replace(second=0, microsecond=0),
            **super().get_changeform_initial_data(request),
        }

    def save_model(self, request: HttpRequest, obj: LegalDocument, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user  # type: ignore[assignment]  # staff only
        super().save_model(request, obj, form, change)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        extra_context = {
            **(extra_context or {}),
            "can_publish": request.user.has_perm("legal.publish_legaldocument"),
            "can_add": self.has_add_permission(request),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    # --- extra views: preview, publish, new draft ---------------------------

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/preview/", wrap(self.preview_view), name="legal_legaldocument_preview"),
            path("<int:pk>/publish/", wrap(self.publish_view), name="legal_legaldocument_publish"),
            path(
                "<int:pk>/new-draft/",
                wrap(self.new_draft_view),
                name="legal_legaldocument_new_draft",
            ),
            *super().get_urls(),
        ]

    def _get(self, request: HttpRequest, pk: int) -> LegalDocument:
        if not self.has_view_permission(request):
            raise PermissionDenied
        return get_object_or_404(LegalDocument, pk=pk)

    def preview_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The document as the customer will see it (drafts included), never cached."""
        document = self._get(request, pk)
        response = render_document_page(
            request,
            document,
            preview=True,
            is_current=True,
            body_html=(
                rendering.sanitise(document.body_html)
                if document.is_published
                else rendering.body_to_html(document.body)
            ),
            versions=selectors.document_versions(kind=document.kind, language=document.language),
        )
        mark_personal(response)  # a draft: never cached, never indexed
        return response

    def publish_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not request.user.has_perm("legal.publish_legaldocument"):
            raise PermissionDenied
        document = self._get(request, pk)
        change_url = reverse("admin:legal_legaldocument_change", args=[document.pk])
        if document.is_published:
            self.message_user(request, LegalError.ALREADY_PUBLISHED, messages.WARNING)
            return HttpResponseRedirect(change_url)
        if request.method == "POST":
            try:
                published = services.document_publish(document=document, by=request.user)
            except LegalError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.log_change(
                    request,
                    published,
                    f"published as version {published.version} (SHA-256 {published.sha256})",
                )
                self.message_user(
                    request,
                    gettext("%(doc)s veröffentlicht: %(url)s (SHA-256 %(hash)s).")
                    % {
                        "doc": published,
                        "url": published.get_absolute_url(),
                        "hash": published.sha256,
                    },
                    messages.SUCCESS,
                )
            return HttpResponseRedirect(change_url)
        next_version = selectors.document_next_version(
            kind=document.kind, language=document.language
        )
        return self._confirm(
            request,
            document,
            title=gettext("Version veröffentlichen"),
            question=gettext(
                "Nach der Veröffentlichung kann diese Version weder geändert noch gelöscht werden. "
                "Sie erhält die Nummer %(version)s und gilt ab %(valid_from)s."
            ),
            params={"version": next_version},
            button=gettext("Jetzt veröffentlichen"),
        )

    def new_draft_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        document = self._get(request, pk)
        if request.method == "POST":
            draft = services.document_draft_from(document=document, by=request.user)
            self.log_addition(request, draft, f"new draft from {document}")
            self.message_user(
                request,
                gettext("Neuer Entwurf aus %(doc)s angelegt. Bitte „gültig ab“ prüfen.")
                % {"doc": document},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(
                reverse("admin:legal_legaldocument_change", args=[draft.pk])
            )
        return self._confirm(
            request,
            document,
            title=gettext("Neuer Entwurf aus dieser Version"),
            question=gettext(
                "Es wird ein neuer Entwurf mit dem Text von %(doc)s angelegt. "
                "Die bestehende Version bleibt unverändert."
            ),
            params={},
            button=gettext("Entwurf anlegen"),
        )

    def _confirm(
        self,
        request: HttpRequest,
        document: LegalDocument,
        *,
        title: str,
        question: str,
        params: dict[str, Any],
        button: str,
    ) -> HttpResponse:
        params = {
            "doc": document,
            "valid_from": date_format(localtime(document.valid_from), "DATETIME_FORMAT"),
            **params,
        }
        return TemplateResponse(
            request,
            "admin/legal/legaldocument/confirm.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": document,
                "title": title,
                "question": question % params,
                "button": button,
                "preview_url": reverse("admin:legal_legaldocument_preview", args=[document.pk]),
            },
        )
