"""Fill a dedicated PostgreSQL database with years of demo orders for bench/scale.py.

    DATABASE_URL=postgres://…/lenze_scale DJANGO_DEBUG=1 \\
        .venv/bin/python bench/bulk_orders.py --orders 1000000 --years 10 --seed 8 -v

Writes support requests, orders, remote sessions and order events with COPY
(``bench/bulk.py``). Refuses SQLite, and a database that already holds orders
or support requests unless ``--yes``: the generated rows carry real document
hashes and must never mix with a portal's data.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path


class Refused(Exception):
    """The database is not one to fill (not PostgreSQL, or already in use)."""


def run(*, orders: int, years: int, seed: int | None, yes: bool, verbose: bool = False) -> str:
    """Generate the data; returns the summary line. Raises ``Refused``."""
    from django.db import connection

    from bench.bulk import generate
    from orders.models import Order, SupportRequest

    if connection.vendor != "postgresql":
        raise Refused(
            "bench/bulk_orders.py needs PostgreSQL (it writes with COPY); "
            "set DATABASE_URL=postgres://..."
        )
    if orders < 1 or years < 1:
        raise Refused("--orders and --years must be at least 1")
    if not yes and (Order.objects.exists() or SupportRequest.objects.exists()):
        raise Refused(
            "The database already holds orders or support requests; "
            "demo data would mix with them. Use a dedicated database or pass --yes."
        )
    started = time.monotonic()
    counts = generate(
        orders=orders,
        years=years,
        seed=seed,
        progress=lambda message: print(message, file=sys.stderr) if verbose else None,
    )
    elapsed = time.monotonic() - started
    years_text = ", ".join(f"{y}: {n}" for y, n in sorted(counts.per_year.items()))
    return (
        f"Created {counts.support_requests} support requests, {counts.orders} orders, "
        f"{counts.sessions} remote sessions and {counts.events} order events "
        f"in {elapsed:.1f} s (orders per year: {years_text})."
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--orders", type=int, default=1_000_000, help="Orders to create.")
    parser.add_argument("--years", type=int, default=10, help="Spread over this many years.")
    parser.add_argument("--seed", type=int, default=None, help="Random seed (repeatable).")
    parser.add_argument(
        "--yes", action="store_true", help="Add to a database that already has orders."
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="Report each step.")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lenze_support.settings")
    import django

    django.setup()
    try:
        print(
            run(
                orders=args.orders,
                years=args.years,
                seed=args.seed,
                yes=args.yes,
                verbose=args.verbose,
            )
        )
    except Refused as error:
        print(f"bench/bulk_orders.py: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
