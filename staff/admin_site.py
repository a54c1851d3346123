"""The admin site: a password alone opens nothing, the second factor is required.

It is the helpdesk's workplace: the portal's name on every page, and a start
page that lists what needs attention (``staff.workplace``) above the app list.
django-axes' login records are for superusers only.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.db.models.base import ModelBase
from django.http import HttpRequest
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext_lazy as _

from staff.selectors import is_verified

#: Apps whose admin only superusers see, whatever permissions a group holds: the
#: login attempts and lockouts name users and addresses.
SUPERUSER_ONLY_APPS = frozenset({"axes"})


class SuperuserOnlyAdminMixin:
    """Put before a ModelAdmin: nobody but an active superuser sees or changes it."""

    def _superuser(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._superuser(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._superuser(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._superuser(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._superuser(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._superuser(request)


class StaffAdminSite(admin.AdminSite):
    site_header = _("Lenze Remote Support · Helpdesk")
    site_title = _("Lenze Helpdesk")
    index_title = _("Arbeitsplatz")
    index_template = "admin/workplace.html"
    # The list of every model beside each page narrows the order list to a
    # horizontal scroll at 1280 px; the start page and the breadcrumbs lead there.
    enable_nav_sidebar = False

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and is_verified(request.user)

    def register(
        self,
        model_or_iterable: type[Model] | Iterable[type[Model]],
        admin_class: type[admin.ModelAdmin] | None = None,
        **options: Any,
    ) -> None:
        models: list[type[Model]] = (
            [model_or_iterable]
            if isinstance(model_or_iterable, ModelBase)
            else list(model_or_iterable)
        )
        for model in models:
            model_admin = admin_class or admin.ModelAdmin
            if model._meta.app_label in SUPERUSER_ONLY_APPS and not issubclass(
                model_admin, SuperuserOnlyAdminMixin
            ):
                # The app registers its own admins on this site; wrap them here.
                model_admin = type(
                    f"SuperuserOnly{model_admin.__name__}",
                    (SuperuserOnlyAdminMixin, model_admin),
                    {},
                )
            super().register(model, model_admin, **options)

    def index(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        from staff.workplace import attention

        context = {**(extra_context or {}), "attention": attention(request, site=self)}
        return super().index(request, context)

    def get_urls(self) -> list[URLResolver | URLPattern]:
        from staff import views

        own: list[Any] = [
            path("zwei-faktor/", views.verify, name="staff_verify"),
            path("zwei-faktor/einrichten/", views.enrol, name="staff_enrol"),
            path("zwei-faktor/einrichten/qr.svg", views.enrol_qr, name="staff_enrol_qr"),
            path(
                "zwei-faktor/backup-codes/",
                self.admin_view(views.backup_codes),
                name="staff_backup_codes",
            ),
        ]
        return own + super().get_urls()
