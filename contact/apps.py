from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactConfig(AppConfig):
    name = "contact"
    verbose_name = _("Kontakt")

    def ready(self) -> None:
        from contact import checks  # noqa: F401  (registers the settings check)
