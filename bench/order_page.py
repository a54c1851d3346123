"""In-process timings of the order page (GET) and the order submission (POST).

Django's test client against the benchmark database (bench.settings, no
server, no load generator): the time a worker spends per request, which is
what limits requests/s on two cores. Used for the decisions recorded in
docs/benchmarks.md, "Where the order page's time goes"; `make bench` measures
the same pages over HTTP.

    DJANGO_SETTINGS_MODULE=bench.settings DJANGO_DEBUG=0 DJANGO_HTTPS=0 \\
    DJANGO_SECRET_KEY=... DATABASE_URL=postgres://postgres@127.0.0.1:5432/lenze_bench \\
    DJANGO_ALLOWED_HOSTS=testserver EMAIL_URL=dummymail:// \\
    .venv/bin/python bench/order_page.py [--profile get|post]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from orders import selectors, services  # noqa: E402


def new_link() -> str:
    link = services.support_request_create(
        company="Bench In-process GmbH", email="bench@example.com", send_email=False
    )
    return urlsplit(link.url).path


def form_data() -> dict[str, object]:
    offer = selectors.offer_current(language="de")
    assert offer.privacy and offer.asb and offer.tariff
    return {
        "consent": "on",
        "privacy_version": offer.privacy.pk,
        "asb_version": offer.asb.pk,
        "tariff_version": offer.tariff.pk,
    }


def timed(fn, n: int) -> list[float]:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def summary(name: str, times: list[float], queries: int) -> None:
    times = sorted(times)
    p90 = times[int(len(times) * 0.9)]
    print(
        f"{name:28s} median {statistics.median(times):6.2f} ms  p90 {p90:6.2f} ms  "
        f"min {times[0]:6.2f} ms  queries {queries}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=300, help="requests per scenario")
    parser.add_argument("--profile", choices=["get", "post"])
    args = parser.parse_args()

    client = Client()
    page = new_link()
    data = form_data()

    def get() -> None:
        assert client.get(page).status_code == 200

    posts = [new_link() for _ in range(args.n + 60)]

    def post() -> None:
        assert client.post(posts.pop(), data).status_code == 303

    for _ in range(30):  # warm-up: templates, translations, connection
        get()
        post()

    if args.profile:
        profiler = cProfile.Profile()
        fn = get if args.profile == "get" else post
        profiler.enable()
        for _ in range(min(args.n, 200)):
            fn()
        profiler.disable()
        pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "cumulative")).print_stats(
            int(os.environ.get("TOP", "45"))
        )
        return

    with CaptureQueriesContext(connection) as ctx:
        get()
    get_queries = len(ctx.captured_queries)
    with CaptureQueriesContext(connection) as ctx:
        post()
    post_queries = len(ctx.captured_queries)
    summary("order page GET", timed(get, args.n), get_queries)
    summary("order submit POST", timed(post, min(args.n, len(posts))), post_queries)


if __name__ == "__main__":
    main()
