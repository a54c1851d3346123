"""Tariffs in the admin: a tariff once in force stays as it was (customers saw
it); a price change is a new tariff with a later valid-from."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from billing.models import Tariff


@admin.register(Tariff)
class TariffAdmin(admin.ModelAdmin):
    list_display = [
        "valid_from",
        "base_fee",
        "block_price",
        "block_minutes",
        "vat_rate",
        "currency",
    ]
    date_hierarchy = "valid_from"

    def has_change_permission(self, request: HttpRequest, obj: Tariff | None = None) -> bool:
        # A tariff in force may have been shown to customers: it stays as it was;
        # price changes are a new tariff with a later valid-from.
        if obj is not None and obj.is_in_force:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Tariff | None = None) -> bool:
        if obj is not None and (obj.is_in_force or obj.orders.exists()):
            return False
        return super().has_delete_permission(request, obj)
