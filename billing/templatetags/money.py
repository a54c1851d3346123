"""``{{ amount|money }}``: a Decimal amount in the active language's notation.

German: ``1.234,50 €``; English: ``€1,234.50``. Floats are refused with
``TypeError`` so that a float sneaking into a price shows up in tests, not on
an invoice.
"""

from decimal import Decimal

from django import template
from django.utils.translation import get_language

from billing.money import quantize_cents

register = template.Library()

CURRENCY_SYMBOLS = {"EUR": "€"}


def _group(digits: str, separator: str) -> str:
    groups: list[str] = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return separator.join(groups)


def format_money(value: Decimal, currency: str = "EUR", language: str | None = None) -> str:
    """Format ``value`` (a ``Decimal``) with its currency for ``language``.

    ``language`` defaults to the active one; anything not English is written
    the German way, the portal's contract language.
    """
    if isinstance(value, float):
        raise TypeError("money amounts must be Decimal, not float")
    amount = quantize_cents(value)
    sign = "-" if amount < 0 else ""
    whole, cents = f"{abs(amount):.2f}".split(".")
    symbol = CURRENCY_SYMBOLS.get(currency, currency)
    lang = (language or get_language() or "de").split("-")[0]
    if lang == "en":
        prefix = symbol if len(symbol) == 1 else f"{symbol} "
        return f"{sign}{prefix}{_group(whole, ',')}.{cents}"
    # German: thousands with a dot, decimal comma, symbol after a non-breaking space
    # would be typographically nicer, but a plain space copies cleanly into ERPs.
    return f"{sign}{_group(whole, '.')},{cents} {symbol}"


@register.filter(name="money")
def money(value: Decimal, currency: str = "EUR") -> str:
    """Template filter: ``{{ order.net|money }}`` or ``{{ x|money:"EUR" }}``."""
    if value is None or value == "":
        return ""
    return format_money(value, currency)
