"""Child processes of the tests: a production-like environment, ``python`` and
``manage.py`` runs, and gunicorn on a free loopback port.

Tests that need the portal as it runs outside the test runner (settings read at
start-up, real worker processes, gunicorn's own logging) start it here, so each
one states only what differs: its variables, its options, what it asserts.
"""

from __future__ import annotations

import http.client
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def environ_without(*prefixes: str) -> dict[str, str]:
    """This process's environment without the variables starting with ``prefixes``,
    so that a child reads only what the test sets (not the developer's shell)."""
    return {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}


def production_env(*, drop: Sequence[str] = (), **variables: str) -> dict[str, str]:
    """The portal's production settings for a child process: no inherited
    ``DJANGO_`` variable (nor one starting with ``drop``), debug off, plain HTTP
    on loopback, a fresh secret key; ``variables`` on top."""
    env = environ_without("DJANGO_", *drop)
    env.update(
        DJANGO_SETTINGS_MODULE="lenze_support.settings",
        DJANGO_DEBUG="0",
        DJANGO_HTTPS="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        PYTHONPATH=str(ROOT),
    )
    env.update(variables)
    return env


def shared_database_url() -> str:
    """The URL of the PostgreSQL database the running test uses (pytest-django's
    ``test_<name>``), for a child process that must see the test's rows."""
    from django.db import connection

    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or "5432"
    return f"postgres://{credentials}@{host}:{port}/{db['NAME']}"


def run_python(
    *args: str, env: dict[str, str], timeout: float = 120, check: bool = False
) -> subprocess.CompletedProcess[str]:
    """``python *args`` in the repository with ``env``, output captured as text."""
    return subprocess.run(  # noqa: S603 - the test's own interpreter and arguments
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=check,
    )


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_status(
    port: int, path: str = "/healthz", headers: dict[str, str] | None = None, timeout: float = 30
) -> int:
    """The status of ``GET path`` on 127.0.0.1:``port`` (the body is read and dropped)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


@contextmanager
def gunicorn(
    *, env: dict[str, str], log: Path, options: Sequence[str] = (), startup_seconds: float = 30
) -> Iterator[int]:
    """gunicorn serving the portal's WSGI app on a free loopback port, its output in
    ``log``; yields the port once ``/healthz`` answers 200, stops it afterwards."""
    port = free_port()
    with log.open("w") as log_file:
        server = subprocess.Popen(  # noqa: S603 - fixed arguments, loopback only
            [
                GUNICORN,
                "lenze_support.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--no-control-socket",
                *options,
            ],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + startup_seconds
            while True:
                try:
                    if http_status(port, timeout=5) == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("gunicorn did not start:\n" + log.read_text())
                time.sleep(0.1)
            yield port
        finally:
            server.terminate()
            server.wait(timeout=30)
