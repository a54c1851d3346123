"""Money helpers: the one place where amounts are rounded.

Amounts are ``Decimal`` throughout; a ``float`` reaching this module is a bug
(binary floating point cannot hold 0.10 exactly), so it is refused loudly.
"""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def quantize_cents(value: Decimal | int) -> Decimal:
    """Round ``value`` half-up to the cent (0.005 -> 0.01, -0.005 -> -0.01).

    Integers are exact and accepted; ``float`` (and anything else) raises
    ``TypeError``.
    """
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"quantize_cents() needs a Decimal, got {type(value).__name__}")
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
