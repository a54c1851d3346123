from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VatConfig(AppConfig):
    # No models: an app so that its messages have a translation catalogue.
    name = "vat"
    verbose_name = _("Umsatzsteuer")
