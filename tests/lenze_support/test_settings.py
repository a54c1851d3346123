import secrets
import subprocess
from pathlib import Path

from tests.support.processes import environ_without, run_python

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = environ_without("DJANGO_")
    clean.update(env)
    clean["DJANGO_SETTINGS_MODULE"] = "lenze_support.settings"
    return run_python("manage.py", *args, env=clean)


def test_production_settings_pass_the_deploy_check_at_warning_level():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="support.example.com",
        DJANGO_BEHIND_PROXY="1",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_start_up_fails_without_secret_key_when_debug_is_off():
    # The production start-up path (the deploy check) cannot run without a key.
    result = _manage("check", "--deploy", "--fail-level", "WARNING", DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_debug_mode_starts_without_secret_key():
    result = _manage("check", DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_sqlite_default_uses_wal_and_immediate_transactions(settings):
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]
        assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    else:
        assert db["CONN_MAX_AGE"] > 0


def test_manage_py_never_switches_debug_on_by_itself():
    # No DJANGO_* variables at all: debug stays off and no development key is
    # made up; commands that only read the code still run.
    script = (
        "from django.conf import settings; "
        "print(settings.DEBUG, bool(settings._wrapped.SECRET_KEY))"
    )
    result = _manage("shell", "-c", script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("False False")
    assert _manage("makemigrations", "--check", "--dry-run").returncode == 0


def test_collectstatic_without_debug_and_key_fails_with_the_web_servers_message(tmp_path):
    result = _manage("collectstatic", "--noinput", DJANGO_STATIC_ROOT=str(tmp_path))
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off" in result.stderr
    assert not any(tmp_path.iterdir())  # nothing collected


def test_demo_data_refuses_without_debug_even_with_a_key():
    result = _manage("demo_data", DJANGO_SECRET_KEY=secrets.token_urlsafe(50))
    assert result.returncode != 0
    assert "demo_data is for local installations only (DJANGO_DEBUG=1)" in result.stderr
    assert "Demo-2FA" not in result.stdout


def test_manage_py_with_debug_set_explicitly_runs_on_a_fresh_checkout():
    result = _manage("makemigrations", "--check", "--dry-run", DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_makefile_targets_that_need_debug_set_it_explicitly():
    makefile = (ROOT / "Makefile").read_text()
    for command in ("manage.py migrate", "manage.py demo_data", "Procfile.dev"):
        line = next(line for line in makefile.splitlines() if command in line)
        assert "$(DEV_ENV)" in line, line
    assert "DEV_ENV := DJANGO_DEBUG=1" in makefile
    # The development server itself runs from Procfile.dev, under `make run`'s DEV_ENV.
    assert "manage.py runserver" in (ROOT / "Procfile.dev").read_text()


def test_web_server_refuses_to_start_without_secret_key():
    result = run_python("-c", "import lenze_support.wsgi", env=environ_without("DJANGO_"))
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr
