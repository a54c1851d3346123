"""Validators shared by every app's one-line fields."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

#: Control characters and the Unicode line and paragraph separators.
_NOT_ON_ONE_LINE = {"Cc", "Zl", "Zp"}


def validate_single_line(value: str) -> None:
    """Refuse line breaks and other control characters in one-line fields.

    They have no business in a company or a person's name: a line break there
    fakes extra lines in a plain-text e-mail to the helpdesk, starts a new row
    in a CSV cell read by a careless importer, or, in an e-mail header, would be
    a header injection.
    """
    if any(unicodedata.category(char) in _NOT_ON_ONE_LINE for char in value):
        raise ValidationError(
            _("Bitte geben Sie den Wert in einer Zeile ohne Steuerzeichen ein."),
            code="control_characters",
        )
