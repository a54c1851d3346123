"""The admin site: a password alone opens nothing, the second factor is required."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import URLPattern, URLResolver, path

from staff.selectors import is_verified


class StaffAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and is_verified(request.user)

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
