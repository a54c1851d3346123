"""No Python module of ours shows German text that is not marked for translation.

Two checks over the apps' source (migrations excluded, they copy the models):

* Structural: the arguments that always reach a reader (``verbose_name``,
  ``help_text``, ``label``, ``description`` of admin actions and columns,
  ``short_description``, form error messages, ``messages.*`` calls and
  ``ValidationError``) must be gettext calls, never bare strings.
* Heuristic: any other string literal that reads as German (umlauts, ß or
  common German words) must be inside a gettext call, unless it is listed
  below with the reason why it stays German in every language.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APPS = ("lenze_support", "legal", "orders", "contact")
MODULES = sorted(
    path
    for app in APPS
    for path in (ROOT / app).rglob("*.py")
    if "migrations" not in path.parts and "__pycache__" not in path.parts
)

GETTEXT = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "pgettext",
    "pgettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "npgettext",
    "npgettext_lazy",
}
READER_KEYWORDS = {
    "verbose_name",
    "verbose_name_plural",
    "help_text",
    "label",
    "description",
    "short_description",
    "empty_label",
    "empty_value_display",
}
# messages.<level>(request, text), ModelAdmin.message_user(request, text): the second argument.
MESSAGE_LEVELS = {"debug", "info", "success", "warning", "error", "add_message"}
GERMAN = re.compile(
    r"[äöüÄÖÜß]|\b(der|die|das|und|nicht|Sie|Ihr|Ihre|Bitte|bitte|ist|wird|werden|für|oder|"
    r"eine|kein|keine|Firma|Auftrag|Bestellung|Preis|Sitzung|Nachricht)\b"
)

# (module, text) that stay German in every language, with the reason.
ALLOWED = {
    # Titles and change note of the initial German legal documents: document
    # content in the document's language, stored as data.
    ("legal/initial.py", "Entwurfstext des Portals"),
    ("legal/initial.py", "Datenschutzerklärung Remote-Support"),
    ("legal/initial.py", "Allgemeine Servicebedingungen (ASB)"),
    # The wording § 14a (5) UStG requires on invoices (docs/decisions.md).
    ("billing/charges.py", "Steuerschuldnerschaft des Leistungsempfängers"),
    # CSV column names are a fixed interface for the ERP import (docs/billing.md).
    ("billing/exports.py", ""),
    # An automatic order-event note: a stored record, written in the helpdesk's
    # language like the notes agents type, not translated per reader.
    ("billing/services.py", "Erste Remote-Sitzung erfasst."),
}


def _name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _is_gettext(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Call) and _name(node) in GETTEXT


def _is_text(node: ast.AST) -> bool:
    """A literal with letters; an f-string whose literal parts have letters."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(re.search(r"[^\W\d_]", node.value))
    if isinstance(node, ast.JoinedStr):
        return any(_is_text(part) for part in node.values)
    return False


def _message_text(call: ast.Call) -> ast.AST | None:
    """The text argument of a call that shows a message to a reader, if any."""
    func = call.func
    if _name(call) == "ValidationError" and call.args:
        return call.args[0]
    if _name(call) == "message_user" and len(call.args) > 1:
        return call.args[1]
    if (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and func.value.id == "messages"
        and func.attr in MESSAGE_LEVELS
        and len(call.args) > 1
    ):
        return call.args[-1]
    return None


def _docstrings(tree: ast.AST) -> set[ast.AST]:
    found: set[ast.AST] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(first.value)
    return found


def _allowed(module: str, text: str) -> bool:
    # Demo data (orders/demo.py, demo_data, bulk demo orders) is sample content
    # typed as a customer or an agent would type it, not interface text.
    if "demo" in Path(module).name:
        return True
    return any(module == path and prefix in text for path, prefix in ALLOWED)


def problems_in(source: str, module: str = "module.py") -> list[str]:
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    docstrings = _docstrings(tree)
    found: list[str] = []

    for node in ast.walk(tree):
        # Structural: reader-facing arguments and assignments.
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg in READER_KEYWORDS and _is_text(keyword.value):
                    found.append(f"{node.lineno}: {keyword.arg}= is not marked")
                if keyword.arg == "error_messages" and isinstance(keyword.value, ast.Dict):
                    for value in keyword.value.values:
                        if _is_text(value):
                            found.append(f"{node.lineno}: error message is not marked")
            text = _message_text(node)
            if text is not None and _is_text(text):
                found.append(f"{node.lineno}: {_name(node)}() with an unmarked text")
        if isinstance(node, ast.Assign) and _is_text(node.value):
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id in READER_KEYWORDS:
                    found.append(f"{node.lineno}: {target.id} = is not marked")
        # Heuristic: German-looking literals outside gettext.
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and node not in docstrings
            and GERMAN.search(node.value)
            and not _is_gettext(parents.get(node))
            and not _allowed(module, node.value)
        ):
            found.append(f"{node.lineno}: {node.value[:70]!r} is not marked")
    return sorted(set(found), key=lambda line: int(line.split(":")[0]))


def test_the_scan_finds_unmarked_and_accepts_marked_text() -> None:
    source = (
        "from django.utils.translation import gettext_lazy as _\n"
        'a = models.CharField(verbose_name=_("Firma"))\n'
        'b = models.CharField(verbose_name="Firma")\n'
        'messages.success(request, "Gespeichert")\n'
        'c = "Bitte prüfen"\n'
        'logger.info("order.placed number=%s", n)\n'
        'messages.error(request, f"{obj}: {error.message}")\n'
        'messages.error(request, f"{obj}: konnte nicht")\n'
    )
    assert [line.split(":")[0] for line in problems_in(source)] == ["3", "3", "4", "5", "8", "8"]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_module_has_no_unmarked_reader_text(path: Path) -> None:
    module = str(path.relative_to(ROOT))
    found = problems_in(path.read_text(encoding="utf-8"), module)
    assert not found, f"{module}: " + "; ".join(found)
