"""Validators for what customers type into the contact form."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# Shared with the support request's fields; kept importable here for the migrations.
from lenze_support.validators import validate_single_line

__all__ = ["validate_no_control_characters", "validate_phone", "validate_single_line"]


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
