"""Staff accounts in the admin: who has a second factor, the lead's reset, the event log.

django-otp's own device admins are removed: they would show every account's
TOTP key (as a QR code) to anyone allowed to view devices.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from staff import services
from staff.models import StaffEvent

User = get_user_model()

for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)

if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "is_staff", "second_factor")
    actions = ["reset_second_factor"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        confirmed = TOTPDevice.objects.filter(user_id=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(has_second_factor=Exists(confirmed))

    @admin.display(description=_("Zweiter Faktor"), boolean=True, ordering="has_second_factor")
    def second_factor(self, obj: Any) -> bool:
        return bool(getattr(obj, "has_second_factor", False))

    def has_reset_second_factor_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("staff.reset_second_factor")

    @admin.action(
        description=_("Zweiten Faktor zurücksetzen (Telefon verloren)"),
        permissions=["reset_second_factor"],
    )
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        count = 0
        for user in queryset:
            services.second_factor_reset(user=user, by=request.user)  # type: ignore[arg-type]
            count += 1
        self.message_user(
            request,
            ngettext(
                "Der zweite Faktor von %(count)d Konto wurde zurückgesetzt; "
                "es richtet ihn bei der nächsten Anmeldung neu ein.",
                "Der zweite Faktor von %(count)d Konten wurde zurückgesetzt; "
                "sie richten ihn bei der nächsten Anmeldung neu ein.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(StaffEvent)
class StaffEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "action", "user", "actor")
    list_filter = ("action",)
    list_select_related = ("user", "actor")
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
