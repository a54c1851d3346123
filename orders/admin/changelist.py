"""The order list at a million orders: a count, a year/month filter and a search
that stay fast, each through an extension point the admin documents.

``docs/benchmarks.md`` ("Scale") has the figures and plans behind these choices:

- ``EstimatedCountPaginator`` (``ModelAdmin.paginator``): the list counts its
  rows for the paginator. An exact ``COUNT(*)`` over a million orders (or a
  filter that matches most of them) reads the whole table or index; above
  ``exact_up_to`` rows PostgreSQL's planner estimate is shown instead (one
  ``EXPLAIN``, under a millisecond). Smaller results are counted exactly.
- ``PlacedPeriodFilter`` (a ``FieldListFilter`` in ``list_filter``): the years,
  and within a chosen year the months, that have matching orders. Django's
  date hierarchy finds them with ``SELECT DISTINCT date_trunc(...)`` over every
  matching row and ``MIN``/``MAX`` over every match (slow at a million orders,
  see the figures in ``docs/benchmarks.md``); here the first and last order come from two
  ``ORDER BY ... LIMIT 1`` reads of the ``placed_at`` index, and one query
  probes each candidate year or month with ``LIMIT 1``. A narrow result (the
  planner expects few rows) is read once instead.
- ``NotificationFilter``: orders whose helpdesk notification failed (the start
  page links here) or was not sent yet. The failed ones are read from the task
  queue's unfinished notification tasks (few), not from every order.
- ``order_search`` (``ModelAdmin.get_search_results``): a complete order
  number is looked up by the unique index; other terms search the support
  request's company, e-mail and case reference through trigram indexes on that
  table (a subquery, so PostgreSQL can use them; an ``OR`` across the join
  could not), and also the order number (trigram index, combined by ``UNION``)
  when the term could be part of one (only digits, ``R``, ``S`` and ``-``). A
  complete e-mail address is looked up by an index on ``UPPER(email)``.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Literal, TypedDict

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Field, Model, Q, QuerySet
from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext_lazy as _

from orders.models import Order, SupportRequest
from orders.notifications import orders_with_failed_notification

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ORDER_NUMBER_RE = re.compile(r"RS-\d{4}-\d{6,}", re.IGNORECASE)
EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
NUMBER_CHARS = frozenset("RS-0123456789")

# Probing costs one index read per period: more periods than this (centuries of
# orders) and the plain DISTINCT is cheaper.
MAX_PROBES = 400
# Below this many expected rows, reading the matches once beats probing them.
FEW_ROWS = 10_000


Period = Literal["year", "month"]


class _Choice(TypedDict):
    """One line of a list filter, as the admin's filter template reads it."""

    selected: bool
    query_string: str
    display: StrOrPromise


# --- count --------------------------------------------------------------------------


def planner_row_estimate(queryset: QuerySet[Any]) -> int | None:
    """PostgreSQL's estimate of how many rows ``queryset`` returns (None elsewhere)."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    try:
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # a filter that can match nothing (e.g. ``pk__in=[]``)
        return 0
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):  # psycopg parses json columns; other drivers may not
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


class EstimatedCountPaginator(Paginator):
    """Exact count up to ``exact_up_to`` rows, the planner's estimate above."""

    exact_up_to = 10_000

    @cached_property
    def count(self) -> int:
        object_list = self.object_list
        if isinstance(object_list, QuerySet):
            estimate = planner_row_estimate(object_list)
            if estimate is not None and estimate > self.exact_up_to:
                return estimate
        return super().count


# --- years and months ------------------------------------------------------------------


def _period_start(moment: datetime.datetime, kind: Period) -> datetime.datetime:
    local = timezone.localtime(moment)
    return timezone.make_aware(
        datetime.datetime(local.year, local.month if kind == "month" else 1, 1)
    )


def _next_period(start: datetime.datetime, kind: Period) -> datetime.datetime:
    year, month = start.year, start.month
    if kind == "year":
        year += 1
    else:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return timezone.make_aware(datetime.datetime(year, month, 1))


