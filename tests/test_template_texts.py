"""No template shows text that is not marked for translation.

Every template a customer or an agent reads (pages, e-mails, PDFs, our admin
templates) is read with Django's template lexer; whatever is outside
``{% translate %}`` and ``{% blocktranslate %}`` and outside variables and tags
is parsed as HTML, and a text node or a read-aloud attribute (``alt``,
``title``, ``aria-label``, ``placeholder``) that still contains letters is an
unmarked string. Brand and product names are allowed; nothing else is.

Python strings are covered by ``tests/test_python_texts.py``; the catalogues'
completeness by ``tests/test_catalogues.py``.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.template.base import Lexer, TokenType

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE_DIRS = [
    ROOT / "templates",
    ROOT / "legal" / "templates",
    ROOT / "orders" / "templates",
    ROOT / "contact" / "templates",
]
TEMPLATES = sorted(
    path
    for folder in TEMPLATE_DIRS
    for path in folder.rglob("*")
    if path.suffix in {".html", ".txt"}
)

# Names that are the same in every language, and the EU's English term that
# follows the German reverse-charge note on non-German statements (by design).
ALLOWED = re.compile(r"\b(Lenze SE|Lenze|TeamViewer|SHA-256|PDF|CSV|UTC|reverse charge)\b")
LETTER = re.compile(r"[^\W\d_]")
READ_ALOUD = {"alt", "title", "aria-label", "placeholder", "aria-description"}
# Stands in for a variable or a marked string: no letters, valid in text and attributes.
MARK = "\u00b7"

TRANSLATE_BLOCKS = {"blocktranslate": "endblocktranslate", "blocktrans": "endblocktrans"}
SKIPPED_BLOCKS = {"comment": "endcomment", "verbatim": "endverbatim"}
# {% block %}s whose content is markup, CSS (the PDF frame's style and its
# header's CSS content value, templates/pdf/base.html) or a robots value, not text.
NON_TEXT_BLOCKS = {
    "robots", "bodyclass", "extrastyle", "extrahead", "extra_head", "coltype",
    "style", "header_left",
}  # fmt: skip


def _strip_marked(source: str) -> str:
    """The template with every tag, variable and marked string replaced by MARK."""
    out: list[str] = []
    closing: str | None = None
    for token in Lexer(source).tokenize():
        if closing is not None:
            if token.token_type == TokenType.BLOCK and token.contents.split()[0] == closing:
                closing = None
            continue
        if token.token_type == TokenType.TEXT:
            out.append(token.contents)
        elif token.token_type == TokenType.BLOCK:
            bits = token.contents.split() or [""]
            closing = TRANSLATE_BLOCKS.get(bits[0]) or SKIPPED_BLOCKS.get(bits[0])
            if bits[0] == "block" and len(bits) > 1 and bits[1] in NON_TEXT_BLOCKS:
                closing = "endblock"
            out.append(MARK)
        elif token.token_type == TokenType.VAR:
            out.append(MARK)
    return "".join(out)


class _TextFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._raw = 0  # inside <script> or <style>

    def _check(self, text: str) -> None:
        rest = ALLOWED.sub("", text)
        if LETTER.search(rest):
            self.found.append(" ".join(text.split())[:90])

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self._raw += 1
        for name, value in attrs:
            if name in READ_ALOUD and value:
                self._check(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"} and self._raw:
            self._raw -= 1

    def handle_data(self, data: str) -> None:
        if not self._raw:
            self._check(data)


def unmarked_texts(source: str) -> list[str]:
    finder = _TextFinder()
    finder.feed(_strip_marked(source))
    finder.close()
    return finder.found


def test_the_scan_finds_unmarked_text_and_accepts_marked_text() -> None:
    source = (
        '{% load i18n %}<h1>{% translate "Titel" %}</h1>'
        "{% blocktranslate trimmed %}Hallo {{ name }}{% endblocktranslate %}"
        '<img alt="Logo" src="{{ url }}"><p>{{ value }} · Lenze</p>'
        "{% comment %}Nur für Entwickler{% endcomment %}<p>Nicht übersetzt</p>"
        "<script>var x = 'code';</script>"
    )
    assert unmarked_texts(source) == ["Logo", "Nicht übersetzt"]


def test_templates_are_found() -> None:
    names = {path.name for path in TEMPLATES}
    assert {"base.html", "order_page.html", "form.html", "document.html"} <= names


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_template_has_no_unmarked_text(path: Path) -> None:
    found = unmarked_texts(path.read_text(encoding="utf-8"))
    assert not found, f"text not marked for translation in {path.relative_to(ROOT)}: {found}"
