"""A task for the concurrency test: appends its number to a file, one line per run."""

from __future__ import annotations

import os

from django_tasks.base import task


@task()
def record_run(*, number: int, path: str) -> int:
    # O_APPEND: concurrent writers from several processes never interleave a line.
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, f"{number}\n".encode())
    finally:
        os.close(fd)
    return number
