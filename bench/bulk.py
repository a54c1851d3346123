"""Bulk demo data for scale measurements: years of support requests, orders,
remote sessions and order events, written with PostgreSQL's COPY.

Used by ``bench/bulk_orders.py`` (docs/benchmarks.md, "Scale"). The rows
look like what the services write (frozen tariff values, the initial legal
versions with their SHA-256, the consent sentence in the page's language,
events for every status change) but are generated in Python and streamed to
the database in large COPY chunks: a million orders take minutes, not hours.

Order numbers follow ``RS-YYYY-NNNNNN`` and continue each year's
``OrderNumberCounter``; the counters are moved on, so orders placed later by
customers never collide with generated ones.
"""

from __future__ import annotations

import bisect
import hashlib
import io
import random
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone, translation

from billing.models import RemoteSession, Tariff
from billing.services import tariff_ensure_initial
from legal.initial import load_initial_documents
from legal.models import LegalDocument
from legal.selectors import document_current
from orders.models import Order, OrderEvent, OrderNumberCounter, SupportRequest
from orders.texts import ACTOR_CUSTOMER, CONSENT_SENTENCE, ORDER_BUTTON_LABEL

# Price history before the initial tariff (2026): older orders froze these.
# The second half of 2020 had Germany's temporary 16 % VAT rate.
HISTORIC_TARIFFS = [
    (datetime(2015, 1, 1), "85.00", "20.00", 15, "19.00"),
    (datetime(2019, 1, 1), "90.00", "22.50", 15, "19.00"),
    (datetime(2020, 7, 1), "90.00", "22.50", 15, "16.00"),
    (datetime(2021, 1, 1), "90.00", "22.50", 15, "19.00"),
    (datetime(2023, 1, 1), "95.00", "25.00", 15, "19.00"),
]

# (country, language, VAT ID prefix or "" for no EU VAT ID, weight)
COUNTRIES = [
    ("DE", "de", "", 80),
    ("AT", "de", "ATU", 5),
    ("NL", "en", "NL", 3),
    ("FR", "en", "FR", 2),
    ("IT", "en", "IT", 2),
    ("PL", "en", "PL", 2),
    ("CH", "de", "", 3),
    ("US", "en", "", 2),
    ("CN", "en", "", 1),
]
FIRST = "Anna Ben Clara David Eva Felix Greta Hannes Ida Jonas Karin Lukas Marie Nils Olga Paul"
LAST = "Becker Fischer Hoffmann Koch Meyer Neumann Richter Schmidt Schulz Wagner Weber Wolf Zimmer"
COMPANY_A = "Nord Sued West Ost Rhein Weser Elbe Main Alpen Hansa Kraft Praezis Techno Agro"
COMPANY_B = "Maschinenbau Antriebstechnik Verpackung Foerdertechnik Automation Anlagenbau Logistik"
COMPANY_FORM = {"DE": "GmbH", "AT": "GmbH", "CH": "AG", "NL": "B.V.", "FR": "SAS", "IT": "S.r.l."}
CANCEL_REASONS = [
    "Kunde hat das Problem selbst gelöst.",
    "Doppelt beauftragt, Kunde informiert.",
    "Vor-Ort-Einsatz statt Remote vereinbart.",
]
SESSION_NOTES = ["", "", "", "Parametrierung geprüft", "Firmware aktualisiert", "Log ausgewertet"]


