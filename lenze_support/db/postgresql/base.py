"""Django's PostgreSQL backend with a health check that needs no round trip.

``CONN_HEALTH_CHECKS`` asks ``is_usable`` before the first query of every
request. Django's own answer is a ``SELECT 1``: a round trip on every page,
as much as the order link's look-up itself. A connection the server ended
(restart, ``pg_terminate_backend``, idle timeout) is not silent: PostgreSQL
sends its FATAL message and closes the socket, which makes the socket
readable. So an idle connection whose socket has nothing to read is as the
last request left it; only a readable socket gets Django's ``SELECT 1``.
(Subclassing a built-in backend is the documented way to change it; the
``ENGINE`` setting names this package, lenze_support/settings.py.)
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        try:
            readable, _, _ = select.select([connection.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        if not readable:
            return True
        return super().is_usable()
