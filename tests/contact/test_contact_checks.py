import pytest

from contact.checks import contact_settings_check


def test_default_settings_pass():
    assert contact_settings_check() == []


@pytest.mark.parametrize("rate", ["10/h", "5/10m", "100/d", "1/s"])
def test_valid_rates_pass(settings, rate):
    settings.CONTACT_RATE_LIMIT = rate
    assert contact_settings_check() == []


@pytest.mark.parametrize("rate", ["", "abc", "10", "0/h", "10/x", "ten/h"])
def test_invalid_rate_is_reported(settings, rate):
    settings.CONTACT_RATE_LIMIT = rate
    assert [e.id for e in contact_settings_check()] == ["contact.E001"]


@pytest.mark.parametrize("days", [0, -1])
def test_retention_below_one_day_is_reported(settings, days):
    settings.CONTACT_RETENTION_DAYS = days
    assert [e.id for e in contact_settings_check()] == ["contact.E002"]
