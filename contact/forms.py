"""The contact form: validation only; storing and mailing is ``contact_message_submit``."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from contact.models import ContactMessage

HONEYPOT_FIELD = "website"


class ContactForm(forms.ModelForm):
    # A field no human sees: bots that fill every input fill it and get a quiet
    # fake success. Named like something a bot wants to fill.
    website = forms.CharField(
        label=_("Bitte dieses Feld leer lassen"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    class Meta:
        model = ContactMessage
        fields = ["name", "company", "email", "phone", "reference", "message"]
        labels = {
            "phone": _("Telefon (optional)"),
            "reference": _("Bestellnummer oder Vorgangsnummer (optional)"),
        }
        help_texts = {
            "phone": _("Falls wir Sie zurückrufen sollen."),
            "reference": _(
                "Falls sich Ihre Nachricht auf eine Bestellung oder einen Vorgang bezieht."
            ),
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "company": forms.TextInput(attrs={"autocomplete": "organization"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "reference": forms.TextInput(attrs={"autocomplete": "off"}),
            "message": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "name",
            "company",
            "email",
            "phone",
            "reference",
            "message",
            # Hidden from sight and from screen readers, out of the tab order.
            Div(Field(HONEYPOT_FIELD), css_class="visually-hidden", aria_hidden="true"),
        )

    @property
    def is_spam(self) -> bool:
        """True when the honeypot was filled; checked before validation, so bots learn nothing."""
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())
