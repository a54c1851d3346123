"""The one module that talks to TeamViewer's Web API (v1).

Every call has a timeout, redirects are never followed, answers are parsed into
typed records, and every failure becomes a :class:`TeamViewerError` carrying
TeamViewer's error code. The token goes only into the ``Authorization`` header;
it is never logged and never part of an exception text.

Called from background tasks and management commands, never from a customer's
request.
"""

from __future__ import annotations

import ipaddress
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlsplit

import httpx
from django.conf import settings

from lenze_support.logs import log_event
from teamviewer.errors import TeamViewerError

logger = logging.getLogger(__name__)

OFFICIAL_API_URL = "https://webapi.teamviewer.com/api/v1"
#: The report endpoint's largest page; TeamViewer pages newest end first.
REPORT_PAGE_SIZE = 1000
#: Permissions the portal needs on its script token (shown by teamviewer_ping).
REQUIRED_PERMISSIONS = (
    "Sessions.Create",
    "Sessions.ReadAll",
    "Sessions.ModifyAll",
    "Connections.Read",
    "Connections.Modify",
)


class BillingState:
    BILL = "Bill"
    BILLED = "Billed"
    DO_NOT_BILL = "DoNotBill"
    ALL = (BILL, BILLED, DO_NOT_BILL)


def format_date(value: datetime) -> str:
    """TeamViewer's date format: UTC, ``YYYY-MM-DDTHH:MM:SSZ``."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_date(value: Any) -> datetime | None:
    """A TeamViewer date (``…Z``, optionally with fractions) as an aware datetime."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ValueError(f"not a date: {value!r}")
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


@dataclass(frozen=True)
class ServiceCase:
    """A service case (TeamViewer: "session") as the API returns it."""

    code: str
    state: str
    end_customer_link: str
    supporter_link: str
    webclient_supporter_link: str
    created_at: datetime | None
    valid_until: datetime | None
    closed_at: datetime | None
    custom_api: str

    @classmethod
    def from_json(cls, data: Any) -> ServiceCase:
        if not isinstance(data, dict) or not isinstance(data.get("code"), str):
            raise ValueError("service case without code")
        return cls(
            code=data["code"],
            state=str(data.get("state") or ""),
            end_customer_link=str(data.get("end_customer_link") or ""),
            supporter_link=str(data.get("supporter_link") or ""),
            webclient_supporter_link=str(data.get("webclient_supporter_link") or ""),
            created_at=parse_date(data.get("created_at")),
            valid_until=parse_date(data.get("valid_until")),
            closed_at=parse_date(data.get("closed_at")),
            custom_api=str(data.get("custom_api") or ""),
        )


@dataclass(frozen=True)
class ConnectionRecord:
    """One connection report record. ``end_date`` is None while it is running."""

    id: str
    userid: str
    username: str
    groupid: str
    start_date: datetime
    end_date: datetime | None
    billing_state: str
    notes: str
    session_code: str
    custom_api: str

    @classmethod
    def from_json(cls, data: Any) -> ConnectionRecord:
        if not isinstance(data, dict) or not isinstance(data.get("id"), str) or not data["id"]:
            raise ValueError("connection record without id")
        start = parse_date(data.get("start_date"))
        if start is None:
            raise ValueError("connection record without start_date")
        return cls(
            id=data["id"],
            userid=str(data.get("userid") or ""),
            username=str(data.get("username") or ""),
            groupid=str(data.get("groupid") or ""),
            start_date=start,
            end_date=parse_date(data.get("end_date")),
            billing_state=str(data.get("billing_state") or ""),
            notes=str(data.get("notes") or ""),
            session_code=str(data.get("session_code") or ""),
            custom_api=str(data.get("custom_api") or ""),
        )


@dataclass(frozen=True)
class ReportPage:
    records: list[ConnectionRecord]
    skipped: int  # records that could not be read (logged, not imported)
    records_remaining: int
    next_offset: str | None


