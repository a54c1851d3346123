"""The intermediate forms of the order actions that need a reference or a reason."""

from django import forms
from django.utils.translation import gettext_lazy as _


class TransferForm(forms.Form):
    field_service_reference = forms.CharField(
        label=_("Field-Service-Auftragsnummer"), max_length=50, strip=True
    )
    note = forms.CharField(
        label=_("Notiz"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Begründung"), widget=forms.Textarea(attrs={"rows": 3}), strip=True
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Grund der Stornierung"), widget=forms.Textarea(attrs={"rows": 3}), strip=True
    )
