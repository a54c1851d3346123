"""Body to HTML: Markdown works, anything active or remote is removed; the fingerprint."""

import hashlib
from datetime import UTC, datetime

import pytest

from legal.models import LegalDocument
from legal.rendering import body_to_html, canonical_text, fingerprint, sanitise


@pytest.mark.parametrize(
    ("body", "forbidden"),
    [
        ("Hallo <script>alert(1)</script> Welt", ["<script", "alert(1)"]),
        ("[klick](javascript:alert(1))", ["javascript:"]),
        ('<a href="javascript:alert(1)">x</a>', ["javascript:"]),
        ('<img src="x" onerror="alert(1)">', ["onerror", "<img"]),
        ("![Logo](https://evil.example/track.png)", ["<img", "evil.example"]),
        ('<p onclick="alert(1)" style="color:red">x</p>', ["onclick", "style="]),
        ('<iframe src="https://evil.example/"></iframe>', ["<iframe", "evil.example"]),
        ("<style>body{background:url(https://evil.example/x)}</style>", ["<style", "evil"]),
        ('<link rel="stylesheet" href="https://evil.example/x.css">', ["<link", "evil"]),
        ('<svg onload="alert(1)"><use href="https://evil.example/#x"/></svg>', ["<svg", "onload"]),
        ('<form action="https://evil.example/"><input name="x"></form>', ["<form", "<input"]),
        ('<a href="data:text/html,<script>alert(1)</script>">x</a>', ["data:", "<script"]),
    ],
)
def test_active_and_remote_content_is_removed(body, forbidden):
    html = str(body_to_html(body))
    for needle in forbidden:
        assert needle not in html


def test_markdown_structure_survives():
    html = str(
        body_to_html(
            "## § 1 Geltung\n\n1. eins\n2. zwei\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n\n"
            "**fett** [Lenze](https://www.lenze.com) <mailto:info@example.com>"
        )
    )
    assert "<h2>§ 1 Geltung</h2>" in html
    assert "<ol>" in html and "<li>zwei</li>" in html
    assert "<table>" in html and "<td>2</td>" in html
    assert "<strong>fett</strong>" in html
    assert 'href="https://www.lenze.com"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_line_breaks_typed_in_the_admin_are_kept():
    html = str(body_to_html("Lenze SE\nHans-Lenze-Straße 1\n31855 Aerzen"))
    assert html.count("<br>") == 2


def test_sanitise_cleans_stored_html_again():
    assert "<script" not in sanitise('<p>ok</p><script>alert("stored")</script>')


def _doc(**overrides):
    fields = {
        "kind": "asb",
        "language": "de",
        "version": 3,
        "title": "ASB",
        "body": "Zeile 1\nZeile 2",
        "valid_from": datetime(2026, 1, 1, 0, 0, tzinfo=UTC),
    }
    return LegalDocument(**{**fields, **overrides})


def test_canonical_text_is_documented_format_and_hash_is_its_sha256():
    doc = _doc()
    assert canonical_text(doc) == (
        "Lenze legal document\nkind: asb\nlanguage: de\nversion: 3\ntitle: ASB\n"
        "valid-from: 2026-01-01T00:00:00Z\n\nZeile 1\nZeile 2\n"
    )
    assert fingerprint(doc) == hashlib.sha256(canonical_text(doc).encode()).hexdigest()


def test_line_endings_and_unicode_form_do_not_change_the_fingerprint():
    assert fingerprint(_doc(body="Zeile 1\r\nZeile 2\r\n")) == fingerprint(_doc())
    decomposed = "Gro\u0308ße"  # o + combining diaeresis
    assert fingerprint(_doc(body=decomposed)) == fingerprint(_doc(body="Größe"))


@pytest.mark.parametrize(
    "change",
    [
        {"body": "Zeile 1\nZeile 2."},
        {"body": "Zeile 1  \nZeile 2"},  # trailing blanks are Markdown line breaks
        {"title": "ASB neu"},
        {"version": 4},
        {"language": "en"},
        {"kind": "privacy"},
        {"valid_from": datetime(2026, 1, 2, tzinfo=UTC)},
    ],
)
def test_every_published_value_is_covered_by_the_fingerprint(change):
    assert fingerprint(_doc(**change)) != fingerprint(_doc())


def test_valid_from_is_stated_in_utc_whatever_the_time_zone():
    from zoneinfo import ZoneInfo

    berlin = datetime(2026, 1, 1, 1, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    assert fingerprint(_doc(valid_from=berlin)) == fingerprint(_doc())
