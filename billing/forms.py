"""The admin's export form: which orders go into the invoicing CSV."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from orders.errors import OrderError
from orders.models import Order


class ExportForm(forms.Form):
    date_from = forms.DateField(label=_("Bestellt von (Datum)"), required=False)
    date_to = forms.DateField(label=_("Bestellt bis (Datum, einschließlich)"), required=False)
    statuses = forms.MultipleChoiceField(
        label=_("Status"),
        choices=Order.Status.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        # What is to be invoiced: completed orders (billed ones were exported before).
        initial=[Order.Status.COMPLETED],
        help_text=_("Ohne Auswahl: alle Status."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            raise ValidationError(OrderError.EXPORT_PERIOD_INVERTED)
        return data
