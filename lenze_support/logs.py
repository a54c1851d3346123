"""Structured log lines: an event name and key=value fields, never personal data.

Business events are logged with :func:`log_event`::

    log_event(logger, "orders.order.placed", order="RS-2026-000042", language="de")

and written by the console handler as one line (``DJANGO_LOG_FORMAT``):

    ts=2026-11-25T19:40:00+0000 level=INFO logger=orders.services \
        event=orders.order.placed order=RS-2026-000042 language=de

or, with ``DJANGO_LOG_FORMAT=json``, as one JSON object per line. Fields carry
order numbers, statuses, view names and exception class names only: no names,
e-mail addresses, client addresses, tokens or URLs with tokens
(docs/operations.md, "Logging").
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

_BARE = re.compile(r"\A[A-Za-z0-9_.:/@+-]+\Z")

logger = logging.getLogger("lenze_support.auth")


def _value(value: Any) -> str:
    text = str(value)
    return text if _BARE.match(text) else json.dumps(text, ensure_ascii=False)


def render_fields(fields: dict[str, Any]) -> str:
    return " ".join(f"{key}={_value(value)}" for key, value in fields.items())


def log_event(log: logging.Logger, event: str, *, level: int = logging.INFO, **fields: Any) -> None:
    """Log ``event`` with ``fields`` (no personal data beyond order numbers)."""
    message = " ".join(filter(None, [f"event={event}", render_fields(fields)]))
    log.log(level, message, extra={"event": event, "fields": fields})


class KeyValueFormatter(logging.Formatter):
    """``ts=… level=… logger=… event=… key=value``; other records get ``msg="…"``."""

    def format(self, record: logging.LogRecord) -> str:
        head = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
        }
        event = getattr(record, "event", None)
        if event:
            fields = getattr(record, "fields", {})
            line = f"{render_fields(head)} {render_fields({'event': event, **fields})}"
        else:
            line = (
                f"{render_fields(head)} msg={json.dumps(record.getMessage(), ensure_ascii=False)}"
            )
        if record.exc_info:
            exc_type = record.exc_info[0]
            line += f" exc_type={exc_type.__name__ if exc_type else 'None'}"
            exc = record.exc_text or self.formatException(record.exc_info)
            line += f" exc={json.dumps(exc)}"
        return line


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts, level, logger, event and fields, or msg."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
        }
        event = getattr(record, "event", None)
        if event:
            data["event"] = event
            fields = getattr(record, "fields", {})
            data.update({k: v for k, v in fields.items() if k not in data})
        else:
            data["msg"] = record.getMessage()
        if record.exc_info:
            exc_type = record.exc_info[0]
            data["exc_type"] = exc_type.__name__ if exc_type else None
            data["exc"] = record.exc_text or self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)


#: An order link's path segment after /auftrag/ or /order/ (German and English URLs).
_TOKEN_IN_PATH = re.compile(r"(/(?:auftrag|order)/)[^/\s\"'?#]+")


def redact_tokens(text: str) -> str:
    """``/auftrag/<token>/`` -> ``/auftrag/[token]/``: the token is the customer's secret."""
    return _TOKEN_IN_PATH.sub(r"\1[token]", text)


class RedactTokensFilter(logging.Filter):
    """Handler filter: no order-link token reaches a log line (Django logs the path
    of every 4xx/5xx response, e.g. ``Not Found: /auftrag/<token>/``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_tokens(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        # A traceback can quote the path too (Resolver404, a server's "Error handling
        # request GET /auftrag/…"): formatted once here, redacted, and kept as the
        # record's exc_text, which the formatters print instead of formatting again.
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_tokens(record.exc_text)
        return True


def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any):
    # Neither the username nor the address: both are personal (axes keeps them, masked).
    log_event(logger, "auth.login.failed", level=logging.WARNING)


def _locked_out(sender: Any, request: Any = None, **kwargs: Any) -> None:
    log_event(logger, "auth.login.locked_out", level=logging.WARNING)


def connect_signals() -> None:
    """Failed staff logins and axes lockouts as structured lines."""
    from axes.signals import user_locked_out
    from django.contrib.auth.signals import user_login_failed

    user_login_failed.connect(_login_failed, dispatch_uid="lenze_support.logs.login_failed")
    user_locked_out.connect(_locked_out, dispatch_uid="lenze_support.logs.locked_out")
