"""Reads of the TeamViewer connection: what the success page, the order admin
and the ping command show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from orders.models import Order
from teamviewer.client import REQUIRED_PERMISSIONS, TeamViewerClient
from teamviewer.errors import TeamViewerError
from teamviewer.models import ServiceCase


def case_for_order(*, order: Order) -> ServiceCase | None:
    """The order's case, or None (integration off, or placed before it was on)."""
    try:
        return order.teamviewer_case
    except ServiceCase.DoesNotExist:
        return None


@dataclass(frozen=True)
class ConnectBox:
    """What the customer's order page shows about connecting."""

    state: str  # "connect", "preparing", "fallback"
    case: ServiceCase | None
    demo: bool
    refresh_seconds: int = 5


def connect_box(*, order: Order) -> ConnectBox:
    """``connect`` once the case is open, ``preparing`` while it is being created
    (for TEAMVIEWER_CONNECT_WAIT_SECONDS after the order), else ``fallback``:
    the usual steps, the helpdesk calls."""
    demo = settings.TEAMVIEWER_DEMO
    if not settings.TEAMVIEWER_API_TOKEN:
        # Integration off: today's page, without a query.
        return ConnectBox(state="fallback", case=None, demo=False)
    case = case_for_order(order=order)
    if (
        case is not None
        and case.connectable
        and order.status
        in (
            Order.Status.PLACED,
            Order.Status.IN_PROGRESS,
        )
    ):
        return ConnectBox(state="connect", case=case, demo=demo)
    waited = timezone.now() - order.placed_at
    if (
        case is not None
        and case.status == ServiceCase.Status.PENDING
        and waited < timedelta(seconds=settings.TEAMVIEWER_CONNECT_WAIT_SECONDS)
    ):
        return ConnectBox(state="preparing", case=case, demo=demo)
    return ConnectBox(state="fallback", case=None, demo=demo)


@dataclass(frozen=True)
class PingReport:
    token_valid: bool
    permissions: dict[str, bool | None]  # None: could not tell
    group_id: str
    error: str = ""

    @property
    def missing(self) -> list[str]:
        return [name for name, ok in self.permissions.items() if ok is False]

    @property
    def ok(self) -> bool:
        return self.token_valid and not self.missing and not self.error and bool(self.group_id)


def _allowed(call) -> bool | None:  # type: ignore[no-untyped-def]
    """Probe one permission with a call that changes nothing: a 403 that is not the
    rate limit means missing; 400 or 404 mean the permission was granted and only
    the (deliberately invalid) request was refused."""
    try:
        call()
    except TeamViewerError as error:
        if error.status == 403 and not error.rate_limited:
            return False
        if error.status in (400, 404):
            return True
        return None
    return True


def ping(*, client: TeamViewerClient) -> PingReport:
    """Token and permissions, checked without creating or changing anything."""
    group = settings.TEAMVIEWER_GROUP_ID
    try:
        valid = client.ping()
    except TeamViewerError as error:
        return PingReport(False, {}, group, error.for_staff())
    if not valid:
        return PingReport(False, {}, group)
    unknown = "s00-000-000"
    now = timezone.now()
    probes = {
        # Missing group: TeamViewer refuses the body after checking the permission.
        "Sessions.Create": lambda: client._request("POST", "sessions", body={"description": "x"}),
        "Sessions.ReadAll": lambda: client.get_case(code=unknown),
        "Sessions.ModifyAll": lambda: client._request(
            "PUT", f"sessions/{unknown}", body={"state": "closed"}, expect=(204,)
        ),
        "Connections.Read": lambda: client.connection_page(
            from_date=now.strftime("%Y-%m-%dT%H:%M:%SZ"), to_date=now.strftime("%Y-%m-%dT%H:%M:%SZ")
        ),
        "Connections.Modify": lambda: client.mark_connection(
            record_id="00000000-0000-0000-0000-000000000000", billing_state="Bill", notes=None
        ),
    }
    assert set(probes) == set(REQUIRED_PERMISSIONS)
    return PingReport(True, {name: _allowed(call) for name, call in probes.items()}, group)
