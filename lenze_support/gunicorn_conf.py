"""gunicorn settings for ``make serve`` and production (``gunicorn -c <this file>``).

- **No access log by default**: a request line carries the order link's
  secret token. ``GUNICORN_ACCESS_LOG`` (a file or ``-`` for stdout) switches
  it on; its lines then pass through the portal's own token redaction
  (``lenze_support.logs.redact_tokens``), like every Django log line.
- **Threaded workers** (``gthread``): a client that sends its request slowly
  holds one thread, not a whole worker, so a few slow connections cannot
  stall the portal. Behind a reverse proxy that buffers whole requests
  (nginx does by default) no slow client reaches gunicorn at all
  (docs/operations.md, "Serving").

Read by gunicorn, not imported by Django; the command line overrides any of it.
"""

from __future__ import annotations

import os
from typing import Any

from gunicorn.glogging import Logger

from lenze_support.logs import RedactTokensFilter, redact_tokens

workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
logger_class = "lenze_support.gunicorn_conf.RedactingLogger"

#: Access-log atoms that can contain a URL: request line, path, query, referrer.
URL_ATOMS = ("r", "U", "q", "f")


class RedactingLogger(Logger):
    """gunicorn's logger with order-link tokens cut out of every line: access-log
    lines and error-log lines with their tracebacks ("Error handling request GET …")."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        self.error_log.addFilter(RedactTokensFilter())

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict:
        values = super().atoms(resp, req, environ, request_time)
        for key in URL_ATOMS:
            if isinstance(values.get(key), str):
                values[key] = redact_tokens(values[key])
        for key, value in values.items():
            # Request and response headers ({referer}i …) can carry a URL too.
            if key.startswith("{") and isinstance(value, str):
                values[key] = redact_tokens(value)
        return values
