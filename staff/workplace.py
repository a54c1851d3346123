"""The helpdesk's start page: what needs attention, counted, each with a link to
the list that shows it.

Each line is shown only to those who may open its list (the target's own
``ModelAdmin`` decides, as it will when the link is followed), and the counts
cost a fixed number of queries whatever the number of orders: one for the
orders by status (the status index), one each for the failed notifications,
the TeamViewer cases and the failed background tasks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.contrib.admin import AdminSite
from django.db.models import Count, Model, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_tasks.base import TaskResultStatus

from background.models import BackgroundTask
from orders.models import Order
from orders.notifications import orders_with_failed_notification
from teamviewer.models import ServiceCase

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Attention:
    """One line of the start page: how many of what, and where to find them."""

    label: StrOrPromise
    count: int
    url: str


def _may_view(request: HttpRequest, site: AdminSite, model: type[Model]) -> bool:
    if not site.is_registered(model):
        return False
    return site.get_model_admin(model).has_view_permission(request)


def _changelist(model: type[Model], **params: str) -> str:
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    return f"{url}?{urlencode(params)}" if params else url


def _order_lines(request: HttpRequest, site: AdminSite) -> list[Attention]:
    if not _may_view(request, site, Order):
        return []
    Status = Order.Status
    waiting = (Status.PLACED, Status.IN_PROGRESS, Status.COMPLETED)
    counts = Order.objects.filter(status__in=waiting).aggregate(
        **{str(status): Count("pk", filter=Q(status=status)) for status in waiting}
    )
    labels = {
        Status.PLACED: _("Neu bestellt, noch nicht begonnen"),
        Status.IN_PROGRESS: _("In Bearbeitung"),
        Status.COMPLETED: _("Abgeschlossen, noch nicht abgerechnet"),
    }
    lines = [
        Attention(labels[status], counts[str(status)], _changelist(Order, status__exact=status))
        for status in waiting
    ]
    failed = orders_with_failed_notification(Order.objects.all()).count()
    lines.append(
        Attention(
            _("Helpdesk-Benachrichtigung fehlgeschlagen"),
            failed,
            _changelist(Order, notification="failed"),
        )
    )
    return lines


def _teamviewer_lines(request: HttpRequest, site: AdminSite) -> list[Attention]:
    if not _may_view(request, site, ServiceCase):
        return []
    Status = ServiceCase.Status
    counts = ServiceCase.objects.filter(status__in=(Status.FAILED, Status.PENDING)).aggregate(
        failed=Count("pk", filter=Q(status=Status.FAILED)),
        pending=Count("pk", filter=Q(status=Status.PENDING)),
    )
    return [
        Attention(
            _("TeamViewer-Sitzung: Anlegen fehlgeschlagen"),
            counts["failed"],
            _changelist(ServiceCase, status__exact=Status.FAILED),
        ),
        Attention(
            _("TeamViewer-Sitzung: wird angelegt"),
            counts["pending"],
            _changelist(ServiceCase, status__exact=Status.PENDING),
        ),
    ]


def _background_lines(request: HttpRequest, site: AdminSite) -> list[Attention]:
    if not _may_view(request, site, BackgroundTask):
        return []
    failed = BackgroundTask.objects.filter(status=TaskResultStatus.FAILED).count()
    return [
        Attention(
            _("Hintergrundaufgaben fehlgeschlagen"),
            failed,
            _changelist(BackgroundTask, status__exact=TaskResultStatus.FAILED),
        )
    ]


def attention(request: HttpRequest, *, site: AdminSite) -> list[Attention]:
    """The start page's lines for this user, in the order the work is done."""
    return [
        *_order_lines(request, site),
        *_teamviewer_lines(request, site),
        *_background_lines(request, site),
    ]
