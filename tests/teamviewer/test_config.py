"""Configuration: system checks refuse half or insecure set-ups; teamviewer_ping
says what is missing; teamviewer_sync runs one pass and prints it."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from teamviewer.checks import teamviewer_settings_check

pytestmark = pytest.mark.django_db


def _ids(settings) -> list[str | None]:
    return [message.id for message in teamviewer_settings_check()]


def test_defaults_pass(settings):
    settings.TEAMVIEWER_API_TOKEN = ""
    settings.TEAMVIEWER_API_URL = "https://webapi.teamviewer.com/api/v1"
    assert _ids(settings) == []


def test_token_without_group_fails(settings):
    settings.TEAMVIEWER_API_TOKEN = "token"
    settings.TEAMVIEWER_GROUP_ID = ""
    assert _ids(settings) == ["teamviewer.E002"]
    settings.TEAMVIEWER_GROUP_ID = "queue"
    assert _ids(settings) == ["teamviewer.E002"]
    settings.TEAMVIEWER_GROUP_ID = "g123"
    assert _ids(settings) == []


def test_plain_http_fails_outside_debug_even_on_loopback(settings):
    settings.TEAMVIEWER_ALLOW_HTTP_LOOPBACK = False
    settings.TEAMVIEWER_API_URL = "http://127.0.0.1:9/api/v1"
    assert _ids(settings) == ["teamviewer.E001"]
    settings.TEAMVIEWER_API_URL = "http://webapi.teamviewer.com/api/v1"
    assert _ids(settings) == ["teamviewer.E001"]


def test_loopback_http_allowed_for_the_local_fake(settings):
    settings.TEAMVIEWER_ALLOW_HTTP_LOOPBACK = True
    settings.TEAMVIEWER_API_URL = "http://127.0.0.1:9/api/v1"
    assert _ids(settings) == []
    settings.TEAMVIEWER_API_URL = "http://example.com/api/v1"
    assert _ids(settings) == ["teamviewer.E001"]


def test_demo_needs_debug(settings):
    settings.DEBUG = False
    settings.TEAMVIEWER_DEMO = True
    assert "teamviewer.E005" in _ids(settings)


def test_production_settings_never_allow_http_or_demo(monkeypatch):
    """Imported afresh with debug off, the settings module itself refuses both."""
    import importlib

    import lenze_support.settings as module

    monkeypatch.setenv("DJANGO_DEBUG", "0")
    monkeypatch.setenv("TEAMVIEWER_DEMO", "1")
    monkeypatch.setenv("DJANGO_SECRET_KEY", "x" * 60)
    fresh = importlib.reload(module)
    try:
        assert fresh.TEAMVIEWER_ALLOW_HTTP_LOOPBACK is False
        assert fresh.TEAMVIEWER_DEMO is False
    finally:
        monkeypatch.undo()
        importlib.reload(module)


def test_ping_reports_everything_ok(tv_fake):
    out = StringIO()
    call_command("teamviewer_ping", stdout=out)
    text = out.getvalue()
    assert "token: valid" in text
    assert "permission Connections.Modify: ok" in text
    assert "TeamViewer connection OK." in text
    # Nothing was created or changed.
    assert tv_fake.state.cases == {}


def test_ping_names_the_missing_permission(tv_fake):
    tv_fake.set_permissions({"Sessions.Create", "Sessions.ReadAll", "Connections.Read"})
    out = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("teamviewer_ping", stdout=out)
    assert "Sessions.ModifyAll" in str(caught.value)
    assert "Connections.Modify" in str(caught.value)
    assert "permission Sessions.ModifyAll: MISSING" in out.getvalue()


def test_ping_with_a_revoked_token(tv_fake):
    tv_fake.revoke()
    with pytest.raises(CommandError, match="rejects the token"):
        call_command("teamviewer_ping", stdout=StringIO())


def test_ping_without_token(settings):
    settings.TEAMVIEWER_API_TOKEN = ""
    with pytest.raises(CommandError, match="integration is off"):
        call_command("teamviewer_ping")


def test_ping_when_teamviewer_is_down(tv_fake):
    tv_fake.stop()
    with pytest.raises(CommandError, match="not reachable"):
        call_command("teamviewer_ping", stdout=StringIO())


def test_sync_command_prints_what_it_did(placed_order, tv_fake):
    out = StringIO()
    call_command("teamviewer_sync", stdout=out)
    assert "cases opened: 1" in out.getvalue()
    out = StringIO()
    call_command("teamviewer_sync", stdout=out)
    assert "cases opened: 0" in out.getvalue()
