"""gunicorn as ``make serve`` and production run it (lenze_support/gunicorn_conf.py):
no access log by default, tokens redacted when it is on and in gunicorn's error
lines, and slow clients do not stall the portal. An empty SQLite file and no
collected static files: the token pages fail inside Django, which also shows that
gunicorn's own "Error handling request GET /auftrag/…" lines and tracebacks are
redacted."""

from __future__ import annotations

import secrets
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support import processes
from tests.support.processes import ROOT, http_status

CONF = ROOT / "lenze_support" / "gunicorn_conf.py"
TOKEN = "Geheim" + secrets.token_urlsafe(16)


@contextmanager
def gunicorn(tmp_path: Path, **extra_env: str) -> Iterator[tuple[int, Path]]:
    """gunicorn with the portal's config file (as in the Makefile); yields port and log."""
    env = processes.production_env(
        drop=("GUNICORN_",),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
        **extra_env,
    )
    log = tmp_path / "gunicorn.log"
    with processes.gunicorn(env=env, log=log, options=["-c", str(CONF)]) as port:
        yield port, log


def visit_token_pages(port: int) -> None:
    http_status(port, f"/auftrag/{TOKEN}/")
    http_status(port, f"/en/order/{TOKEN}/placed/?x=1", {"Referer": f"http://x/auftrag/{TOKEN}/"})


def test_make_serve_uses_the_config_file():
    makefile = (ROOT / "Makefile").read_text()
    serve = makefile[makefile.index("\nserve:") :].split("\n\n")[0]
    assert "-f Procfile " in serve  # gunicorn and the task worker, started together
    web = next(
        line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("web:")
    )
    assert "-c lenze_support/gunicorn_conf.py" in web
    assert "--access-logfile" not in web


def test_no_access_log_by_default(tmp_path):
    with gunicorn(tmp_path) as (port, log):
        visit_token_pages(port)
    output = log.read_text()
    assert TOKEN not in output
    assert '"GET /' not in output  # no access-log line ("GET /path HTTP/1.1")
    assert "GET /auftrag/[token]/" in output  # gunicorn's error line, redacted


def test_the_access_log_when_switched_on_has_tokens_redacted(tmp_path):
    with gunicorn(tmp_path, GUNICORN_ACCESS_LOG="-") as (port, log):
        visit_token_pages(port)
        time.sleep(0.3)  # the access line is written after the response
    output = log.read_text()
    assert "GET /auftrag/[token]/ HTTP/1.1" in output
    assert "GET /en/order/[token]/placed/?x=1" in output
    assert TOKEN not in output


def test_three_slow_connections_do_not_delay_a_normal_request(tmp_path):
    with gunicorn(tmp_path) as (port, _log):
        slow = []
        for _ in range(3):
            sock = socket.create_connection(("127.0.0.1", port), timeout=30)
            # Headers started but never finished: a slowloris client.
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            slow.append(sock)
        time.sleep(0.5)  # the server has picked them up
        try:
            started = time.monotonic()
            assert http_status(port, "/healthz") == 200
            elapsed = time.monotonic() - started
        finally:
            for sock in slow:
                sock.close()
    assert elapsed < 1.0, f"a normal request waited {elapsed:.1f} s behind slow clients"


def test_the_access_log_atoms_with_urls_are_redacted():
    from datetime import timedelta
    from types import SimpleNamespace

    from gunicorn.config import Config

    from lenze_support.gunicorn_conf import RedactingLogger

    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/auftrag/{TOKEN}/?a=1",
        "PATH_INFO": f"/auftrag/{TOKEN}/",
        "QUERY_STRING": "a=1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"https://portal.example/en/order/{TOKEN}/",
    }
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    atoms = RedactingLogger(Config()).atoms(response, request, environ, timedelta(seconds=0))
    assert atoms["r"] == "GET /auftrag/[token]/?a=1 HTTP/1.1"
    assert atoms["U"] == "/auftrag/[token]/"
    assert atoms["f"] == "https://portal.example/en/order/[token]/"
    assert atoms["{referer}i"] == "https://portal.example/en/order/[token]/"
    assert TOKEN not in str(atoms)
