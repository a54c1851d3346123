"""Helpers for the browser tests: axe-core, screenshots, narrow screens, console.

axe-core comes from the ``axe-playwright-python`` package (its bundled
``axe.min.js``, injected with ``page.evaluate``): nothing is fetched from a CDN,
and the injection bypasses the pages' Content-Security-Policy the way a
browser extension would, so the policy stays as strict as in production.
"""

from __future__ import annotations

from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, ViewportSize

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-results"
DESKTOP = ViewportSize(width=1280, height=900)
PHONE = ViewportSize(width=375, height=740)
NARROWEST = 320  # WCAG 2.1 reflow (1.4.10): 320 CSS pixels without horizontal scrolling

_AXE = Axe()
# Every rule axe enables by default: WCAG 2.0/2.1 A and AA plus axe's best practices.
AXE_OPTIONS = {"resultTypes": ["violations"]}


def axe_violations(page: Page) -> list[str]:
    """axe-core's violations on the current page, one readable line per element."""
    results = _AXE.run(page, options=AXE_OPTIONS)
    lines = []
    for violation in results.response["violations"]:
        for node in violation["nodes"]:
            lines.append(
                f"{violation['id']} ({violation['impact']}): {', '.join(map(str, node['target']))}"
                f" - {' '.join(node.get('failureSummary', '').split())[:300]}"
            )
    return lines


def assert_accessible(page: Page) -> None:
    found = axe_violations(page)
    assert not found, f"axe-core on {page.url}:\n" + "\n".join(found)


def horizontal_overflow_at_320(page: Page) -> int:
    """How many CSS pixels the page is wider than a 320 px screen (0 = no horizontal scroll)."""
    size = page.viewport_size
    page.set_viewport_size(ViewportSize(width=NARROWEST, height=640))
    width = int(page.evaluate("document.documentElement.scrollWidth"))
    if size:
        page.set_viewport_size(size)
    return max(0, width - NARROWEST)


def shoot(page: Page, journey: str, name: str) -> None:
    """Full-page screenshots at desktop and phone width under test-results/<journey>/."""
    folder = ARTIFACTS / journey
    folder.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size or DESKTOP
    for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        page.screenshot(path=str(folder / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(size)


def fill_in(page: Page, fields: dict[str, str]) -> None:
    """Type each value into the field labelled with its key, as a person would."""
    for label, value in fields.items():
        page.get_by_label(label).fill(value)


def watch_console(page: Page) -> list[str]:
    """Collects console errors and uncaught page errors of ``page``."""
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def log_in_to_admin(page: Page, base_url: str, *, username: str, password: str) -> None:
    """Both steps of the staff login in the browser: password, then the code an
    authenticator app would show (pyotp), ending on the admin index."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse
    from playwright.sync_api import expect

    from tests.two_factor import authenticator, code

    device = authenticator(get_user_model().objects.get(username=username))
    if "/login/" not in page.url:
        page.goto(base_url + reverse("admin:login"))
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("heading", name="Bestätigungscode")).to_be_visible()
    page.get_by_label("Code").fill(code(device))
    page.get_by_role("button", name="Anmelden").click()
    expect(page).to_have_url(base_url + reverse("admin:index"))
