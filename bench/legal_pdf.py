"""Legal documents: rendering the ASB PDF (done once, at publication) against
serving the stored PDF (every download), through Django's test client.

Usage: .venv/bin/python bench/legal_pdf.py [--renders 15] [--requests 300] [--write]

Runs on an in-memory SQLite database of its own (or DATABASE_URL if set), with
the test settings. --write puts the figures into docs/benchmarks.md between the
bench:legal markers.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- bench:legal:start -->", "<!-- bench:legal:end -->"


def _rss_mib() -> float:
    """Resident memory of this process (Linux), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:.1f}"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--renders", type=int, default=15)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")
    os.environ["DJANGO_SETTINGS_MODULE"] = "lenze_support.test_settings"
    import django

    django.setup()
    from django.test import Client
    from django.test.runner import DiscoverRunner
    from django.test.utils import setup_test_environment

    setup_test_environment()
    runner = DiscoverRunner(verbosity=0, interactive=False)
    old_config = runner.setup_databases()
    try:
        from legal import rendering
        from legal.initial import load_initial_documents
        from legal.models import LegalDocument

        first_renders: list[float] = []

        def timed_render(document: LegalDocument, *, body_html: str) -> bytes:
            t = time.perf_counter()
            pdf = rendering.render_pdf(document, body_html=body_html)
            first_renders.append(time.perf_counter() - t)
            return pdf

        rss_before = _rss_mib()
        load_initial_documents(pdf_renderer=timed_render)  # five real renders
        rss_after = _rss_mib()
        cold = first_renders[0]  # pays for importing WeasyPrint and setting up fonts
        asb = LegalDocument.objects.get(kind="asb", language="de")
        pages = len(rendering.pdf_layout(asb, body_html=asb.body_html).pages)
        size_kib = len(bytes(asb.pdf)) / 1024

        renders = []
        for _ in range(args.renders):
            t = time.perf_counter()
            rendering.render_pdf(asb, body_html=asb.body_html)
            renders.append(time.perf_counter() - t)

        client = Client()
        url = asb.get_pdf_url()
        assert client.get(url).status_code == 200  # warm the URL resolver and templates
        serves, revalidations, page_views = [], [], []
        for _ in range(args.requests):
            t = time.perf_counter()
            response = client.get(url)
            serves.append(time.perf_counter() - t)
            assert response.status_code == 200
            t = time.perf_counter()
            response = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
            revalidations.append(time.perf_counter() - t)
            assert response.status_code == 304
            t = time.perf_counter()
            assert client.get("/rechtliches/asb/").status_code == 200
            page_views.append(time.perf_counter() - t)
    finally:
        runner.teardown_databases(old_config)

    from django.db import connection

    speedup = statistics.median(renders) / statistics.median(serves)
    lines = [
        f"ASB (German), {pages} pages, {size_kib:.0f} KiB; {connection.vendor}, "
        f"Python {platform.python_version()}, {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.1f} at the end; "
        f"{args.renders} renders, {args.requests} requests each (medians).",
        "",
        "| What | Median |",
        "| --- | --- |",
        f"| Render the ASB PDF with WeasyPrint (warm process) | {_ms(renders)} ms |",
        f"| First render in a fresh process (privacy notice; includes importing "
        f"WeasyPrint and font set-up) | {cold * 1000:.0f} ms |",
        f"| Memory: process before any render / after the five renders | "
        f"{rss_before:.0f} MiB / {rss_after:.0f} MiB (WeasyPrint adds "
        f"{rss_after - rss_before:.0f} MiB) |",
        f"| Serve the stored PDF (`GET {url}`, test client, 1 query) | {_ms(serves)} ms |",
        f"| Revalidate it (`If-None-Match` → 304) | {_ms(revalidations)} ms |",
        f"| Current ASB page (`GET /rechtliches/asb/`, 2 queries) | {_ms(page_views)} ms |",
        "",
        f"Serving the stored PDF is about {speedup:.0f} times faster than rendering it, and web "
        "workers never import WeasyPrint (the memory row above): PDFs are rendered once, at "
        "publication, and stored with the version.",
    ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        doc = DOC.read_text(encoding="utf-8")
        block = f"{START}\n{text}\n{END}"
        if START in doc and END in doc:
            head, rest = doc.split(START, 1)
            doc = head + block + rest.split(END, 1)[1]
        else:
            doc = doc.rstrip("\n") + "\n\n## Legal documents\n\n" + block + "\n"
        DOC.write_text(doc, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
