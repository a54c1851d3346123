"""VAT identification numbers: normalise and check them where they are entered.

Format and check digit are checked offline with python-stdnum (``stdnum.eu.vat``
knows every member state's rules); whether the number is registered is a
question for VIES (``vat.vies``). Messages are German first: agents read them
on the support request form and on the command line.
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import InvalidChecksum, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.util import clean

# Member states of the EU (ISO 3166-1 alpha-2).
EU_COUNTRIES = frozenset(
    {
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    }
)

# VAT IDs carry the ISO code of their country, except Greece's ("EL").
_VAT_PREFIX = {"GR": "EL"}

_KNOWN_PREFIXES = frozenset(eu_vat.MEMBER_STATES) | {"el"}

# Longer input is refused before parsing: no real VAT ID comes close.
MAX_INPUT_LENGTH = 40


class VatIdError:
    """Messages for refused VAT IDs (shown to agents; tests assert the constants)."""

    TOO_LONG = _("Die USt-IdNr. ist zu lang. Bitte geben Sie nur die Nummer ein.")
    NOT_EU = _(
        "Eine USt-IdNr. gibt es nur für Länder der EU. Bei Kunden außerhalb der EU bleibt das "
        "Feld leer; bestätigen Sie stattdessen, dass der Kunde ein Unternehmen ist, und geben "
        "Sie den Nachweis an."
    )
    WRONG_COUNTRY = _(
        "Die USt-IdNr. beginnt mit „%(prefix)s“, passt also nicht zum Land des Kunden "
        "(erwartet: „%(expected)s“)."
    )
    BAD_CHECKSUM = _(
        "Die Prüfziffer der USt-IdNr. %(vat_id)s stimmt nicht. Bitte prüfen Sie die Nummer "
        "auf Tippfehler."
    )
    BAD_LENGTH = _("Die USt-IdNr. %(vat_id)s hat nicht die richtige Länge für %(expected)s.")
    BAD_FORMAT = _(
        "Die USt-IdNr. %(vat_id)s hat nicht das Format, das %(expected)s vorschreibt. Bitte "
        "prüfen Sie die Nummer."
    )


def is_eu(country: str) -> bool:
    return str(country).upper() in EU_COUNTRIES


def vat_prefix(country: str) -> str:
    """The prefix VAT IDs of ``country`` carry (``GR`` -> ``EL``)."""
    code = str(country).upper()
    return _VAT_PREFIX.get(code, code)


def vat_id_normalise(*, vat_id: str, country: str) -> str:
    """``vat_id`` in its compact form (``ATU13585627``), checked against ``country``.

    Spaces, dots, dashes and lower case are normalised; a number typed without
    its country prefix gets it. Empty input stays empty.

    Raises django.core.exceptions.ValidationError (code ``vat_id``) with one of
    the ``VatIdError`` messages: too long, country outside the EU, prefix of
    another country, wrong length, format or check digit.
    """
    raw = (vat_id or "").strip()
    if not raw:
        return ""
    if len(raw) > MAX_INPUT_LENGTH:
        raise ValidationError(VatIdError.TOO_LONG, code="vat_id")
    code = str(country).upper()
    if code not in EU_COUNTRIES:
        raise ValidationError(VatIdError.NOT_EU, code="vat_id")
    expected = vat_prefix(code)
    # NFKC folds full-width digits and letters to ASCII; invisible characters
    # (zero-width spaces pasted from PDFs) and separators go.
    folded = "".join(
        char
        for char in unicodedata.normalize("NFKC", raw)
        if unicodedata.category(char) not in {"Cf", "Cc", "Zs"}
    )
    compact = clean(folded, " -./,:").upper()
    head = compact[:2]
    if head == "GR" and expected == "EL":  # the ISO code typed for Greece's "EL"
        compact, head = "EL" + compact[2:], "EL"
    # Two letters that are a member state's prefix are one; anything else (an
    # Austrian "U…" typed without "AT") is the number without its prefix.
    if head.lower() in _KNOWN_PREFIXES:
        if head != expected:
            raise ValidationError(
                VatIdError.WRONG_COUNTRY,
                code="vat_id",
                params={"prefix": head, "expected": expected},
            )
    else:
        compact = expected + compact
    params = {"vat_id": raw, "expected": expected}
    try:
        return str(eu_vat.validate(compact))
    except InvalidChecksum:
        raise ValidationError(VatIdError.BAD_CHECKSUM, code="vat_id", params=params) from None
    except InvalidLength:
        raise ValidationError(VatIdError.BAD_LENGTH, code="vat_id", params=params) from None
    except StdnumError:
        raise ValidationError(VatIdError.BAD_FORMAT, code="vat_id", params=params) from None


def vat_id_passes_check(*, vat_id: str, country: str) -> bool:
    """True if ``vat_id`` is a well-formed VAT ID of ``country`` with a valid check digit."""
    try:
        return bool(vat_id_normalise(vat_id=vat_id, country=country))
    except ValidationError:
        return False
