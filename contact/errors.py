from django.utils.translation import gettext_lazy as _


class ContactError(Exception):
    """A refused operation on contact messages; ``message`` is shown to staff."""

    ALREADY_HANDLED = _("Diese Nachricht ist bereits als erledigt markiert.")
    INVALID_MESSAGE = _("Die Nachricht ist unvollständig oder ungültig: %(details)s")
    INVALID_RETENTION = _("Die Aufbewahrungsfrist muss mindestens einen Tag betragen.")

    def __init__(self, message: object, **params: object) -> None:
        self.message = message
        self.params = params
        super().__init__(str(message) % params if params else str(message))
