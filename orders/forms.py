from django import forms

from orders.texts import CONSENT_SENTENCE

MAX_ID = 2**31 - 1


class OrderForm(forms.Form):
    """The order page's only input is the consent box; the hidden fields carry the
    versions shown, compared by ``order_place`` on submit."""

    consent = forms.BooleanField(required=False, label=CONSENT_SENTENCE)
    privacy_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_ID)
    asb_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_ID)
    tariff_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_ID)
