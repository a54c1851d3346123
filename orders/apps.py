from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = _("Remote-Support-Aufträge")

    def ready(self) -> None:
        from billing.models import Tariff
        from legal.models import LegalDocument
        from orders.selectors import offer_cache_clear

        # The order page's cached offer (orders.selectors.offer_for_page) is
        # forgotten whenever what it is made of changes, whoever changes it.
        for model in (LegalDocument, Tariff):
            for signal in (post_save, post_delete):
                signal.connect(
                    offer_cache_clear, sender=model, dispatch_uid=f"orders.offer.{model.__name__}"
                )