def is_loopback_url(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def url_allowed(url: str) -> bool:
    """https always; plain http only to a loopback address where settings allow it
    (debug mode and tests, for the local fake), never in production."""
    scheme = urlsplit(url).scheme
    if scheme == "https":
        return True
    return (
        scheme == "http"
        and bool(getattr(settings, "TEAMVIEWER_ALLOW_HTTP_LOOPBACK", False))
        and is_loopback_url(url)
    )


class TeamViewerClient:
    """A thin, typed client for the endpoints the portal uses."""

    def __init__(
        self,
        *,
        base_url: str | None = None,
        token: str | None = None,
        timeout: float | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = (base_url or settings.TEAMVIEWER_API_URL).rstrip("/")
        token = settings.TEAMVIEWER_API_TOKEN if token is None else token
        if not token:
            raise TeamViewerError(status=0, code="not_configured", description="no token")
        if not url_allowed(self.base_url):
            raise TeamViewerError(
                status=0, code="insecure_url", description="TEAMVIEWER_API_URL must be https"
            )
        seconds = settings.TEAMVIEWER_TIMEOUT_SECONDS if timeout is None else timeout
        self._http = httpx.Client(
            base_url=self.base_url + "/",
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
            timeout=httpx.Timeout(seconds),
            follow_redirects=False,
            transport=transport,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> TeamViewerClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transport ----------------------------------------------------------

    def _request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        body: dict[str, Any] | None = None,
        expect: tuple[int, ...] = (200,),
    ) -> httpx.Response:
        try:
            response = self._http.request(method, path.lstrip("/"), params=params, json=body)
        except httpx.TimeoutException as error:
            raise self._logged(TeamViewerError(status=0, code="timeout"), method, path) from error
        except httpx.HTTPError as error:
            raise self._logged(
                TeamViewerError(status=0, code="connection", description=type(error).__name__),
                method,
                path,
            ) from error
        if response.status_code in expect:
            return response
        raise self._logged(self._error(response), method, path)

    @staticmethod
    def _error(response: httpx.Response) -> TeamViewerError:
        code, description, error_code = f"http_{response.status_code}", "", None
        try:
            data = response.json()
        except ValueError:
            data = None
        if isinstance(data, dict):
            code = str(data.get("error") or code)
            description = str(data.get("error_description") or "")[:500]
            raw = data.get("error_code")
            error_code = raw if isinstance(raw, int) else None
        return TeamViewerError(
            status=response.status_code, code=code, description=description, error_code=error_code
        )

    @staticmethod
    def _logged(error: TeamViewerError, method: str, path: str) -> TeamViewerError:
        # The path carries at most a session code or record id, never the token.
        log_event(
            logger,
            "teamviewer.call_failed",
            level=logging.WARNING,
            method=method,
            path=path,
            status=error.status,
            error=error.code,
        )
        return error

    @staticmethod
    def _json(response: httpx.Response) -> Any:
        try:
            return response.json()
        except (ValueError, json.JSONDecodeError) as error:
            raise TeamViewerError(
                status=0, code="malformed", description="answer is not JSON"
            ) from error

    # -- endpoints ----------------------------------------------------------

    def ping(self) -> bool:
        """``GET /ping``: whether TeamViewer accepts the token."""
        data = self._json(self._request("GET", "ping"))
        if not isinstance(data, dict) or not isinstance(data.get("token_valid"), bool):
            raise TeamViewerError(
                status=0, code="malformed", description="ping without token_valid"
            )
        return data["token_valid"]

    def create_case(
        self,
        *,
        groupid: str,
        description: str,
        custom_api: str,
        valid_until: datetime | None = None,
    ) -> ServiceCase:
        """``POST /sessions`` in the group ``groupid``. The ``Location`` header of
        the answer is not followed; the body is the case."""
        body: dict[str, Any] = {
            "groupid": groupid,
            "description": description,
            "custom_api": custom_api,
        }
        if valid_until is not None:
            body["valid_until"] = format_date(valid_until)
        return self._case(self._request("POST", "sessions", body=body, expect=(200, 201)))

    def get_case(self, *, code: str) -> ServiceCase:
        """``GET /sessions/{code}``."""
        return self._case(self._request("GET", f"sessions/{quote(code, safe='')}"))

    def close_case(self, *, code: str) -> None:
        """``PUT /sessions/{code}`` with ``state: closed`` (204)."""
        self._request(
            "PUT", f"sessions/{quote(code, safe='')}", body={"state": "closed"}, expect=(200, 204)
        )

    def _case(self, response: httpx.Response) -> ServiceCase:
        try:
            return ServiceCase.from_json(self._json(response))
        except ValueError as error:
            raise TeamViewerError(status=0, code="malformed", description=str(error)) from error

    def connection_page(
        self, *, session_code: str | None = None, offset_id: str | None = None, **filters: Any
    ) -> ReportPage:
        """One page of ``GET /reports/connections``."""
        params: dict[str, Any] = {k: v for k, v in filters.items() if v is not None}
        if session_code:
            params["session_code"] = session_code
        if offset_id:
            params["offset_id"] = offset_id
        data = self._json(self._request("GET", "reports/connections", params=params))
        if not isinstance(data, dict) or not isinstance(data.get("records"), list):
            raise TeamViewerError(status=0, code="malformed", description="report without records")
        records, skipped = [], 0
        for raw in data["records"]:
            try:
                records.append(ConnectionRecord.from_json(raw))
            except ValueError:
                skipped += 1
        if skipped:
            log_event(logger, "teamviewer.records_unreadable", level=logging.WARNING, count=skipped)
        next_offset = data.get("next_offset")
        remaining = data.get("records_remaining")
        return ReportPage(
            records=records,
            skipped=skipped,
            records_remaining=remaining if isinstance(remaining, int) else 0,
            next_offset=str(next_offset) if next_offset else None,
        )

    def connections(
        self, *, session_code: str | None = None, **filters: Any
    ) -> Iterator[ReportPage]:
        """Every page of the report, following ``next_offset`` until it is absent.

        A repeated offset would loop forever: it ends the walk with an error.
        """
        seen: set[str] = set()
        offset: str | None = None
        while True:
            page = self.connection_page(session_code=session_code, offset_id=offset, **filters)
            yield page
            if not page.next_offset:
                return
            if page.next_offset in seen:
                raise TeamViewerError(
                    status=0, code="paging_loop", description="next_offset repeated"
                )
            seen.add(page.next_offset)
            offset = page.next_offset

    def mark_connection(self, *, record_id: str, billing_state: str, notes: str | None) -> None:
        """``PUT /reports/connections/{id}`` with the billing state (204)."""
        body: dict[str, Any] = {"billing_state": billing_state}
        if notes is not None:
            body["notes"] = notes
        self._request(
            "PUT",
            f"reports/connections/{quote(record_id, safe='')}",
            body=body,
            expect=(200, 204),
        )


def integration_enabled() -> bool:
    return bool(settings.TEAMVIEWER_API_TOKEN)
