"""Billing math: worked examples and properties (no database)."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from billing.charges import (
    REVERSE_CHARGE_NOTE,
    Charge,
    TariffTerms,
    VatTreatment,
    blocks_for,
    charge_for,
    charge_for_seconds,
    minutes_for,
)
from billing.models import RemoteSession

TERMS = TariffTerms(
    base_fee=Decimal("100.00"),
    block_price=Decimal("25.00"),
    block_minutes=15,
    vat_rate=Decimal("19.00"),
)
M = timedelta(minutes=1)
S = timedelta(seconds=1)


@pytest.mark.parametrize(
    ("durations", "treatment", "blocks", "net", "vat", "gross"),
    [
        ([], "standard", 0, "100.00", "19.00", "119.00"),
        ([12 * M, 9 * M], "standard", 2, "150.00", "28.50", "178.50"),
        ([15 * M], "standard", 1, "125.00", "23.75", "148.75"),
        ([15 * M + S], "standard", 2, "150.00", "28.50", "178.50"),
        ([S], "standard", 1, "125.00", "23.75", "148.75"),
        ([7 * M, 8 * M], "standard", 1, "125.00", "23.75", "148.75"),
        ([60 * M], "standard", 4, "200.00", "38.00", "238.00"),
        ([61 * M], "standard", 5, "225.00", "42.75", "267.75"),
        ([12 * M, 9 * M], "reverse_charge", 2, "150.00", "0.00", "150.00"),
        ([], "reverse_charge", 0, "100.00", "0.00", "100.00"),
    ],
)
def test_worked_examples(durations, treatment, blocks, net, vat, gross):
    charge = charge_for(terms=TERMS, durations=durations, vat_treatment=treatment)
    assert charge.blocks == blocks
    assert charge.net == Decimal(net)
    assert charge.vat == Decimal(vat)
    assert charge.gross == Decimal(gross)


def test_blocks_are_counted_on_the_total_not_per_session():
    # Per session this would be 2 blocks; the order's total of 14 minutes is one.
    charge = charge_for(terms=TERMS, durations=[7 * M, 7 * M])
    assert charge.blocks == 1
    assert charge.raw_minutes == Decimal("14.00")


@pytest.mark.parametrize(
    ("duration", "minutes"),
    [(21 * M + 30 * S, "21.50"), (S, "0.02"), (59 * S, "0.98"), (0 * S, "0.00")],
)
def test_session_and_order_minutes_follow_one_rule(duration, minutes):
    # A session's minutes and an order's recorded minutes are rounded alike, so a
    # single session's row and its order's total never disagree.
    start = timezone.now() - timedelta(hours=1)
    session = RemoteSession(started_at=start, ended_at=start + duration)
    charge = charge_for(terms=TERMS, durations=[duration])
    assert session.minutes == charge.raw_minutes == minutes_for(duration // S) == Decimal(minutes)


def test_vat_is_rounded_half_up_once_on_the_net_total():
    terms = TariffTerms(
        base_fee=Decimal("0.05"), block_price=Decimal("0"), block_minutes=15, vat_rate=Decimal("10")
    )
    # 0.05 x 10 % = 0.005 -> 0.01 half-up (banker's rounding would give 0.00).
    assert charge_for(terms=terms, durations=[]).vat == Decimal("0.01")


def test_vat_rate_can_have_decimals():
    terms = TariffTerms(
        base_fee=Decimal("100.00"),
        block_price=Decimal("25.00"),
        block_minutes=15,
        vat_rate=Decimal("7.70"),
    )
    charge = charge_for(terms=terms, durations=[20 * M])
    assert (charge.net, charge.vat, charge.gross) == (
        Decimal("150.00"),
        Decimal("11.55"),
        Decimal("161.55"),
    )


def test_reverse_charge_has_no_vat_and_carries_the_legal_note():
    charge = charge_for(terms=TERMS, durations=[21 * M], vat_treatment=VatTreatment.REVERSE_CHARGE)
    assert charge.vat == Decimal("0.00")
    assert charge.vat_rate == Decimal("0")
    assert charge.vat_note == REVERSE_CHARGE_NOTE == "Steuerschuldnerschaft des Leistungsempfängers"
    assert charge.is_reverse_charge


def test_standard_treatment_has_no_note():
    assert charge_for(terms=TERMS, durations=[]).vat_note == ""


def test_sub_second_remainders_of_the_total_are_dropped():
    assert charge_for(terms=TERMS, durations=[15 * M + timedelta(microseconds=999_999)]).blocks == 1


def test_a_negative_duration_is_refused():
    with pytest.raises(ValueError):
        charge_for(terms=TERMS, durations=[-M])


def test_unknown_vat_treatment_is_refused():
    with pytest.raises(ValueError):
        charge_for(terms=TERMS, durations=[], vat_treatment="exempt")


def test_charge_refuses_net_plus_vat_different_from_gross():
    good = charge_for(terms=TERMS, durations=[])
    with pytest.raises(ValueError, match="gross"):
        Charge(
            terms=TERMS,
            vat_treatment=VatTreatment.STANDARD,
            raw_seconds=0,
            blocks=0,
            base_fee=good.base_fee,
            blocks_amount=good.blocks_amount,
            net=good.net,
            vat_rate=good.vat_rate,
            vat=good.vat,
            gross=good.gross + Decimal("0.01"),
        )


def test_charge_refuses_fractions_of_a_cent_and_floats():
    common: dict[str, Any] = dict(
        terms=TERMS,
        vat_treatment=VatTreatment.STANDARD,
        raw_seconds=0,
        blocks=0,
        blocks_amount=Decimal("0.00"),
        vat_rate=Decimal("19"),
        vat=Decimal("0.00"),
    )
    with pytest.raises(ValueError, match="cents"):
        Charge(base_fee=Decimal("1.001"), net=Decimal("1.001"), gross=Decimal("1.001"), **common)
    with pytest.raises(TypeError):
        Charge(base_fee=1.0, net=Decimal("1.00"), gross=Decimal("1.00"), **common)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"base_fee": 100.0},
        {"block_minutes": 0},
        {"block_minutes": 15.0},
        {"vat_rate": Decimal("-1")},
        {"block_price": Decimal("NaN")},
    ],
)
def test_tariff_terms_refuse_bad_values(kwargs):
    values = {
        "base_fee": Decimal("100"),
        "block_price": Decimal("25"),
        "block_minutes": 15,
        "vat_rate": Decimal("19"),
        **kwargs,
    }
    with pytest.raises((TypeError, ValueError)):
        TariffTerms(**values)


# --- properties --------------------------------------------------------------

cents = st.decimals(min_value=0, max_value=10_000, places=2, allow_nan=False, allow_infinity=False)
rates = st.decimals(min_value=0, max_value=30, places=2, allow_nan=False, allow_infinity=False)
terms_strategy = st.builds(
    TariffTerms,
    base_fee=cents,
    block_price=cents,
    block_minutes=st.integers(min_value=1, max_value=120),
    vat_rate=rates,
)
seconds = st.integers(min_value=0, max_value=50 * 3600)
treatments = st.sampled_from(list(VatTreatment))


@settings(max_examples=150, deadline=None)
@given(terms=terms_strategy, a=seconds, b=seconds, treatment=treatments)
def test_more_time_never_costs_less(terms, a, b, treatment):
    low, high = sorted((a, b))
    cheap = charge_for_seconds(terms=terms, seconds=low, vat_treatment=treatment)
    dear = charge_for_seconds(terms=terms, seconds=high, vat_treatment=treatment)
    assert cheap.blocks <= dear.blocks
    assert cheap.net <= dear.net
    assert cheap.gross <= dear.gross


@settings(max_examples=150, deadline=None)
@given(block_minutes=st.integers(min_value=1, max_value=120), k=st.integers(0, 200))
def test_block_boundaries(block_minutes, k):
    boundary = k * block_minutes * 60
    assert blocks_for(boundary, block_minutes) == k
    assert blocks_for(boundary + 1, block_minutes) == k + 1
    if boundary:
        assert blocks_for(boundary - 1, block_minutes) == k


@settings(max_examples=150, deadline=None)
@given(terms=terms_strategy, secs=seconds, treatment=treatments)
def test_amounts_are_cents_and_gross_is_net_plus_vat(terms, secs, treatment):
    charge = charge_for_seconds(terms=terms, seconds=secs, vat_treatment=treatment)
    for amount in (charge.net, charge.vat, charge.gross):
        assert amount == amount.quantize(Decimal("0.01"))
        assert amount.as_tuple().exponent == -2
    assert charge.net + charge.vat == charge.gross
    assert charge.net == terms.base_fee + charge.blocks * terms.block_price
    if treatment is not VatTreatment.STANDARD:
        assert charge.vat == 0
    else:
        # Rounded once: never more than half a cent away from the exact VAT.
        assert abs(charge.vat - charge.net * terms.vat_rate / 100) <= Decimal("0.005")


@settings(max_examples=100, deadline=None)
@given(parts=st.lists(st.integers(0, 4 * 3600), max_size=6))
def test_splitting_time_into_sessions_does_not_change_the_charge(parts):
    split = charge_for(terms=TERMS, durations=[timedelta(seconds=p) for p in parts])
    whole = charge_for(terms=TERMS, durations=[timedelta(seconds=sum(parts))])
    assert split == whole