@dataclass
class Counts:
    """Rows written per table."""

    support_requests: int = 0
    orders: int = 0
    sessions: int = 0
    events: int = 0
    per_year: dict[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class _Customer:
    company: str
    domain: str
    country: str
    language: str
    vat_id: str


def _ts(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat()


def _customers(rng: random.Random, count: int) -> list[_Customer]:
    countries = [c for c in COUNTRIES for _ in range(c[3])]
    parts_a, parts_b = COMPANY_A.split(), COMPANY_B.split()
    result = []
    for n in range(count):
        country, language, vat_prefix, _w = rng.choice(countries)
        name = f"{rng.choice(parts_a)} {rng.choice(parts_b)} {n}"
        form = COMPANY_FORM.get(country, "Ltd.")
        vat_id = f"{vat_prefix}{rng.randrange(10**8, 10**9)}" if vat_prefix else ""
        domain = name.lower().replace(" ", "-") + ".example"
        result.append(_Customer(f"{name} {form}", domain, country, language, vat_id))
    return result


def _placed_times(rng: random.Random, count: int, start: float, end: float) -> list[float]:
    """``count`` sorted order times between ``start`` and ``end``, growing over the
    years (density rises linearly from 0.5 to 1.5), on working days 7-18 h."""
    span = end - start
    day = 86400.0
    times = []
    for _ in range(count):
        u = rng.random()
        x = -0.5 + (0.25 + 2 * u) ** 0.5
        t = start + span * x
        midnight = t - (t % day)
        weekday = int(midnight // day + 3) % 7  # 1970-01-01 was a Thursday
        if weekday >= 5:
            midnight -= (weekday - 4) * day
        times.append(max(start, min(end, midnight + rng.uniform(6 * 3600, 17 * 3600))))
    times.sort()
    return times


def _status_for(rng: random.Random, age_days: float) -> str:
    s = Order.Status
    r = rng.random()
    if age_days > 90:
        table = [(0.86, s.BILLED), (0.93, s.TRANSFERRED), (0.98, s.CANCELLED), (1, s.COMPLETED)]
    elif age_days > 30:
        table = [
            (0.60, s.BILLED),
            (0.85, s.COMPLETED),
            (0.92, s.TRANSFERRED),
            (0.97, s.CANCELLED),
            (1, s.IN_PROGRESS),
        ]
    elif age_days > 7:
        table = [
            (0.40, s.COMPLETED),
            (0.65, s.IN_PROGRESS),
            (0.85, s.BILLED),
            (0.90, s.TRANSFERRED),
            (0.95, s.CANCELLED),
            (1, s.PLACED),
        ]
    elif age_days > 0.1:
        table = [(0.35, s.PLACED), (0.75, s.IN_PROGRESS), (0.95, s.COMPLETED), (1, s.CANCELLED)]
    else:
        return s.PLACED
    for bound, status in table:
        if r < bound:
            return status
    return s.PLACED


class _Copier:
    """Buffers text-format COPY rows for one table and flushes them in chunks."""

    CHUNK = 4 * 1024 * 1024

    def __init__(self, cursor: Any, table: str, columns: str) -> None:
        self._copy_cm = cursor.copy(f"COPY {table} ({columns}) FROM STDIN")
        self._copy = self._copy_cm.__enter__()
        self._buffer = io.StringIO()
        self.rows = 0

    def row(self, line: str) -> None:
        self._buffer.write(line)
        self.rows += 1
        if self._buffer.tell() > self.CHUNK:
            self.flush()

    def flush(self) -> None:
        self._copy.write(self._buffer.getvalue())
        self._buffer = io.StringIO()

    def close(self) -> None:
        self.flush()
        self._copy_cm.__exit__(None, None, None)


def _staff(prefix: str, count: int, groups: list[str]) -> list[int]:
    user_model = get_user_model()
    ids = []
    for n in range(1, count + 1):
        user, created = user_model.objects.get_or_create(
            username=f"{prefix}{n:02d}", defaults={"is_staff": True}
        )
        if created:
            user.set_unusable_password()
            user.save()
            user.groups.add(*Group.objects.filter(name__in=groups))
        ids.append(user.pk)
    return ids


def _tariffs(start: datetime) -> list[Tariff]:
    """All tariffs by valid-from; historic ones are added where none covers ``start``."""
    tariff_ensure_initial()
    earliest = Tariff.objects.order_by("valid_from").first()
    assert earliest is not None
    for n, (when, base, block, minutes, vat) in enumerate(HISTORIC_TARIFFS):
        valid_from = timezone.make_aware(when)
        if n == 0:
            valid_from = min(valid_from, start)
        if valid_from < earliest.valid_from:
            Tariff.objects.get_or_create(
                valid_from=valid_from,
                defaults={
                    "base_fee": Decimal(base),
                    "block_price": Decimal(block),
                    "block_minutes": minutes,
                    "vat_rate": Decimal(vat),
                    "currency": "EUR",
                },
            )
    return list(Tariff.objects.order_by("valid_from"))


def _documents() -> dict[str, tuple[LegalDocument, LegalDocument]]:
    """(privacy, ASB) per page language: the initial published versions."""
    load_initial_documents()
    result = {}
    for language in ("de", "en"):
        privacy = document_current(kind=LegalDocument.Kind.PRIVACY, language=language)
        asb = document_current(kind=LegalDocument.Kind.ASB, language=language)
        assert privacy is not None and asb is not None, "initial legal documents missing"
        result[language] = (privacy, asb)
    return result


def _year_bounds(first_year: int, last_year: int) -> list[float]:
    zone = ZoneInfo(settings.TIME_ZONE)
    return [datetime(y, 1, 1, tzinfo=zone).timestamp() for y in range(first_year, last_year + 2)]


def _next_id(cursor: Any, table: str) -> int:
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608
    return int(cursor.fetchone()[0])


TABLES = {
    "request": SupportRequest._meta.db_table,
    "order": Order._meta.db_table,
    "session": RemoteSession._meta.db_table,
    "event": OrderEvent._meta.db_table,
}


def generate(
    *,
    orders: int,
    years: int,
    seed: int | None = None,
    unordered_share: float = 0.08,
    progress: Callable[[str], None] = lambda _message: None,
) -> Counts:
    """Write ``orders`` orders placed over the last ``years`` years (with their
    support requests, sessions and events), plus about ``unordered_share`` of
    requests that expired or were revoked without an order.

    PostgreSQL only (COPY). One transaction: on any error nothing is written.
    """
    if connection.vendor != "postgresql":
        raise RuntimeError("bulk demo data needs PostgreSQL (COPY)")
    rng = random.Random(seed)
    salt = secrets.token_hex(8)
    now = timezone.now()
    end = (now - timedelta(minutes=30)).timestamp()
    start_dt = now - timedelta(days=365.25 * years)
    start = start_dt.timestamp()
    documents = _documents()
    tariffs = _tariffs(start_dt)
    tariff_from = [t.valid_from.timestamp() for t in tariffs]
    agents = _staff("demo-agent-", 8, ["Helpdesk"])
    leads = _staff("demo-lead-", 2, ["Helpdesk", "Helpdesk lead"])
    consent, button = {}, {}
    for language in ("de", "en"):
        with translation.override(language):
            consent[language], button[language] = str(CONSENT_SENTENCE), str(ORDER_BUTTON_LABEL)
    customers = _customers(rng, max(50, orders // 40))
    firsts, lasts = FIRST.split(), LAST.split()
    expiry = timedelta(days=settings.SUPPORT_REQUEST_EXPIRY_DAYS).total_seconds()

    started = time.monotonic()
    placed = _placed_times(rng, orders, start, end)
    progress(f"{orders} order times drawn in {time.monotonic() - started:.1f} s")
    first_year = timezone.localtime(start_dt).year
    last_year = timezone.localtime(now).year
    bounds = _year_bounds(first_year, last_year)
    counts = Counts()

    with transaction.atomic(), connection.cursor() as wrapper:
        cursor = wrapper.cursor  # psycopg's own cursor, for COPY
        cursor.execute(
            "LOCK TABLE {} IN SHARE ROW EXCLUSIVE MODE".format(
                ", ".join([*TABLES.values(), OrderNumberCounter._meta.db_table])
            )
        )
        request_id = _next_id(cursor, TABLES["request"])
        order_id = _next_id(cursor, TABLES["order"])
        session_id = _next_id(cursor, TABLES["session"])
        event_id = _next_id(cursor, TABLES["event"])
        counters = dict(OrderNumberCounter.objects.values_list("year", "last_number"))
        numbers = {year: counters.get(year, 0) for year in range(first_year, last_year + 1)}

        # psycopg runs one COPY at a time per connection: requests, then orders
        # (sessions and events are collected as text meanwhile), then the rest.
        sessions_buf: list[str] = []
        events_buf: list[str] = []

        # --- pass 1: support requests (ids known in advance) -------------------
        requests = _Copier(
            cursor,
            TABLES["request"],
            "id, company, contact_name, email, case_reference, language, country, vat_id, "
            "token_hash, created_by_id, created_at, emailed_at, expires_at, revoked_at, "
            "vies_status, vies_request_identifier, vies_error, business_evidence",
        )
        plan: list[tuple[int, _Customer, float]] = []  # (request id, customer, created)
        rid = request_id
        for n, t in enumerate(placed):
            customer = rng.choice(customers)
            created = t - rng.uniform(300, 36 * 3600)
            if rng.random() < unordered_share:
                # A link that was never used: expired (or revoked by an agent).
                other = rng.choice(customers)
                u_created = created - rng.uniform(3600, 20 * 86400)
                revoked = _ts(u_created + 7200) if rng.random() < 0.2 else "\\N"
                requests.row(
                    _request_line(
                        rid, other, rng, firsts, lasts, n, u_created, expiry, revoked, salt
                    )
                )
                rid += 1
            requests.row(
                _request_line(rid, customer, rng, firsts, lasts, n, created, expiry, "\\N", salt)
            )
            plan.append((rid, customer, created))
            rid += 1
        requests.close()
        next_request_id = rid
        counts.support_requests = requests.rows
        progress(f"{requests.rows} support requests copied ({time.monotonic() - started:.0f} s)")

        # --- pass 2: orders; sessions and events collected as text ------------
        orders_copy = _Copier(
            cursor,
            TABLES["order"],
            "id, number, support_request_id, status, placed_at, language, privacy_document_id, "
            "privacy_sha256, asb_document_id, asb_sha256, consent_text, button_label, tariff_id, "
            "base_fee, block_price, block_minutes, vat_rate, currency, vat_treatment, "
            "customer_country, customer_vat_id, field_service_reference, helpdesk_notified_at, "
            # Demo orders carry no frozen figures: their charges are computed from the
            # generated sessions (docs/benchmarks.md, "Scale").
            "billing_rule_version",
        )
        year_index = 0
        now_ts = now.timestamp()
        sessions_io, events_io = io.StringIO(), io.StringIO()
        oid, sid, eid = order_id, session_id, event_id
        for n, t in enumerate(placed):
            while t >= bounds[year_index + 1]:
                year_index += 1
            year = first_year + year_index
            numbers[year] += 1
            counts.per_year[year] = counts.per_year.get(year, 0) + 1
            request_pk, customer, _created = plan[n]
            language = customer.language
            privacy, asb = documents[language]
            tariff = tariffs[bisect.bisect_right(tariff_from, t) - 1]
            age_days = (now_ts - t) / 86400
            status = _status_for(rng, age_days)
            reverse_charge = bool(customer.vat_id)
            fs_ref = f"FS-{year}-{rng.randrange(10000, 99999)}" if status == "transferred" else ""
            orders_copy.row(
                f"{oid}\tRS-{year}-{numbers[year]:06d}\t{request_pk}\t{status}\t{_ts(t)}\t{language}\t"
                f"{privacy.pk}\t{privacy.sha256}\t{asb.pk}\t{asb.sha256}\t{consent[language]}\t"
                f"{button[language]}\t{tariff.pk}\t{tariff.base_fee}\t{tariff.block_price}\t"
                f"{tariff.block_minutes}\t{tariff.vat_rate}\t{tariff.currency}\t"
                f"{'reverse_charge' if reverse_charge else 'standard'}\t{customer.country}\t"
                f"{customer.vat_id}\t{fs_ref}\t{_ts(t + 2)}\t\n"
            )
            # Events and sessions as the services would have written them.
            events_io.write(f"{eid}\t{oid}\torders.order.placed\t\\N\t{ACTOR_CUSTOMER}\t\t")
            events_io.write(f"placed\t\t{_ts(t)}\n")
            eid += 1
            clock = t
            agent = rng.choice(agents)
            if status in ("in_progress", "completed", "billed") or (
                status == "transferred" and rng.random() < 0.5
            ):
                room = min(now_ts - 600, t + 10 * 86400) - t
                how_many = 1 if rng.random() < 0.6 else (2 if rng.random() < 0.75 else 3)
                for k in range(how_many):
                    gap = rng.uniform(600, 7200) if k == 0 else rng.uniform(3600, 2 * 86400)
                    minutes = rng.choice((5, 10, 12, 15, 20, 25, 30, 40, 45, 60, 75, 90, 120))
                    length = float(minutes * 60 + rng.randrange(0, 60))
                    if clock + gap + length - t > room:
                        if k > 0:
                            break
                        gap, length = min(gap, room / 3), min(length, room / 3)
                    s_start, s_end = clock + gap, clock + gap + length
                    sessions_io.write(
                        f"{sid}\t{oid}\t{_ts(s_start)}\t{_ts(s_end)}\t{agent}\t"
                        f"{rng.choice(SESSION_NOTES)}\t{_ts(s_end + 60)}\t\n"
                    )
                    sid += 1
                    if k == 0:
                        events_io.write(
                            f"{eid}\t{oid}\torders.order.in_progress\t{agent}\t\tplaced\t"
                            f"in_progress\tErste Remote-Sitzung erfasst.\t{_ts(s_end + 60)}\n"
                        )
                        eid += 1
                    clock = s_end + 60
                previous = "in_progress"
            else:
                previous = "placed"
            lead = rng.choice(leads)
            room_after = max(60.0, now_ts - clock - 60)
            if status in ("completed", "billed"):
                clock += min(rng.uniform(600, 86400), room_after / 2)
                events_io.write(
                    f"{eid}\t{oid}\torders.order.completed\t{agent}\t\t{previous}\t"
                    f"completed\t\t{_ts(clock)}\n"
                )
                eid += 1
                previous = "completed"
            if status in ("billed", "transferred", "cancelled"):
                clock += min(rng.uniform(3600, 20 * 86400), max(30.0, (now_ts - clock) / 2))
                note = {
                    "billed": "",
                    "transferred": fs_ref,
                    "cancelled": rng.choice(CANCEL_REASONS),
                }[status]
                events_io.write(
                    f"{eid}\t{oid}\torders.order.{status}\t{lead}\t\t{previous}\t{status}\t"
                    f"{note}\t{_ts(clock)}\n"
                )
                eid += 1
            oid += 1
            if events_io.tell() > 64 * 1024 * 1024:
                events_buf.append(events_io.getvalue())
                events_io = io.StringIO()
            if sessions_io.tell() > 64 * 1024 * 1024:
                sessions_buf.append(sessions_io.getvalue())
                sessions_io = io.StringIO()
        orders_copy.close()
        counts.orders = orders_copy.rows
        progress(f"{counts.orders} orders copied ({time.monotonic() - started:.0f} s)")
        sessions_buf.append(sessions_io.getvalue())
        events_buf.append(events_io.getvalue())
        del sessions_io, events_io

        counts.sessions = sid - session_id
        counts.events = eid - event_id
        for table, columns, chunks in (
            (
                TABLES["session"],
                "id, order_id, started_at, ended_at, agent_id, note, created_at, void_reason",
                sessions_buf,
            ),
            (
                TABLES["event"],
                "id, order_id, action, actor_id, actor_label, from_status, to_status, note, "
                "created_at",
                events_buf,
            ),
        ):
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                while chunks:
                    copy.write(chunks.pop(0))
            progress(f"{table} copied ({time.monotonic() - started:.0f} s)")

        for table, next_value in (
            (TABLES["request"], next_request_id),
            (TABLES["order"], oid),
            (TABLES["session"], sid),
            (TABLES["event"], eid),
        ):
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, false)", [table, next_value]
            )
        for year, last in numbers.items():
            if last:
                OrderNumberCounter.objects.update_or_create(
                    year=year, defaults={"last_number": last}
                )
    # Fresh statistics and a visibility map: the planner's row estimates (and the
    # admin's estimated counts) and index-only scans depend on them.
    # VACUUM cannot run inside a transaction (tests): ANALYZE alone then.
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for table in TABLES.values():
            cursor.execute(f"{command} {table}")
    progress(f"vacuum and analyze done ({time.monotonic() - started:.0f} s)")
    return counts


def _request_line(
    rid: int,
    customer: _Customer,
    rng: random.Random,
    firsts: list[str],
    lasts: list[str],
    n: int,
    created: float,
    expiry: float,
    revoked: str,
    salt: str,
) -> str:
    first, last = rng.choice(firsts), rng.choice(lasts)
    email = f"{first[0]}.{last}@{customer.domain}".lower()
    token_hash = hashlib.sha256(f"{salt}:{rid}".encode()).hexdigest()
    return (
        f"{rid}\t{customer.company}\t{first} {last}\t{email}\tINC{1000000 + n * 7 + rid % 7}\t"
        f"{customer.language}\t{customer.country}\t{customer.vat_id}\t{token_hash}\t\\N\t"
        f"{_ts(created)}\t{_ts(created + 5)}\t{_ts(created + expiry)}\t{revoked}\t"
        "unchecked\t\t\t\n"
    )
