"""In-process cost of each customer page against the bare layout page.

Django's test client against the benchmark database (bench.settings, the
production middleware stack, cached templates, no server, no load generator):
the CPU time a worker spends per request, which is what limits requests/s on
two cores. `make bench` measures the same pages over HTTP; this script is for
deciding what to change (median of many requests, pages measured in turn, so
a burst of load from elsewhere hits every page alike) and for profiles.

    DJANGO_SETTINGS_MODULE=bench.settings DJANGO_DEBUG=0 DJANGO_HTTPS=0 \\
    DJANGO_SECRET_KEY=... DATABASE_URL=postgres://postgres@127.0.0.1:5432/lenze_bench \\
    DJANGO_ALLOWED_HOSTS=testserver EMAIL_URL=dummymail:// \\
    .venv/bin/python bench/pages.py [-n 400] [--profile order] [--templates]

Run `make bench` (or bench/seed.py) once first: it creates and seeds the database.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import translation  # noqa: E402

from orders import selectors, services  # noqa: E402


def pages() -> dict[str, str]:
    """Name -> path of each measured page (German unless the name says otherwise)."""
    link = services.support_request_create(
        company="Bench In-process GmbH", email="bench@example.com", send_email=False
    )
    offer = selectors.offer_current(language="de")
    assert offer.asb is not None, "seed the benchmark database first (make bench)"
    order = urlsplit(link.url).path
    with translation.override("en"):
        order_en = reverse("orders:order", kwargs={"token": order.rstrip("/").rsplit("/", 1)[1]})
    return {
        "bare": "/__bench__/page",
        "info": "/",
        "order": order,
        "order-en": order_en,
        "asb": reverse("legal:asb"),
        "asb-v": offer.asb.get_absolute_url(),
        "pdf": offer.asb.get_pdf_url(),
    }


def template_renders(client: Client, path: str) -> Counter[str]:
    """Templates rendered for one request (Django's test signal)."""
    from django.test.signals import template_rendered

    seen: Counter[str] = Counter()

    def receiver(sender: object, template: object, **kwargs: object) -> None:
        seen[str(getattr(template, "name", template))] += 1

    template_rendered.connect(receiver)
    try:
        client.get(path)
    finally:
        template_rendered.disconnect(receiver)
    return seen


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=400, help="requests per page")
    parser.add_argument("--profile", help="profile this page instead of timing all")
    parser.add_argument("--templates", action="store_true", help="list templates per page")
    args = parser.parse_args()

    client = Client()
    paths = pages()

    def caller(path: str) -> Callable[[], None]:
        def call() -> None:
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)

        return call

    calls = {name: caller(path) for name, path in paths.items()}
    for _ in range(30):  # warm-up: templates, translations, connection, caches
        for call in calls.values():
            call()

    if args.templates:
        from django.test.utils import setup_test_environment

        setup_test_environment()
        for name, path in paths.items():
            print(name, dict(template_renders(client, path)))
        return

    if args.profile:
        profiler = cProfile.Profile()
        fn = calls[args.profile]
        profiler.enable()
        for _ in range(args.n):
            fn()
        profiler.disable()
        pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "cumulative")).print_stats(
            int(os.environ.get("TOP", "50"))
        )
        return

    # Wall time includes waiting for PostgreSQL and for the CPU when other
    # processes load the machine; this process's CPU time does not (but misses
    # the database server's share). Both are printed.
    wall: dict[str, list[float]] = {name: [] for name in calls}
    cpu: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(args.n):
        for name, fn in calls.items():
            start, start_cpu = time.perf_counter(), time.thread_time()
            fn()
            cpu[name].append((time.thread_time() - start_cpu) * 1000)
            wall[name].append((time.perf_counter() - start) * 1000)
    bare_wall, bare_cpu = statistics.median(wall["bare"]), statistics.median(cpu["bare"])
    for name in calls:
        with CaptureQueriesContext(connection) as ctx:
            calls[name]()
        median_wall, median_cpu = statistics.median(wall[name]), statistics.median(cpu[name])
        print(
            f"{name:9s} wall median {median_wall:6.3f} ms "
            f"(bare/page {bare_wall / median_wall:4.0%})"
            f"  cpu median {median_cpu:6.3f} ms (bare/page {bare_cpu / median_cpu:4.0%})"
            f"  queries {len(ctx.captured_queries)}"
        )
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
