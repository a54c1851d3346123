"""Scale: the admin order list, its search and the CSV export on a big database.

Run against a PostgreSQL database filled by ``bench/bulk_orders.py``:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lenze_scale \\
        .venv/bin/python bench/scale.py [--runs 7] [--export 100000] [--write]

Logs in a Helpdesk agent with Django's test client (production settings:
DEBUG off, cached templates), times the admin order list (default view, each
filter, each search) as the median of ``--runs`` requests after one warm-up,
counts the queries of each, prints ``EXPLAIN (ANALYZE, BUFFERS)`` of the
default list query and of the order-number search, and streams the CSV export
of the newest ``--export`` orders while sampling the process's memory. With
``--write`` the figures replace the block between the ``bench:scale`` markers
in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import secrets
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lenze_support.settings")
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_HTTPS", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402

from billing.models import RemoteSession, Tariff  # noqa: E402
from orders.models import Order, SupportRequest  # noqa: E402
from staff.services import demo_authenticator  # noqa: E402

DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- bench:scale:start -->", "<!-- bench:scale:end -->"


def rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def agent_client() -> Client:
    user, _ = User.objects.get_or_create(username="scale-agent", defaults={"is_staff": True})
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name="Helpdesk"))
    client = Client()
    client.force_login(user)
    # Past the second factor, as a code entered at login would leave the session.
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = demo_authenticator(user=user).persistent_id
    session.save()
    return client


def timed_get(client: Client, url: str, runs: int) -> tuple[float, float, int, str, str]:
    """(median ms, max ms, queries, page html, slowest SQL) after one warm-up request."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    times = []
    statements: list[str] = []

    def record(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        statements.append(sql % tuple(_literal(p) for p in params) if params else sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        response = client.get(url)
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    main_sql = max(
        statements, key=lambda s: ("LIMIT" in s and '"orders_order"."button_label"' in s, len(s))
    )
    return (
        statistics.median(times),
        max(times),
        len(statements),
        response.content.decode(),
        main_sql,
    )


def _literal(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, dt.datetime):
        return "'" + value.isoformat() + "'::timestamptz"
    return "'" + str(value).replace("'", "''") + "'"


def explain(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def list_scenarios() -> list[tuple[str, dict[str, str]]]:
    today = timezone.localdate()
    sample = (
        Order.objects.select_related("support_request")
        .filter(placed_at__year=today.year - 5)
        .order_by("number")
        .first()
    )
    assert sample is not None, "no data: run bench/bulk_orders.py first"
    oldest_tariff = Tariff.objects.order_by("valid_from").first()
    newest_tariff = Tariff.objects.order_by("-valid_from").first()
    assert oldest_tariff and newest_tariff
    week = today - dt.timedelta(days=7)
    month = today.replace(day=1)
    year = today.replace(month=1, day=1)
    tomorrow = today + dt.timedelta(days=1)
    request = sample.support_request
    scenarios: list[tuple[str, dict[str, str]]] = [("Default view (newest first)", {})]
    for status in Order.Status:
        scenarios.append((f"Status: {status.value}", {"status__exact": status.value}))
    for label, since in (("last 7 days", week), ("this month", month), ("this year", year)):
        scenarios.append(
            (
                f"Period: {label}",
                {
                    "placed_at__gte": f"{since} 00:00:00+01:00",
                    "placed_at__lt": f"{tomorrow} 00:00:00+01:00",
                },
            )
        )
    for treatment in Order.VatTreatment:
        scenarios.append((f"VAT: {treatment.value}", {"vat_treatment__exact": treatment.value}))
    scenarios.append(
        (f"Tariff: oldest ({oldest_tariff.pk})", {"tariff__id__exact": str(oldest_tariff.pk)})
    )
    scenarios.append(
        (f"Tariff: newest ({newest_tariff.pk})", {"tariff__id__exact": str(newest_tariff.pk)})
    )
    scenarios.append(
        (f"Year {today.year - 5} (year filter)", {"placed_at__year": str(today.year - 5)})
    )
    scenarios.append(
        (
            "Status billed + VAT reverse charge",
            {"status__exact": "billed", "vat_treatment__exact": "reverse_charge"},
        )
    )
    scenarios.append((f"Search order number ({sample.number})", {"q": sample.number}))
    scenarios.append((f"Search company ({request.company})", {"q": request.company}))
    scenarios.append((f"Search e-mail ({request.email})", {"q": request.email}))
    scenarios.append(
        (f"Search case reference ({request.case_reference})", {"q": request.case_reference})
    )
    scenarios.append(('Search common word ("GmbH")', {"q": "GmbH"}))
    scenarios.append(("Page 50 of the default view", {"p": "50"}))
    return scenarios


def measure_lists(client: Client, runs: int) -> tuple[list[dict], dict[str, str]]:
    changelist = reverse("admin:orders_order_changelist")
    rows = []
    plans: dict[str, str] = {}
    median, worst, queries, _html, _sql = timed_get(client, reverse("admin:index"), runs)
    rows.append(
        {
            "name": "Start page (what needs attention)",
            "median": median,
            "max": worst,
            "queries": queries,
            "rows": "-",
        }
    )
    print(f"{'Start page':60} {median:8.1f} ms (max {worst:7.1f})  {queries:2d} queries")
    for name, params in list_scenarios():
        url = changelist + ("?" + urlencode(params) if params else "")
        median, worst, queries, html, sql = timed_get(client, url, runs)
        shown = len(re.findall(r'<tr[^>]*>\s*<td class="action-checkbox">', html))
        rows.append(
            {"name": name, "median": median, "max": worst, "queries": queries, "rows": shown}
        )
        print(f"{name:60} {median:8.1f} ms (max {worst:7.1f})  {queries:2d} queries  {shown} rows")
        if name.startswith("Default view") or name.startswith("Search order number"):
            plans[name] = explain(sql)
    return rows, plans


def measure_export(client: Client, count: int) -> dict:
    """Stream the admin's CSV export of the newest ``count`` orders (by date range)."""
    boundary = Order.objects.order_by("-placed_at").values_list("placed_at", flat=True)[count - 1]
    date_from = timezone.localtime(boundary).date()  # whole days: at least ``count``
    expected = Order.objects.filter(
        placed_at__gte=timezone.make_aware(dt.datetime.combine(date_from, dt.time.min))
    ).count()
    url = reverse("admin:orders_order_export") + "?" + urlencode({"date_from": str(date_from)})
    result: dict = {"orders": expected, "date_from": str(date_from)}
    statements: list[str] = []

    def record(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        statements.append(sql)
        return execute(sql, params, many, context)

    for traced in (False, True):
        before = rss_mib()
        peak_rss = before
        if traced:
            tracemalloc.start()
        started = time.perf_counter()
        statements.clear()
        with connection.execute_wrapper(record):
            response = client.get(url)
            assert response.status_code == 200 and response.streaming
            lines = size = 0
            for chunk in response.streaming_content:  # type: ignore[attr-defined]
                lines += 1
                size += len(chunk)
                if lines % 2000 == 0:
                    peak_rss = max(peak_rss, rss_mib())
        elapsed = time.perf_counter() - started
        peak_rss = max(peak_rss, rss_mib())
        if traced:
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            result["traced_peak_mib"] = peak / 2**20
            result["traced_seconds"] = elapsed
        else:
            result.update(
                seconds=elapsed,
                lines=lines,
                mib=size / 2**20,
                rss_before=before,
                rss_growth=peak_rss - before,
                queries=len(statements),
            )
    print(
        f"export of {expected} orders: {result['seconds']:.1f} s, {result['mib']:.1f} MiB CSV, "
        f"{result['queries']} queries, RSS +{result['rss_growth']:.1f} MiB, "
        f"tracemalloc peak {result['traced_peak_mib']:.1f} MiB"
    )
    return result


def write_doc(
    rows: list[dict], plans: dict[str, str], export: dict | None, command: str, seconds: float
) -> None:
    counts = {
        "orders": Order.objects.count(),
        "requests": SupportRequest.objects.count(),
        "sessions": RemoteSession.objects.count(),
    }
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    load = os.getloadavg()
    lines = [
        START,
        f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {platform.node()} "
        f"({os.cpu_count()} cores, Python {platform.python_version()}, PostgreSQL {pg}); "
        f"load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} at the end "
        f"(other processes shared the cores). Data: {counts['orders']:,} orders, "
        f"{counts['requests']:,} support requests, {counts['sessions']:,} remote sessions. "
        f"Command: `{command}` ({seconds:.0f} s).",
        "",
        "| Admin order list (Helpdesk agent) | Median | Max | Queries | Rows |",
        "| --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        cells = [
            row["name"],
            f"{row['median']:.1f} ms",
            f"{row['max']:.1f} ms",
            row["queries"],
            row["rows"],
        ]
        lines.append("| " + " | ".join(str(cell) for cell in cells) + " |")
    if export:
        lines += [
            "",
            "| CSV export (admin view, streamed) | Figure |",
            "| --- | --- |",
            f"| Orders exported (placed since {export['date_from']}) | {export['orders']:,} |",
            "| Time / size / queries | "
            f"{export['seconds']:.1f} s / {export['mib']:.1f} MiB / {export['queries']} |",
            "| Process RSS before / growth at peak | "
            f"{export['rss_before']:.0f} MiB / +{export['rss_growth']:.1f} MiB |",
            f"| Python allocations, peak (tracemalloc run, {export['traced_seconds']:.0f} s) | "
            f"{export['traced_peak_mib']:.1f} MiB |",
        ]
    for name, plan in plans.items():
        lines += ["", f"`EXPLAIN (ANALYZE, BUFFERS)`, {name}:", "", "```", plan, "```"]
    lines.append(END)
    block = "\n".join(lines)
    text = DOC.read_text(encoding="utf-8")
    if START in text:
        text = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _m: block, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n## Scale: 1,000,000 orders\n\n" + block + "\n"
    DOC.write_text(text, encoding="utf-8")
    print(f"written to {DOC.relative_to(ROOT)}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--export", type=int, default=100_000, help="0: skip the export")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("bench/scale.py needs the PostgreSQL database filled by bench/bulk_orders.py")
        return 2
    setup_test_environment()  # ALLOWED_HOSTS for the test client, locmem e-mail
    started = time.monotonic()
    client = agent_client()
    rows, plans = measure_lists(client, args.runs)
    for name, plan in plans.items():
        print(f"\n{name}\n{plan}")
    export = measure_export(client, args.export) if args.export else None
    if args.write:
        command = "DATABASE_URL=postgres://…/lenze_scale .venv/bin/python bench/scale.py --write"
        write_doc(rows, plans, export, command, time.monotonic() - started)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
