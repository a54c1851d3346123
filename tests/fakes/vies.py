"""A fake of the EU's VIES REST interface on 127.0.0.1, for driving the real
client (``vat.vies``) in tests.

It answers ``POST /check-vat-number`` as the public documentation describes:
``{"countryCode", "vatNumber", "requestDate", "valid", "requestIdentifier",
"name", "address"}`` for a check (the identifier only when a requester is
given), and ``{"actionSucceed": false, "errorWrappers": [{"error": CODE}]}``
for refusals such as ``MS_UNAVAILABLE``. A test sets ``registered`` (the VAT
IDs VIES knows), ``errors`` (VAT ID -> error code, with an HTTP status),
``delay`` (seconds before answering, for timeouts) or ``raw_answer`` (a body
that is not the documented JSON).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class FakeVies:
    registered: set[str] = field(default_factory=set)
    errors: dict[str, tuple[int, str]] = field(default_factory=dict)
    delay: float = 0.0
    raw_answer: tuple[int, str] | None = None
    received: list[dict[str, Any]] = field(default_factory=list)
    url: str = ""
    _counter: int = 0

    def answer(self, payload: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        country = str(payload.get("countryCode", ""))
        number = str(payload.get("vatNumber", ""))
        vat_id = country + number
        if len(country) != 2 or not number:
            return 400, {"actionSucceed": False, "errorWrappers": [{"error": "INVALID_INPUT"}]}
        if vat_id in self.errors:
            status, code = self.errors[vat_id]
            return status, {"actionSucceed": False, "errorWrappers": [{"error": code}]}
        self._counter += 1
        answer: dict[str, Any] = {
            "countryCode": country,
            "vatNumber": number,
            "requestDate": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()),
            "valid": vat_id in self.registered,
            "name": "---",
            "address": "---",
        }
        if payload.get("requesterMemberStateCode") and payload.get("requesterNumber"):
            answer["requestIdentifier"] = f"WAPIAAAAZ{self._counter:07d}"
        return 200, answer


@contextmanager
def fake_vies_server() -> Iterator[FakeVies]:
    """Run a ``FakeVies`` on a free loopback port; ``fake.url`` is its base URL."""
    fake = FakeVies()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            if fake.delay:
                time.sleep(fake.delay)
            if self.path.rstrip("/") != "/check-vat-number":
                self._send(404, "text/plain", b"not found")
                return
            try:
                payload = json.loads(body or b"{}")
            except ValueError:
                payload = {}
            fake.received.append(payload)
            if fake.raw_answer is not None:
                status, text = fake.raw_answer
                self._send(status, "text/html", text.encode())
                return
            status, answer = fake.answer(payload)
            self._send(status, "application/json", json.dumps(answer).encode())

        def _send(self, status: int, content_type: str, body: bytes) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout test)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.block_on_close = False  # a test need not wait for a deliberately slow answer
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
