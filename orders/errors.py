from django.utils.translation import gettext_lazy as _


class OrderError(Exception):
    """A refused operation on support requests or orders.

    ``message`` is one of the constants below (shown to customers or staff);
    tests assert the constant.
    """

    CONSENT_MISSING = _(
        "Bitte bestätigen Sie mit dem Häkchen, dass Sie die Datenschutzerklärung zur Kenntnis "
        "genommen haben und den Allgemeinen Servicebedingungen zustimmen."
    )
    STALE = _(
        "Die Datenschutzerklärung, die Allgemeinen Servicebedingungen oder die Preise wurden "
        "inzwischen aktualisiert. Bitte lesen Sie die aktuelle Fassung unten und bestellen Sie "
        "dann erneut."
    )
    UNAVAILABLE = _(
        "Eine Bestellung ist im Moment nicht möglich, weil die Vertragsunterlagen oder Preise "
        "fehlen. Bitte wenden Sie sich an unseren Helpdesk."
    )
    EXPIRED = _("Dieser Bestelllink ist abgelaufen.")
    REVOKED = _("Dieser Bestelllink wurde zurückgezogen.")
    ALREADY_ORDERED = _("Zu dieser Anfrage wurde bereits bestellt.")

    def __init__(self, message: object, **params: object) -> None:
        self.message = message
        self.params = params
        super().__init__(str(message) % params if params else str(message))
