from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from billing.money import quantize_cents
from billing.templatetags.money import format_money


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0.005", "0.01"),
        ("0.0049", "0.00"),
        ("28.495", "28.50"),
        ("-0.005", "-0.01"),
        ("100", "100.00"),
        ("1234.5", "1234.50"),
    ],
)
def test_quantize_cents_rounds_half_up_to_the_cent(raw, expected):
    assert quantize_cents(Decimal(raw)) == Decimal(expected)
    assert str(quantize_cents(Decimal(raw))) == expected


def test_quantize_cents_accepts_exact_integers():
    assert quantize_cents(5) == Decimal("5.00")


@pytest.mark.parametrize("bad", [0.1, 1.0, "1.00", None, True])
def test_quantize_cents_refuses_floats_and_other_types(bad):
    with pytest.raises(TypeError):
        quantize_cents(bad)


@pytest.mark.parametrize(
    ("amount", "german", "english"),
    [
        ("1234.50", "1.234,50 €", "€1,234.50"),
        ("178.5", "178,50 €", "€178.50"),
        ("0", "0,00 €", "€0.00"),
        ("1234567.891", "1.234.567,89 €", "€1,234,567.89"),
        ("-25", "-25,00 €", "-€25.00"),
    ],
)
def test_money_filter_formats_in_the_active_language(amount, german, english):
    template = Template("{% load money %}{{ amount|money }}")
    with translation.override("de"):
        assert template.render(Context({"amount": Decimal(amount)})) == german
    with translation.override("en"):
        assert template.render(Context({"amount": Decimal(amount)})) == english


def test_money_filter_refuses_floats():
    template = Template("{% load money %}{{ amount|money }}")
    with translation.override("de"), pytest.raises(TypeError):
        template.render(Context({"amount": 1.5}))


def test_format_money_names_other_currencies_by_code():
    assert format_money(Decimal("10"), "CHF", language="de") == "10,00 CHF"
    assert format_money(Decimal("10"), "CHF", language="en") == "CHF 10.00"
