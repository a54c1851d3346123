from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LenzeSupportConfig(AppConfig):
    name = "lenze_support"
    verbose_name = _("Lenze Remote Support")

    def ready(self) -> None:
        # Registers the rate-limit settings check and the structured log lines
        # for failed staff logins (docs/operations.md, "Logging").
        from lenze_support import logs, ratelimits  # noqa: F401

        logs.connect_signals()
