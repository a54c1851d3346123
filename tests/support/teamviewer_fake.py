"""A fake of TeamViewer's Web API (v1) for tests and the local demo.

Never imported by the portal's code: tests start it on a free loopback port and
drive the real client (``teamviewer.client``) against it over HTTP; ``make run``
starts it as its own process when no token is configured
(``python -m tests.support.teamviewer_fake``). The portal only talks plain HTTP
to a loopback address in debug mode, so a production instance can never use it.

Modelled on the public API description: Bearer token, JSON error bodies
``{"error", "error_description", "error_code"}``, ``POST /sessions`` answering
200 with a ``Location`` header, ``PUT`` answering 204, the connection report
newest end first with ``offset_id``/``next_offset`` paging, and 403
``rate_limit_reached``. Failures can be injected per path.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import json
import random
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

ALL_PERMISSIONS = frozenset(
    {
        "Sessions.Create",
        "Sessions.ReadAll",
        "Sessions.ModifyAll",
        "Connections.Read",
        "Connections.Modify",
    }
)
BILLING_STATES = ("Bill", "Billed", "DoNotBill")


def _date(value: datetime | None) -> str | None:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)


@dataclass
class Failure:
    """An injected answer for the next ``times`` matching calls."""

    method: str
    path_prefix: str
    status: int = 500
    error: str = "internal_error"
    description: str = "Injected failure."
    times: int = 1
    delay: float = 0.0  # seconds to sleep before answering (timeouts)
    raw_body: bytes | None = None  # a malformed answer instead of the error body


@dataclass
class FakeState:
    base_url: str = ""
    tokens: dict[str, frozenset[str]] = field(default_factory=dict)
    groups: set[str] = field(default_factory=set)
    cases: dict[str, dict[str, Any]] = field(default_factory=dict)
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    page_size: int = 1000
    failures: list[Failure] = field(default_factory=list)
    calls: list[tuple[str, str, dict[str, Any] | None]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class TeamViewerFake:
    """The fake server: ``start()`` on a free loopback port, ``stop()`` at the end."""

    def __init__(
        self,
        *,
        token: str = "fake-script-token",  # noqa: S107
        group_id: str = "g1234567",
        page_size: int = 1000,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.state = FakeState(page_size=page_size)
        self.state.tokens[token] = ALL_PERMISSIONS
        self.state.groups.add(group_id)
        self.token = token
        self.group_id = group_id
        state = self.state

        class Handler(_Handler):
            fake_state = state

        self._server = ThreadingHTTPServer((host, port), Handler)
        self._server.daemon_threads = True
        bound = self._server.server_address[1]
        self.root = f"http://{host}:{bound}"
        self.api_url = self.root + "/api/v1"
        self.state.base_url = self.root
        self._thread: threading.Thread | None = None

    # -- life cycle ---------------------------------------------------------

    def start(self) -> TeamViewerFake:
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- test controls ------------------------------------------------------

    def set_permissions(self, permissions: set[str], token: str | None = None) -> None:
        self.state.tokens[token or self.token] = frozenset(permissions)

    def revoke(self, token: str | None = None) -> None:
        self.state.tokens.pop(token or self.token, None)

    def fail(self, method: str, path_prefix: str, **kwargs: Any) -> None:
        """Answer the next matching call(s) with an error (see :class:`Failure`)."""
        with self.state.lock:
            self.state.failures.append(Failure(method.upper(), path_prefix, **kwargs))

    def rate_limit(self, method: str, path_prefix: str, times: int = 1) -> None:
        self.fail(
            method,
            path_prefix,
            status=403,
            error="rate_limit_reached",
            description="Rate limit reached.",
            times=times,
        )

    def add_connection(
        self,
        *,
        session_code: str,
        start: datetime,
        end: datetime | None,
        username: str = "Helpdesk Agent",
        record_id: str | None = None,
        billing_state: str = "Bill",
        groupid: str | None = None,
    ) -> str:
        """A connection report record as TeamViewer writes it after a connection."""
        record_id = record_id or str(uuid.uuid4())
        case = self.state.cases.get(session_code, {})
        with self.state.lock:
            self.state.records[record_id] = {
                "id": record_id,
                "userid": "u" + str(abs(hash(username)) % 10**7),
                "username": username,
                "deviceid": "d" + str(random.randint(10**6, 10**7)),
                "groupid": groupid or case.get("groupid") or self.group_id,
                "start_date": _date(start),
                "end_date": _date(end),
                "billing_state": billing_state,
                "notes": "",
                "session_code": session_code,
                "custom_api": case.get("custom_api", ""),
                "support_session_type": 1,
            }
        return record_id

    def calls_to(self, method: str, path_prefix: str) -> list[dict[str, Any] | None]:
        return [
            body
            for m, path, body in self.state.calls
            if m == method.upper() and path.startswith(path_prefix)
        ]


class _Handler(BaseHTTPRequestHandler):
    fake_state: FakeState
    server_version = "TeamViewerFake/1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet in tests
        return

    # -- plumbing -----------------------------------------------------------

    def _send(self, status: int, body: Any = None, headers: dict[str, str] | None = None) -> None:
        payload = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        if body is not None:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(payload)

    def _error(self, status: int, error: str, description: str, error_code: int = 1) -> None:
        self._send(
            status, {"error": error, "error_description": description, "error_code": error_code}
        )

    def _body(self) -> dict[str, Any] | None:
        length = int(self.headers.get("Content-Length") or 0)
        if not length:
            return None
        try:
            data = json.loads(self.rfile.read(length))
        except ValueError:
            return {"__invalid__": True}
        return data if isinstance(data, dict) else {"__invalid__": True}

    def _injected(self, method: str, path: str) -> bool:
        state = self.fake_state
        with state.lock:
            for failure in state.failures:
                if failure.method == method and path.startswith(failure.path_prefix):
                    failure.times -= 1
                    if failure.times <= 0:
                        state.failures.remove(failure)
                    break
            else:
                return False
        if failure.delay:
            time.sleep(failure.delay)
        if failure.raw_body is not None:
            self.send_response(failure.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(failure.raw_body)))
            self.end_headers()
            self.wfile.write(failure.raw_body)
        else:
            self._error(failure.status, failure.error, failure.description)
        return True

    def _permissions(self) -> frozenset[str] | None:
        header = self.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return None
        return self.fake_state.tokens.get(header[len("Bearer ") :])

    def _handle(self, method: str) -> None:
        url = urlsplit(self.path)
        path = url.path
        query = {key: values[-1] for key, values in parse_qs(url.query).items()}
        body = self._body() if method in ("POST", "PUT") else None
        self.fake_state.calls.append((method, path, body))
        if path.startswith("/demo/"):
            return self._demo(method, path, body)
        if not path.startswith("/api/v1/"):
            return self._error(404, "not_found", "Unknown path.")
        path = path[len("/api/v1") :]
        if self._injected(method, path):
            return None
        permissions = self._permissions()
        if path == "/ping" and method == "GET":
            return self._send(200, {"token_valid": permissions is not None})
        if permissions is None:
            return self._error(401, "invalid_token", "The access token is invalid.", 2)
        if body is not None and body.get("__invalid__"):
            return self._error(400, "invalid_request", "The body is not valid JSON.")
        if path == "/sessions" and method == "POST":
            return self._create(permissions, body or {})
        if path.startswith("/sessions/"):
            return self._case(method, permissions, path[len("/sessions/") :], body or {})
        if path == "/reports/connections" and method == "GET":
            return self._report(permissions, query)
        if path.startswith("/reports/connections/") and method == "PUT":
            return self._mark(permissions, path[len("/reports/connections/") :], body or {})
        return self._error(404, "not_found", "Unknown endpoint.")

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PUT(self) -> None:
        self._handle("PUT")

    # -- endpoints ----------------------------------------------------------

    def _forbidden(self, permission: str) -> None:
        self._error(403, "insufficient_rights", f"Missing permission {permission}.", 3)

    def _create(self, permissions: frozenset[str], body: dict[str, Any]) -> None:
        if "Sessions.Create" not in permissions:
            return self._forbidden("Sessions.Create")
        if ("groupid" in body) == ("groupname" in body):
            return self._error(400, "invalid_request", "Give exactly one of groupid, groupname.")
        if "groupid" in body and body["groupid"] not in self.fake_state.groups:
            return self._error(400, "invalid_request", "Unknown groupid.")
        now = datetime.now(UTC).replace(microsecond=0)
        valid_until = (
            _parse(body["valid_until"]) if body.get("valid_until") else now + timedelta(hours=24)
        )
        digits = f"{random.randint(0, 99_999_999):08d}"
        code = f"s{digits[:2]}-{digits[2:5]}-{digits[5:]}"
        root = self.fake_state.base_url
        case = {
            "code": code,
            "state": "open",
            "groupid": body.get("groupid", "g0"),
            "description": body.get("description", ""),
            "custom_api": body.get("custom_api", ""),
            "end_customer": body.get("end_customer"),
            "end_customer_link": f"{root}/demo/join/{code}",
            "supporter_link": f"{root}/demo/support/{code}",
            "webclient_supporter_link": f"{root}/demo/webclient/{code}",
            "created_at": _date(now),
            "valid_until": _date(valid_until),
            "closed_at": None,
        }
        with self.fake_state.lock:
            self.fake_state.cases[code] = case
        self._send(200, case, {"Location": f"{root}/api/v1/sessions/{code}"})

    def _case(self, method: str, permissions: frozenset[str], code: str, body: dict) -> None:
        case = self.fake_state.cases.get(code)
        if method == "GET":
            if "Sessions.ReadAll" not in permissions:
                return self._forbidden("Sessions.ReadAll")
            if case is None:
                return self._error(404, "not_found", "No such session.")
            return self._send(200, case)
        if method == "PUT":
            if "Sessions.ModifyAll" not in permissions:
                return self._forbidden("Sessions.ModifyAll")
            if case is None:
                return self._error(404, "not_found", "No such session.")
            if body.get("state") not in (None, "closed"):
                return self._error(400, "invalid_request", "state can only be closed.")
            if body.get("state") == "closed" and case["state"] != "closed":
                case["state"] = "closed"
                case["closed_at"] = _date(datetime.now(UTC))
            return self._send(204)
        return self._error(405, "method_not_allowed", "Method not allowed.")

    def _report(self, permissions: frozenset[str], query: dict[str, str]) -> None:
        if "Connections.Read" not in permissions:
            return self._forbidden("Connections.Read")
        state = self.fake_state
        rows = list(state.records.values())
        if query.get("session_code"):
            rows = [r for r in rows if r.get("session_code") == query["session_code"]]
        if query.get("has_code") in ("true", "True", "1"):
            rows = [r for r in rows if r["session_code"]]
        if query.get("groupid"):
            rows = [r for r in rows if r["groupid"] == query["groupid"]]
        try:
            if query.get("from_date"):
                since = _parse(query["from_date"])
                rows = [r for r in rows if _parse(r["start_date"]) >= since]
            if query.get("to_date"):
                until = _parse(query["to_date"])
                rows = [r for r in rows if _parse(r["start_date"]) <= until]
        except ValueError:
            return self._error(400, "invalid_request", "Dates must be YYYY-MM-DDTHH:MM:SSZ.")
        # Newest end first; running connections (no end) count as newest.
        rows.sort(key=lambda r: (r.get("end_date") or "9999", r.get("id", "")), reverse=True)
        start = 0
        if query.get("offset_id"):
            ids = [r["id"] for r in rows]
            if query["offset_id"] not in ids:
                return self._error(400, "invalid_request", "Invalid offset_id.", 4)
            start = ids.index(query["offset_id"])
        page = rows[start : start + state.page_size]
        rest = rows[start + state.page_size :]
        answer: dict[str, Any] = {"records": page, "records_remaining": len(rest)}
        if rest:
            answer["next_offset"] = rest[0]["id"]
        self._send(200, answer)

    def _mark(self, permissions: frozenset[str], record_id: str, body: dict[str, Any]) -> None:
        if "Connections.Modify" not in permissions:
            return self._forbidden("Connections.Modify")
        record = self.fake_state.records.get(record_id)
        if record is None:
            return self._error(404, "not_found", "No such connection.")
        if "billing_state" in body and body["billing_state"] not in BILLING_STATES:
            return self._error(400, "invalid_request", "Unknown billing_state.")
        with self.fake_state.lock:
            if "billing_state" in body:
                record["billing_state"] = body["billing_state"]
            if "notes" in body:
                record["notes"] = str(body["notes"])
        self._send(204)

    # -- demo pages (what the links of a case open) -------------------------

    def _demo(self, method: str, path: str, body: Any) -> None:
        parts = path.strip("/").split("/")
        code = parts[-1] if len(parts) == 3 else ""
        case = self.fake_state.cases.get(code)
        if case is None:
            return self._html(404, "<p>Unknown session code.</p>")
        if method == "POST" and parts[1] == "join":
            minutes = 12
            end = datetime.now(UTC).replace(microsecond=0)
            self.server_fake_add(code, end - timedelta(minutes=minutes), end)
            self.send_response(303)
            self.send_header("Location", path + "?connected=1")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        who = "Kunde / customer" if parts[1] == "join" else "Helpdesk"
        done = "connected=1" in (urlsplit(self.path).query or "")
        note = "<p><strong>Eine 12-minütige Demo-Verbindung wurde aufgezeichnet.</strong></p>"
        form = (
            note
            if done
            else (
                '<form method="post"><button type="submit">Demo: 12-minütige Verbindung '
                "aufzeichnen / record a 12-minute connection</button></form>"
            )
        )
        self._html(
            200,
            f"<h1>TeamViewer-Demo ({who})</h1><p>Sitzungscode {html.escape(code)}. "
            "Hier würde TeamViewer starten; dies ist eine lokale Nachbildung der "
            "TeamViewer-Schnittstelle, es wird keine echte Verbindung aufgebaut.</p>" + form,
        )

    def server_fake_add(self, code: str, start: datetime, end: datetime) -> None:
        record_id = str(uuid.uuid4())
        case = self.fake_state.cases[code]
        with self.fake_state.lock:
            self.fake_state.records[record_id] = {
                "id": record_id,
                "userid": "u1000001",
                "username": "Demo Helpdesk",
                "deviceid": "d1000001",
                "groupid": case["groupid"],
                "start_date": _date(start),
                "end_date": _date(end),
                "billing_state": "Bill",
                "notes": "",
                "session_code": code,
                "custom_api": case["custom_api"],
                "support_session_type": 1,
            }

    def _html(self, status: int, content: str) -> None:
        page = (
            '<!doctype html><html lang="de"><head><meta charset="utf-8">'
            "<title>TeamViewer-Demo</title></head><body>" + content + "</body></html>"
        ).encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        self.wfile.write(page)


def main() -> None:
    parser = argparse.ArgumentParser(description="Local fake of TeamViewer's Web API (demo).")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--token", default="demo-script-token")
    parser.add_argument("--group", default="g1234567")
    args = parser.parse_args()
    fake = TeamViewerFake(token=args.token, group_id=args.group, port=args.port)
    print(f"TeamViewer fake (demo) on {fake.api_url}", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        fake._server.serve_forever()


if __name__ == "__main__":
    main()
