from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegalConfig(AppConfig):
    name = "legal"
    verbose_name = _("Rechtstexte")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from legal.models import LegalDocument
        from legal.selectors import current_page_cache_clear

        # The current pages' cached documents and version lists (legal.selectors.current_page).
        for signal in (post_save, post_delete):
            signal.connect(
                current_page_cache_clear, sender=LegalDocument, dispatch_uid="legal.current_page"
            )