def _period_starts(
    first: datetime.datetime, last: datetime.datetime, kind: Period
) -> list[datetime.datetime]:
    """Local starts of every year or month from ``first`` to ``last`` (inclusive)."""
    start, end = _period_start(first, kind), _period_start(last, kind)
    starts = []
    while start <= end:
        starts.append(start)
        start = _next_period(start, kind)
    return starts


def periods_with_rows(
    queryset: QuerySet[Any], *, field: str, kind: Period
) -> list[datetime.datetime]:
    """Local starts of the years or months (``kind``) in which ``queryset`` has a
    row, by index probes on PostgreSQL when the result is large (module docstring)."""
    queryset = queryset.order_by()
    if connections[queryset.db].vendor != "postgresql":
        return _distinct_periods(queryset, field=field, kind=kind)
    estimate = planner_row_estimate(queryset)
    if estimate is not None and estimate < FEW_ROWS:
        return _distinct_periods(queryset, field=field, kind=kind)
    # The candidate periods span the whole table for years (its ends are two reads
    # of the index) and the filtered rows for months (within the chosen year).
    scope = queryset.model._default_manager.order_by() if kind == "year" else queryset
    ends = scope.exclude(**{f"{field}__isnull": True}).values_list(field, flat=True)
    first = next(iter(ends.order_by(field)[:1]), None)
    last = next(iter(ends.order_by(f"-{field}")[:1]), None)
    if first is None or last is None:
        return []
    starts = _period_starts(first, last, kind)
    if len(starts) > MAX_PROBES:
        return _distinct_periods(queryset, field=field, kind=kind)
    values = queryset.values_list(field, flat=True)
    probes = [
        values.filter(
            **{f"{field}__gte": start, f"{field}__lt": _next_period(start, kind)}
        ).order_by(field)[:1]
        for start in starts
    ]
    union = probes[0].union(*probes[1:], all=True) if len(probes) > 1 else probes[0]
    return sorted({_period_start(value, kind) for value in union})


def _distinct_periods(
    queryset: QuerySet[Any], *, field: str, kind: Period
) -> list[datetime.datetime]:
    return [timezone.localtime(value) for value in queryset.datetimes(field, kind)]


class PlacedPeriodFilter(admin.FieldListFilter):
    """Filter a date-time field by year and month, offering only periods with rows.

    The query string keeps the date hierarchy's ``<field>__year`` and
    ``<field>__month``, and the filter selects a half-open range of local time,
    which the field's index answers.
    """

    def __init__(
        self,
        field: Field,
        request: HttpRequest,
        params: dict[str, Any],
        model: type[Model],
        model_admin: admin.ModelAdmin,
        field_path: str,
    ) -> None:
        self.year_param = f"{field_path}__year"
        self.month_param = f"{field_path}__month"
        super().__init__(field, request, params, model, model_admin, field_path)
        self.title = _("Jahr und Monat der Bestellung")
        self.year = self._number(self.year_param, 1, 9998)
        self.month = self._number(self.month_param, 1, 12) if self.year else None

    def _number(self, name: str, low: int, high: int) -> int | None:
        value = self.used_parameters.get(name)
        if isinstance(value, list):
            value = value[-1] if value else None
        try:
            number = int(str(value))
        except ValueError:
            return None
        return number if low <= number <= high else None

    def expected_parameters(self) -> list[str | None]:
        return [self.year_param, self.month_param]

    def has_output(self) -> bool:
        return True

    def _range(self) -> tuple[datetime.datetime, datetime.datetime] | None:
        if self.year is None:
            return None
        if self.month is None:
            start = timezone.make_aware(datetime.datetime(self.year, 1, 1))
            return start, _next_period(start, "year")
        start = timezone.make_aware(datetime.datetime(self.year, self.month, 1))
        return start, _next_period(start, "month")

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        period = self._range()
        if period is None:
            return queryset
        start, end = period
        return queryset.filter(**{f"{self.field_path}__gte": start, f"{self.field_path}__lt": end})

    def choices(self, changelist: ChangeList) -> Iterator[_Choice]:
        """ "All", then the years with rows; with a year chosen, the year and its
        months with rows; with a month chosen, the year and that month (a drill-down
        like the date hierarchy's). The periods come from the list's own queryset,
        with every other filter and the search applied: no second query for it."""
        yield {
            "selected": self.year is None,
            "query_string": changelist.get_query_string(remove=[self.year_param, self.month_param]),
            "display": _("Alle"),
        }
        if self.year is None:
            for start in periods_with_rows(changelist.queryset, field=self.field_path, kind="year"):
                yield {
                    "selected": False,
                    "query_string": changelist.get_query_string(
                        {self.year_param: start.year}, [self.month_param]
                    ),
                    "display": str(start.year),
                }
            return
        yield {
            "selected": self.month is None,
            "query_string": changelist.get_query_string(
                {self.year_param: self.year}, [self.month_param]
            ),
            "display": str(self.year),
        }
        if self.month is None:
            months = periods_with_rows(changelist.queryset, field=self.field_path, kind="month")
        else:
            months = [timezone.make_aware(datetime.datetime(self.year, self.month, 1))]
        for start in months:
            yield {
                "selected": start.month == self.month,
                "query_string": changelist.get_query_string(
                    {self.year_param: self.year, self.month_param: start.month}
                ),
                "display": formats.date_format(start, "YEAR_MONTH_FORMAT"),
            }


