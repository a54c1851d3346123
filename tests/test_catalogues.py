"""The translation catalogues are complete: every string marked for translation
in a template or a Python module is in the committed German and English
catalogues, has an English text, is not fuzzy, and the compiled ``.mo`` says
the same as the ``.po``.

The check runs Django's ``makemessages`` (GNU gettext) over a temporary copy of
each catalogue's sources, so the committed files are never touched, and
compares the fresh extraction with what is committed. The companion test
``tests/test_template_texts.py`` finds text that is not marked at all.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(
    not (shutil.which("xgettext") and shutil.which("msgmerge")),
    reason="GNU gettext (xgettext, msgmerge) is not installed",
)


@dataclass(frozen=True)
class Catalogue:
    name: str
    base: Path  # where makemessages is run from
    sources: tuple[str, ...]  # what it scans, relative to base

    @property
    def locale(self) -> Path:
        return self.base / "locale"


CATALOGUES = [
    # The project-level catalogue: site-wide templates and the settings module.
    Catalogue("project", ROOT, ("lenze_support", "templates")),
    Catalogue("legal", ROOT / "legal", (".",)),
    Catalogue("orders", ROOT / "orders", (".",)),
    Catalogue("billing", ROOT / "billing", (".",)),
    Catalogue("contact", ROOT / "contact", (".",)),
    Catalogue("background", ROOT / "background", (".",)),
    Catalogue("teamviewer", ROOT / "teamviewer", (".",)),
    Catalogue("vat", ROOT / "vat", (".",)),
    Catalogue("staff", ROOT / "staff", (".",)),
]

Key = tuple[str | None, str]


def _key(entry: polib.POEntry | polib.MOEntry) -> Key:
    return (entry.msgctxt or None, entry.msgid)


def _copy_sources(catalogue: Catalogue, target: Path) -> None:
    skip = shutil.ignore_patterns("locale", "__pycache__", "*.mo", "*.po", "static")
    for source in catalogue.sources:
        origin = catalogue.base / source
        shutil.copytree(origin, target / source, ignore=skip, dirs_exist_ok=True)
    (target / "locale").mkdir(exist_ok=True)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[Key, polib.POEntry]]:
    """Run makemessages over a copy of each catalogue's sources; return the msgids found."""
    from django.conf import settings
    from django.test.utils import override_settings

    found: dict[str, dict[Key, polib.POEntry]] = {}
    here = Path.cwd()
    for catalogue in CATALOGUES:
        work = tmp_path_factory.mktemp(f"messages-{catalogue.name}")
        _copy_sources(catalogue, work)
        try:
            os.chdir(work)
            # No project LOCALE_PATHS: everything goes to the copy's own locale/.
            with override_settings(LOCALE_PATHS=[]):
                assert settings.LOCALE_PATHS == []
                call_command("makemessages", locale=["en"], verbosity=0)
        finally:
            os.chdir(here)
        fresh = polib.pofile(str(work / "locale" / "en" / "LC_MESSAGES" / "django.po"))
        found[catalogue.name] = {_key(e): e for e in fresh if not e.obsolete}
    return found


def _translated(entry: polib.POEntry) -> bool:
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def _where(entry: polib.POEntry) -> str:
    return ", ".join(f"{path}:{line}" for path, line in entry.occurrences[:3])


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda c: c.name)
def test_every_marked_string_has_an_english_translation(catalogue: Catalogue, extracted) -> None:
    committed = polib.pofile(str(catalogue.locale / "en" / "LC_MESSAGES" / "django.po"))
    entries = {_key(e): e for e in committed if not e.obsolete}
    missing, untranslated, fuzzy = [], [], []
    for key, fresh in extracted[catalogue.name].items():
        entry = entries.get(key)
        label = f"{key[1][:70]!r} ({_where(fresh)})"
        if entry is None:
            missing.append(label)
        elif entry.fuzzy:
            fuzzy.append(label)
        elif not _translated(entry):
            untranslated.append(label)
    assert extracted[catalogue.name], "makemessages found nothing: the scan is broken"
    assert not missing, f"not in {catalogue.name}'s English catalogue (run makemessages): " + (
        "\n".join(missing)
    )
    assert not untranslated, "no English text (add it to locale/translations/en.json):\n" + (
        "\n".join(untranslated)
    )
    assert not fuzzy, "fuzzy English entries (check and clear the flag):\n" + "\n".join(fuzzy)


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda c: c.name)
def test_every_marked_string_is_in_the_german_catalogue(catalogue: Catalogue, extracted) -> None:
    path = catalogue.locale / "de" / "LC_MESSAGES" / "django.po"
    assert path.exists(), f"{path.relative_to(ROOT)} is missing (makemessages -l de)"
    entries = {_key(e) for e in polib.pofile(str(path)) if not e.obsolete}
    missing = [
        f"{key[1][:70]!r} ({_where(fresh)})"
        for key, fresh in extracted[catalogue.name].items()
        if key not in entries
    ]
    assert not missing, f"not in {catalogue.name}'s German catalogue:\n" + "\n".join(missing)


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda c: c.name)
def test_compiled_english_catalogue_matches_its_source(catalogue: Catalogue) -> None:
    folder = catalogue.locale / "en" / "LC_MESSAGES"
    po = polib.pofile(str(folder / "django.po"))
    mo = polib.mofile(str(folder / "django.mo"))
    expected = {
        _key(e): e.msgstr or tuple(sorted(e.msgstr_plural.items()))
        for e in po
        if not e.obsolete and not e.fuzzy and (e.msgstr or any(e.msgstr_plural.values()))
    }
    compiled = {_key(e): e.msgstr or tuple(sorted(e.msgstr_plural.items())) for e in mo if e.msgid}
    stale = sorted(k[1][:70] for k in expected if compiled.get(k) != expected[k])
    assert not stale, "django.mo is older than django.po (run compilemessages):\n" + "\n".join(
        stale
    )


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda c: c.name)
def test_translation_map_covers_the_english_catalogue(catalogue: Catalogue) -> None:
    """The JSON map is the source of the English texts: a catalogue regenerated
    from scratch and filled by scripts/translate.py must come out complete."""
    mapping = json.loads((catalogue.locale / "translations" / "en.json").read_text("utf-8"))
    po = polib.pofile(str(catalogue.locale / "en" / "LC_MESSAGES" / "django.po"))
    absent = [
        e.msgid[:70] for e in po if not e.obsolete and not e.msgid_plural and e.msgid not in mapping
    ]
    assert not absent, "English text only in the .po, not in translations/en.json:\n" + (
        "\n".join(absent)
    )
