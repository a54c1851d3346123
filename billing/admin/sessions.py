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
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from billing.models import RemoteSession
from orders.errors import OrderError
from orders.models import FINAL_STATUSES


class RemoteSessionFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
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
    fields = ["started_at", "ended_at", "duration_minutes", "agent", "note"]
    readonly_fields = ["duration_minutes", "agent"]
    can_delete = False
    ordering = ["started_at"]

    @admin.display(description=_("Dauer (Minuten)"))
    def duration_minutes(self, obj: RemoteSession) -> str:
        if obj.pk is None:
            return "-"
        return formats.localize(obj.minutes)

    def get_queryset(self, request: HttpRequest) -> QuerySet[RemoteSession]:
        return super().get_queryset(request).select_related("agent")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return list(self.readonly_fields)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # recorded sessions are evidence for the bill; new ones only

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.status in FINAL_STATUSES:
            return False
        return super().has_add_permission(request, obj)