# --- filters --------------------------------------------------------------------------

CLOSED_FILTER_TEMPLATE = "admin/orders/order/filter_closed.html"


class ClosedChoicesFilter(admin.ChoicesFieldListFilter):
    """A choices filter drawn closed: rarely used, it need not push the others down."""

    template = CLOSED_FILTER_TEMPLATE


class ClosedRelatedFilter(admin.RelatedFieldListFilter):
    """A related-object filter drawn closed."""

    template = CLOSED_FILTER_TEMPLATE


class NotificationFilter(admin.SimpleListFilter):
    title = _("Helpdesk-Benachrichtigung")
    parameter_name = "notification"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, Any]]:
        return [("failed", _("fehlgeschlagen")), ("unsent", _("nicht gesendet"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "failed":
            return orders_with_failed_notification(queryset)
        if self.value() == "unsent":
            return queryset.filter(helpdesk_notified_at__isnull=True)
        return queryset


# --- search -------------------------------------------------------------------------


def _terms(search_term: str) -> list[str]:
    terms = []
    for bit in smart_split(search_term):
        if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
            bit = unescape_string_literal(bit)
        if bit.strip():
            terms.append(bit.strip())
    return terms


def _request_matches(term: str) -> Q:
    if EMAIL_RE.fullmatch(term):
        # A whole address: the index on UPPER(email) finds it at once (a trigram scan
        # of a long address reads many common trigrams).
        return Q(email__iexact=term)
    if "@" in term:
        return Q(email__icontains=term)  # only addresses contain "@"
    return Q(company__icontains=term) | Q(email__icontains=term) | Q(case_reference__icontains=term)


def _could_be_in_order_number(term: str) -> bool:
    """Order numbers are ``RS-YYYY-NNNNNN``: only such characters, with a digit."""
    upper = term.upper()
    return any(char.isdigit() for char in upper) and set(upper) <= NUMBER_CHARS


def order_search(queryset: QuerySet[Order], search_term: str) -> QuerySet[Order]:
    """Orders matching every term of ``search_term`` (see the module docstring):
    each term in the order number, company, e-mail or case reference."""
    terms = _terms(search_term)
    if not terms:
        return queryset
    if len(terms) == 1 and ORDER_NUMBER_RE.fullmatch(terms[0]):
        return queryset.filter(number=terms[0].upper())
    requests = SupportRequest.objects.order_by()
    text_terms = [term for term in terms if not _could_be_in_order_number(term)]
    for term in text_terms:
        requests = requests.filter(_request_matches(term))
    if text_terms:
        queryset = queryset.filter(support_request__in=requests.values("pk"))
    for term in terms:
        if term in text_terms:
            continue
        # Either the number or the request matches: a UNION of two indexed look-ups
        # (an OR across the join would read every order).
        by_number = Order.objects.order_by().filter(number__icontains=term).values("pk")
        by_request = (
            Order.objects.order_by()
            .filter(
                support_request__in=SupportRequest.objects.order_by()
                .filter(_request_matches(term))
                .values("pk")
            )
            .values("pk")
        )
        queryset = queryset.filter(pk__in=by_number.union(by_request, all=True))
    return queryset
