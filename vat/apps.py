from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def queue_missing_checks(sender: type, **kwargs: Any) -> None:
    """When a worker starts: queue the VAT ID checks that are due and not queued."""
    from vat.services import vies_checks_queue_missing

    vies_checks_queue_missing()


class VatConfig(AppConfig):
    # No models: an app so that its messages have a translation catalogue.
    name = "vat"
    verbose_name = _("Umsatzsteuer")

    def ready(self) -> None:
        from background.signals import worker_starting

        worker_starting.connect(queue_missing_checks, dispatch_uid="vat.queue_missing_checks")
