"""Bulk-create years of realistic demo orders on PostgreSQL for scale measurements.

See orders/bulk_demo.py for what is written and docs/benchmarks.md ("Scale")
for the figures measured with it. Never for a production database.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from orders.bulk_demo import generate
from orders.models import Order, SupportRequest


class Command(BaseCommand):
    help = (
        "Bulk-creates demo support requests, orders, remote sessions and order events "
        "spread over --years years (PostgreSQL only, via COPY). Refuses a database that "
        "already holds orders or support requests unless --yes is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--orders", type=int, default=1_000_000, help="Orders to create.")
        parser.add_argument("--years", type=int, default=10, help="Spread over this many years.")
        parser.add_argument("--seed", type=int, default=None, help="Random seed (repeatable).")
        parser.add_argument(
            "--yes", action="store_true", help="Add to a database that already has orders."
        )

    def handle(
        self, *args: Any, orders: int, years: int, seed: int | None, yes: bool, **options: Any
    ) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(
                "bulk_demo_orders needs PostgreSQL (it writes with COPY); "
                "set DATABASE_URL=postgres://..."
            )
        if orders < 1 or years < 1:
            raise CommandError("--orders and --years must be at least 1")
        if not yes and (Order.objects.exists() or SupportRequest.objects.exists()):
            raise CommandError(
                "The database already holds orders or support requests; "
                "demo data would mix with them. Use a dedicated database or pass --yes."
            )
        started = time.monotonic()
        counts = generate(
            orders=orders,
            years=years,
            seed=seed,
            progress=lambda message: (
                self.stderr.write(message) if options["verbosity"] > 1 else None
            ),
        )
        elapsed = time.monotonic() - started
        years_text = ", ".join(f"{y}: {n}" for y, n in sorted(counts.per_year.items()))
        self.stdout.write(
            f"Created {counts.support_requests} support requests, {counts.orders} orders, "
            f"{counts.sessions} remote sessions and {counts.events} order events "
            f"in {elapsed:.1f} s (orders per year: {years_text})."
        )
