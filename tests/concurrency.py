"""Run calls at the same moment from threads with their own database connections
(a barrier releases them together), for the PostgreSQL concurrency tests."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection

from orders.errors import OrderError


def run_together(calls: list[Callable[[], Any]], *, timeout: float = 60) -> list[Any]:
    """Each call's result, in order: its return value, an ``OrderError``'s message,
    or any other exception (for the assertions to report)."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except OrderError as error:
            results[index] = error.message
        except Exception as error:  # reported by the assertions
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results
