from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    """Staff accounts: the second factor (TOTP, backup codes) and its events."""

    default = True
    name = "staff"
    verbose_name = _("Mitarbeiterkonten")


class StaffAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the portal's site: nothing is reachable without the second factor.

    Django's documented way to replace the default site (``default_site``), so
    every ``@admin.register`` in the apps lands on it.
    """

    default = False
    default_site = "staff.admin_site.StaffAdminSite"
