"""Validators for what customers type into the contact form."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _


def validate_single_line(value: str) -> None:
    """Refuse line breaks and other control characters in one-line fields.

    They have no business in a name or a phone number, and a line break in a
    value that ends up in an e-mail header would be a header injection.
    """
    if any(unicodedata.category(char) == "Cc" for char in value):
        raise ValidationError(
            _("Bitte geben Sie den Wert in einer Zeile ohne Steuerzeichen ein."),
            code="control_characters",
        )


def validate_no_control_characters(value: str) -> None:
    """Allow line breaks and tabs in free text, refuse other control characters."""
    if any(unicodedata.category(char) == "Cc" and char not in "\r\n\t" for char in value):
        raise ValidationError(
            _("Der Text enthält unzulässige Steuerzeichen."), code="control_characters"
        )


validate_phone = RegexValidator(
    regex=re.compile(r"^\+?[0-9 ()/.\-]{4,}$"),
    message=_(
        "Bitte geben Sie eine Telefonnummer aus Ziffern ein, gern mit +, Leerzeichen, "
        "Klammern, / oder -."
    ),
    code="invalid_phone",
)
