"""Static files compressed, fingerprinted and cached for long.

Production settings (debug off) store static files with WhiteNoise's
``CompressedManifestStaticFilesStorage``: ``collectstatic`` writes each file
under a content hash with ``.gz`` and ``.br`` siblings, pages link the hashed
names, and WhiteNoise serves hashed names as immutable (ten years, its
``FOREVER``) and everything else for ``WHITENOISE_MAX_AGE`` (one year).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import Client, override_settings

from tests.support.processes import environ_without, run_python

ROOT = Path(settings.BASE_DIR)
MANIFEST_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"
ONE_YEAR = 60 * 60 * 24 * 365


def production_settings(static_root: Path) -> override_settings:
    return override_settings(
        DEBUG=False,
        STATIC_ROOT=static_root,
        STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST_STORAGE}},
        WHITENOISE_USE_FINDERS=False,
        WHITENOISE_AUTOREFRESH=False,
        WHITENOISE_MAX_AGE=ONE_YEAR,
    )


@pytest.fixture(scope="module")
def collected(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """collectstatic once for the module, into a temporary STATIC_ROOT."""
    static_root = tmp_path_factory.mktemp("static")
    # Only the project's own files: Brotli-compressing the admin's and Bootstrap's
    # 2.5 MB would take most of a minute on two busy cores and prove nothing more.
    finders = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    with production_settings(static_root), override_settings(STATICFILES_FINDERS=finders):
        call_command("collectstatic", "--noinput", verbosity=0)
    return static_root


def test_production_settings_use_the_compressed_manifest_storage_and_a_one_year_cache():
    code = (
        "import json; from django.conf import settings; print(json.dumps({"
        "'backend': settings.STORAGES['staticfiles']['BACKEND'],"
        "'max_age': settings.WHITENOISE_MAX_AGE, 'finders': settings.WHITENOISE_USE_FINDERS}))"
    )
    env = {
        **environ_without("DJANGO_"),
        "DJANGO_SETTINGS_MODULE": "lenze_support.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "static-files-test-" + "x" * 40,
    }
    out = run_python(
        "-c", "import django; django.setup(); " + code, env=env, timeout=60, check=True
    ).stdout
    values = json.loads(out.strip().splitlines()[-1])
    assert values == {"backend": MANIFEST_STORAGE, "max_age": ONE_YEAR, "finders": False}


def test_collectstatic_writes_fingerprinted_gzip_and_brotli_files(collected: Path):
    manifest = json.loads((collected / "staticfiles.json").read_text())["paths"]
    hashed = manifest["css/portal.css"]
    assert hashed != "css/portal.css" and hashed.startswith("css/portal.")
    for suffix in ("", ".gz", ".br"):
        assert (collected / (hashed + suffix)).is_file(), hashed + suffix


def test_fingerprinted_urls_are_served_as_immutable_and_compressed(collected: Path):
    with production_settings(collected):
        client = Client()  # its middleware (WhiteNoise) reads the settings above
        # What {% static %} writes into pages (tests/test_multi_instance.py checks a page).
        url = staticfiles_storage.url("css/portal.css")
        assert url.startswith("/static/css/portal.") and url != "/static/css/portal.css"

        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip, br")
        assert response.status_code == 200
        assert response["Cache-Control"] == "max-age=315360000, public, immutable"
        assert response["Content-Encoding"] == "br"
        assert "Accept-Encoding" in response["Vary"]

        plain = client.get("/static/css/portal.css")
        assert plain.status_code == 200
        assert plain["Cache-Control"] == f"max-age={ONE_YEAR}, public"
