"""The one exception type of the TeamViewer client, and the staff-facing texts."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class TeamViewerError(Exception):
    """A call to the TeamViewer Web API that did not succeed.

    ``status`` is the HTTP status (0: no answer: timeout, refused connection,
    malformed body); ``code`` is TeamViewer's ``error`` field (for example
    ``invalid_token``, ``rate_limit_reached``) or our own short code
    (``timeout``, ``connection``, ``malformed``). ``description`` is TeamViewer's
    ``error_description``; it never contains the token.
    """

    def __init__(
        self, *, status: int, code: str, description: str = "", error_code: int | None = None
    ) -> None:
        self.status = status
        self.code = code
        self.description = description
        self.error_code = error_code
        super().__init__(f"TeamViewer {status or '-'} {code}: {description}".strip())

    @property
    def rate_limited(self) -> bool:
        return self.status == 403 and self.code == "rate_limit_reached"

    @property
    def retryable(self) -> bool:
        """Worth trying again later: no answer, 5xx, 429 or the 403 rate limit."""
        return self.status == 0 or self.status >= 500 or self.status == 429 or self.rate_limited

    @property
    def token_rejected(self) -> bool:
        """The token is invalid or revoked: no retry helps until staff replace it."""
        return self.status == 401

    def for_staff(self) -> str:
        """One line for the order page: what happened, in the agent's language."""
        if self.token_rejected:
            return str(TOKEN_REJECTED)
        if self.rate_limited:
            return str(RATE_LIMITED)
        if self.status == 403:
            return str(PERMISSION_MISSING) + f" ({self.description or self.code})"
        if self.status == 0:
            return str(UNREACHABLE) + f" ({self.code})"
        return f"TeamViewer {self.status} {self.code}: {self.description}".strip()


TOKEN_REJECTED = _(
    "TeamViewer hat das API-Token abgelehnt (ungültig oder widerrufen). Bitte ein neues "
    "Skript-Token in TEAMVIEWER_API_TOKEN hinterlegen und die Sitzung neu anlegen."
)
RATE_LIMITED = _(
    "TeamViewer begrenzt gerade die Zahl der Anfragen; es wird später erneut versucht."
)
PERMISSION_MISSING = _("Dem TeamViewer-Token fehlt eine Berechtigung.")
UNREACHABLE = _("TeamViewer ist nicht erreichbar; es wird später erneut versucht.")
NOT_CONFIGURED = _(
    "Die TeamViewer-Anbindung ist nicht eingerichtet (TEAMVIEWER_API_TOKEN ist leer)."
)
