"""The CSV writer's format: German Excel (semicolon, BOM, decimal comma)."""

import csv
import datetime
import io
import zoneinfo
from decimal import Decimal

import pytest

from billing.exports import BOM, csv_lines, format_cell


def test_first_line_starts_with_the_byte_order_mark_and_uses_semicolons():
    lines = list(csv_lines(["Auftragsnummer", "Netto"], [["A-1", Decimal("150.00")]]))
    assert lines[0] == BOM + "Auftragsnummer;Netto\r\n"
    assert lines[1] == "A-1;150,00\r\n"
    assert "".join(lines).encode("utf-8").startswith(b"\xef\xbb\xbf")


def test_without_rows_only_the_header_is_written():
    assert list(csv_lines(["A", "B"], [])) == [BOM + "A;B\r\n"]


def test_cells_with_separators_quotes_and_newlines_survive_a_round_trip():
    tricky = ['Müller; Söhne "GmbH"', "Zeile 1\nZeile 2", "ß€"]
    text = "".join(csv_lines(["a", "b", "c"], [tricky]))
    parsed = list(csv.reader(io.StringIO(text.removeprefix(BOM)), delimiter=";"))
    assert parsed[1] == tricky


def test_rows_are_produced_lazily():
    def rows():
        yield ["1"]
        raise AssertionError("the second row must not be read before it is needed")

    stream = csv_lines(["x"], rows())
    assert next(stream).endswith("x\r\n")
    assert next(stream) == "1\r\n"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("178.50"), "178,50"),
        (Decimal("19.00"), "19,00"),
        (Decimal("0"), "0"),
        (21, "21"),
        (None, ""),
        (datetime.date(2026, 3, 1), "01.03.2026"),
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+49 5154", "'+49 5154"),
        ("Lenze SE", "Lenze SE"),
    ],
)
def test_cells_are_formatted_for_german_excel(value, expected):
    assert format_cell(value) == expected


def test_datetimes_are_written_in_local_time():
    utc = datetime.datetime(2026, 7, 1, 22, 30, tzinfo=zoneinfo.ZoneInfo("UTC"))
    assert format_cell(utc) == "02.07.2026 00:30"


def test_floats_are_refused():
    with pytest.raises(TypeError):
        format_cell(1.5)
