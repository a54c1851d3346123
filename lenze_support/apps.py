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
        # The staff groups and their permissions (lenze_support/groups.py), after
        # every migrate and after a test's flush: once, with the signal for the
        # last app that has models (Django sends one per such app).
        from django.apps import apps
        from django.db.models.signals import post_migrate

        from lenze_support.groups import groups_apply_after_migrate

        last = [config for config in apps.get_app_configs() if config.models_module][-1]
        post_migrate.connect(
            groups_apply_after_migrate, sender=last, dispatch_uid="lenze_support.groups"
        )
