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
    # Sessions and the status workflow, shown to agents.
    SESSION_END_BEFORE_START = _("Das Ende der Sitzung muss nach ihrem Beginn liegen.")
    SESSION_IN_FUTURE = _("Beginn und Ende einer Sitzung dürfen nicht in der Zukunft liegen.")
    SESSION_OVERLAP = _("Die Sitzung überschneidet sich mit einer anderen Sitzung dieses Auftrags.")
    ORDER_FINAL = _(
        "Der Auftrag ist abgerechnet, übertragen oder storniert und kann nicht mehr "
        "geändert werden."
    )
    ORDER_COMPLETED = _(
        "Der Auftrag ist abgeschlossen: Seine Sitzungen können nicht mehr erfasst, geändert "
        "oder storniert werden. Die Helpdesk-Leitung kann ihn mit Begründung wieder öffnen."
    )
    SESSION_ALREADY_VOIDED = _("Diese Sitzung wurde bereits storniert.")
    SESSION_WITHOUT_AGENT = _("Eine von Hand erfasste Sitzung braucht einen Mitarbeiter.")
    VOID_REASON_MISSING = _("Bitte geben Sie den Grund an, warum die Sitzung storniert wird.")
    REOPEN_REASON_MISSING = _(
        "Bitte geben Sie den Grund an, warum der Auftrag wieder geöffnet wird."
    )
    REOPEN_FORBIDDEN = _(
        "Nur die Helpdesk-Leitung kann einen abgeschlossenen Auftrag wieder öffnen."
    )
    TRANSITION_NOT_ALLOWED = _(
        "Auftrag %(number)s: Wechsel von „%(from_status)s“ nach „%(to_status)s“ ist nicht erlaubt."
    )
    TRANSITION_FORBIDDEN = _(
        "Abrechnen, Übertragen und Stornieren ist der Helpdesk-Leitung vorbehalten."
    )
    REFERENCE_MISSING = _("Bitte geben Sie die Auftragsnummer des Field-Service-Einsatzes an.")
    REASON_MISSING = _("Bitte geben Sie den Grund der Stornierung an.")
    BUSINESS_EVIDENCE_IN_EU = _(
        "Die Bestätigung als Unternehmen ist für Kunden außerhalb der EU gedacht. In der EU "
        "belegt die USt-IdNr. die Unternehmereigenschaft."
    )
    BUSINESS_EVIDENCE_MISSING = _(
        "Bitte geben Sie an, welchen Nachweis Sie für die Unternehmereigenschaft haben "
        "(z. B. Handelsregister- oder UID-Nummer)."
    )
    EXPORT_PERIOD_INVERTED = _("Das Ende des Zeitraums liegt vor seinem Beginn.")

    def __init__(self, message: object, **params: object) -> None:
        self.message = message
        self.params = params
        super().__init__(str(message) % params if params else str(message))
