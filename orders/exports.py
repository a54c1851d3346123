"""CSV export for invoicing, shaped for Excel in a German office.

Semicolon separator, UTF-8 with a byte-order mark (so Excel detects the
encoding), decimal comma, dates as ``dd.mm.yyyy``. The writer is a generator
over rows, handed to ``StreamingHttpResponse``: a year of orders is written
line by line and never held in memory.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

from django.utils import timezone

BOM = "\ufeff"
# Leading characters that make Excel treat a cell as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    """A file-like object whose ``write`` hands the line back to the caller."""

    def write(self, value: str) -> str:
        return value


def format_cell(value: object) -> str:
    """One value as German Excel reads it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, float):
        raise TypeError("money and quantities are exported from Decimal, not float")
    if isinstance(value, Decimal):
        return f"{value:f}".replace(".", ",")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d.%m.%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        # Text from customers or agents must never run as a formula in Excel.
        text = "'" + text
    return text


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[str]:
    """Yield the BOM-prefixed header line, then one CSV line per row."""
    writer = csv.writer(_Echo(), delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    yield BOM + writer.writerow([str(name) for name in header])
    for row in rows:
        yield writer.writerow([format_cell(value) for value in row])
