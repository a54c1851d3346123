from django import forms

from orders.texts import CONSENT_SENTENCE

MAX_ID = 2**31 - 1


class ConsentCheckbox(forms.CheckboxInput):
    """Ticked only when the request carries what the ticked box sends: ``on`` (the
    page's checkbox has no ``value``). Django's CheckboxInput counts any other
    value, "0", "off" or "no" included, as ticked; a contract needs unambiguous consent."""

    def value_from_datadict(self, data, files, name) -> bool:  # type: ignore[no-untyped-def]
        value = data.get(name)
        return isinstance(value, str) and value.strip().lower() == "on"


class OrderForm(forms.Form):
    """The order page's only input is the consent box; the hidden fields carry the
    versions shown, compared by ``order_place`` on submit."""

    consent = forms.BooleanField(required=False, label=CONSENT_SENTENCE, widget=ConsentCheckbox)
    privacy_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_ID)
    asb_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_ID)
    tariff_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_ID)
