from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    """One field: the code from the authenticator app (or a backup code).

    The template renders the input itself (``staff/_code_form.html``), with the
    error tied to it for screen readers."""

    code = forms.CharField(
        max_length=32,
        strip=True,
        error_messages={
            "required": _("Bitte geben Sie einen Code ein."),
            "max_length": _("Ein Code hat sechs oder acht Zeichen."),
        },
    )
