"""The remote sessions inline on an order's admin page: new rows only, checked
against each other here and against the saved ones by the model."""

from __future__ import annotations

import itertools
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from billing.models import RemoteSession, session_locked_message
from orders.errors import OrderError
from orders.models import OPEN_STATUSES


class RemoteSessionFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        new_rows = [
            form
            for form in self.forms
            if not form.instance.pk and getattr(form, "cleaned_data", None) and form.has_changed()
        ]
        if new_rows and self.instance.pk is not None:
            # The page may have been opened before a colleague completed or billed
            # the order: read its status now, and refuse plainly on this page.
            status = (
                type(self.instance)
                .objects.filter(pk=self.instance.pk)
                .values_list("status", flat=True)[0]
            )
            if status not in OPEN_STATUSES:
                raise ValidationError(session_locked_message(status))
        # The model checks overlaps against saved sessions; new rows of the same
        # submit must not overlap each other either.
        spans = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE") or form.instance.pk:
                continue
            if data.get("started_at") and data.get("ended_at"):
                spans.append((data["started_at"], data["ended_at"]))
        spans.sort()
        for (_start_a, end_a), (start_b, _end_b) in itertools.pairwise(spans):
            if start_b < end_a:
                raise ValidationError(OrderError.SESSION_OVERLAP)


class RemoteSessionInline(admin.TabularInline):
    model = RemoteSession
    formset = RemoteSessionFormSet
    extra = 1
    fields = [
        "started_at",
        "ended_at",
        "duration_minutes",
        "agent_name",
        "source",
        "supporter_name",
        "note",
        "void_state",
    ]
    readonly_fields = ["duration_minutes", "agent_name", "source", "supporter_name", "void_state"]
    can_delete = False
    ordering = ["started_at"]

    class Media:
        css = {"all": ["billing/admin.css"]}

    @admin.display(description=_("Dauer (Minuten)"))
    def duration_minutes(self, obj: RemoteSession) -> str:
        if obj.pk is None:
            return "-"
        return formats.localize(obj.minutes)

    @admin.display(description=_("Mitarbeiter"))
    def agent_name(self, obj: RemoteSession) -> str:
        if obj.pk is None:
            return "-"
        if obj.agent is None:
            return obj.supporter_name or "-"
        return obj.agent.get_full_name() or obj.agent.get_username()

    @admin.display(description=_("Storno"))
    def void_state(self, obj: RemoteSession) -> str:
        if obj.pk is None:
            return ""
        if obj.voided_at is not None:
            by = obj.voided_by
            return format_html(
                '<span class="session-voided">{}</span>',
                _("storniert am %(at)s von %(by)s: %(reason)s")
                % {
                    "at": formats.date_format(
                        timezone.localtime(obj.voided_at), "SHORT_DATETIME_FORMAT"
                    ),
                    "by": (by.get_full_name() or by.get_username()) if by else "-",
                    "reason": obj.void_reason,
                },
            )
        if obj.order.status not in OPEN_STATUSES:
            return ""
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:orders_order_void_session", args=[obj.order_id, obj.pk]),
            _("Stornieren …"),
        )

    def get_queryset(self, request: HttpRequest) -> QuerySet[RemoteSession]:
        return super().get_queryset(request).select_related("agent", "voided_by", "order")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return list(self.readonly_fields)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # recorded sessions are evidence for the bill; new ones only

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A POST keeps the form rows even if the order was completed meanwhile, so
        # that the formset refuses them with a message instead of dropping them.
        if obj is not None and obj.status not in OPEN_STATUSES and request.method != "POST":
            return False
        return super().has_add_permission(request, obj)
