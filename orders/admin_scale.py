"""The order admin at a million orders (issue 8): counts and search that stay fast.

``docs/benchmarks.md`` ("Scale") has the figures and plans behind these choices:

- ``EstimatedCountPaginator``: the changelist counts its rows for the
  paginator. An exact ``COUNT(*)`` over a million orders (or a filter that
  matches most of them) reads the whole table or index; above
  ``exact_up_to`` rows PostgreSQL's planner estimate is shown instead (one
  ``EXPLAIN``, under a millisecond). Smaller results are counted exactly.
- ``ProbingDatesQuerySet``: the date hierarchy lists the years (or months)
  that have orders with ``SELECT DISTINCT date_trunc(...)`` over every
  matching row (240 ms at a million orders); instead, one query probes each
  candidate year or month with ``LIMIT 1`` through the ``placed_at`` indexes,
  and the first and last date come from two ``ORDER BY ... LIMIT 1`` reads
  instead of ``MIN``/``MAX`` over every match.
- ``OrderSearchMixin``: a complete order number is looked up by the unique
  index; other terms search the support request's company, e-mail and case
  reference through trigram indexes on that table (a subquery, so PostgreSQL
  can use them; an ``OR`` across the join could not), and also the order
  number (trigram index, combined by ``UNION``) when the term could be part of
  one (only digits, ``R``, ``S`` and ``-``). A complete e-mail address is
  looked up by an index on ``UPPER(email)`` (migration 0007).
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.contrib.admin.views.main import ChangeList
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import F, Max, Min, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import smart_split, unescape_string_literal

from orders.models import Order, SupportRequest

ORDER_NUMBER_RE = re.compile(r"RS-\d{4}-\d{6,}", re.IGNORECASE)


def planner_row_estimate(queryset: QuerySet[Any]) -> int | None:
    """PostgreSQL's estimate of how many rows ``queryset`` returns (None elsewhere)."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):  # psycopg returns json already parsed; be safe
        import json

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


MAX_PROBES = 400
FEW_ROWS = 10_000


def _period_starts(first: datetime.datetime, last: datetime.datetime, kind: str) -> list:
    """Local starts of every year or month from ``first`` to ``last`` (inclusive)."""
    first, last = timezone.localtime(first), timezone.localtime(last)
    year, month = first.year, first.month if kind == "month" else 1
    starts = []
    while (year, month) <= (last.year, last.month if kind == "month" else 1):
        starts.append(timezone.make_aware(datetime.datetime(year, month, 1)))
        if kind == "year":
            year += 1
        else:
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return starts


class ProbingDatesQuerySet(QuerySet):
    """``datetimes(field, "year" | "month")`` by index probes (see the module docstring)."""

    def aggregate(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """The date hierarchy's ``first=Min(f), last=Max(f)`` as two index-ordered
        ``LIMIT 1`` reads: PostgreSQL computes MIN/MAX over a search by reading every
        match (1.4 s for "GmbH" at a million orders), ``ORDER BY f LIMIT 1`` stops at
        the first (0.1 ms)."""
        first, last = kwargs.get("first"), kwargs.get("last")
        if (
            args
            or set(kwargs) != {"first", "last"}
            or not (isinstance(first, Min) and isinstance(last, Max))
            or connections[self.db].vendor != "postgresql"
        ):
            return super().aggregate(*args, **kwargs)
        first_field = first.get_source_expressions()[0]
        last_field = last.get_source_expressions()[0]
        if not (isinstance(first_field, F) and isinstance(last_field, F)):
            return super().aggregate(*args, **kwargs)
        name = first_field.name
        if last_field.name != name:
            return super().aggregate(*args, **kwargs)
        values = self.order_by().exclude(**{f"{name}__isnull": True}).values_list(name, flat=True)
        return {
            "first": next(iter(values.order_by(name)[:1]), None),
            "last": next(iter(values.order_by(f"-{name}")[:1]), None),
        }

    def datetimes(self, field_name: str, kind: Any, *args: Any, **kwargs: Any) -> Any:
        if kind not in ("year", "month") or connections[self.db].vendor != "postgresql":
            return super().datetimes(field_name, kind, *args, **kwargs)
        # Years: probe every year of the whole table (its min and max come from the
        # placed_at index at once); months: the filtered range (within a year).
        scope = QuerySet(self.model, using=self.db) if kind == "year" else self
        bounds = scope.aggregate(first=Min(field_name), last=Max(field_name))
        if bounds["first"] is None:
            return []
        starts = _period_starts(bounds["first"], bounds["last"], kind)
        if len(starts) > MAX_PROBES:
            return super().datetimes(field_name, kind, *args, **kwargs)
        estimate = planner_row_estimate(self)
        if estimate is not None and estimate < FEW_ROWS:
            # A narrow search or filter: reading its few rows once is cheaper than
            # repeating it in every probe.
            return super().datetimes(field_name, kind, *args, **kwargs)
        base: QuerySet[Any] = QuerySet(self.model, query=self.query.chain(), using=self.db)
        base = base.order_by()
        ends = [*starts[1:], starts[-1].replace(year=starts[-1].year + 1)]
        probes = [
            base.filter(**{f"{field_name}__gte": start, f"{field_name}__lt": end})
            .order_by(field_name)
            .values_list(field_name, flat=True)[:1]
            for start, end in zip(starts, ends, strict=True)
        ]
        union = probes[0].union(*probes[1:], all=True) if len(probes) > 1 else probes[0]
        found = sorted(timezone.localtime(value) for value in union)
        periods = {
            timezone.make_aware(datetime.datetime(v.year, v.month if kind == "month" else 1, 1))
            for v in found
        }
        return sorted(periods)


class OrderChangeList(ChangeList):
    """The order changelist with ``ProbingDatesQuerySet`` for its date hierarchy."""

    def get_queryset(self, request: HttpRequest, exclude_parameters: Any = None) -> QuerySet:
        queryset = super().get_queryset(request, exclude_parameters)
        if type(queryset) is QuerySet:
            queryset.__class__ = ProbingDatesQuerySet
        return queryset


def _terms(search_term: str) -> list[str]:
    terms = []
    for bit in smart_split(search_term):
        if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
            bit = unescape_string_literal(bit)
        if bit.strip():
            terms.append(bit.strip())
    return terms


EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")


def _request_matches(term: str) -> Q:
    if EMAIL_RE.fullmatch(term):
        # A whole address: the index on UPPER(email) finds it at once (a trigram scan
        # of a long address reads many common trigrams: 60 ms at a million requests).
        return Q(email__iexact=term)
    if "@" in term:
        return Q(email__icontains=term)  # only addresses contain "@"
    return Q(company__icontains=term) | Q(email__icontains=term) | Q(case_reference__icontains=term)


NUMBER_CHARS = frozenset("RS-0123456789")


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


class OrderSearchMixin:
    """``OrderAdmin``'s search via ``order_search`` and its fast changelist."""

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return OrderChangeList

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Order], search_term: str
    ) -> tuple[QuerySet[Order], bool]:
        return order_search(queryset, search_term), False
