from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamViewerConfig(AppConfig):
    name = "teamviewer"
    verbose_name = _("TeamViewer")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from orders.models import Order
        from teamviewer import checks, signals  # noqa: F401  (registers the checks)

        # A new order opens its service case in the background; orders knows
        # nothing of TeamViewer (imports point from teamviewer to orders).
        post_save.connect(signals.order_saved, sender=Order, dispatch_uid="teamviewer.order_saved")
