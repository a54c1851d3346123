"""Writes of the TeamViewer connection, by concern: service cases (``cases``),
connection reports and billing marks (``reports``). Callers import from here."""

from teamviewer.services.cases import (
    CLOSING_STATUSES,
    SyncResult,
    backoff,
    case_close,
    case_description,
    case_open,
    case_request,
    case_request_close,
    case_retry,
    cases_due_close,
    cases_due_open,
    cases_missing_create,
    integration_enabled,
    order_status_changed,
    sync_pass,
)

__all__ = [
    "CLOSING_STATUSES",
    "SyncResult",
    "backoff",
    "case_close",
    "case_description",
    "case_open",
    "case_request",
    "case_request_close",
    "case_retry",
    "cases_due_close",
    "cases_due_open",
    "cases_missing_create",
    "integration_enabled",
    "order_status_changed",
    "sync_pass",
]
