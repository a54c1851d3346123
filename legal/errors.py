from django.utils.translation import gettext_lazy as _


class LegalError(Exception):
    """A refused operation on legal documents; ``message`` is shown to staff."""

    PUBLISHED_IMMUTABLE = _(
        "Veröffentlichte Versionen sind unveränderlich; legen Sie einen neuen Entwurf an."
    )
    ALREADY_PUBLISHED = _("Diese Version ist bereits veröffentlicht.")
    RENDER_FAILED = _("Das PDF konnte nicht erzeugt werden; der Entwurf bleibt unveröffentlicht.")
    INVALID_DRAFT = _("Der Entwurf ist unvollständig: %(details)s")

    def __init__(self, message: object, **params: object) -> None:
        self.message = message
        self.params = params
        super().__init__(str(message) % params if params else str(message))
