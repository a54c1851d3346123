"""Reads with rules: a request by its link token, and what the order page shows
(the documents and tariff in force, the worked example), cached between changes."""

from __future__ import annotations

import functools
import hashlib
import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from billing.charges import Charge
from billing.models import Tariff
from billing.selectors import EXAMPLE_MINUTES, price_example, tariff_current
from legal.models import LegalDocument
from legal.selectors import document_current
from orders.models import Order, SupportRequest

# Tokens are secrets.token_urlsafe(32): 43 characters of the URL-safe alphabet.
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{43}")


def token_hash(token: str) -> str:
    """SHA-256 (hex) of a link token: the only form in which it is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# What the order's status page shows of its documents: addresses, not texts or PDFs.
_DOCUMENT_TEXT_FIELDS = tuple(
    f"{document}__{field}"
    for document in ("privacy_document", "asb_document")
    for field in ("body", "body_html", "pdf")
)


#: What the link's pages read of the request (greeting, state, VAT treatment);
#: the rest (the token's hash, audit and VIES details) stays in the database.
_LINK_PAGE_FIELDS = (
    "id", "company", "contact_name", "case_reference", "language", "country", "vat_id",
    "vies_status", "business_confirmed_at", "expires_at", "revoked_at",
)  # fmt: skip


@functools.cache
def _by_token_sql(vendor: str) -> str:
    """The look-up of a request by its token hash, with its order's id as
    ``order_pk``, compiled by the ORM once per database vendor: compiling took
    longer than running it (docs/benchmarks.md, "Customer pages")."""
    query = (
        SupportRequest.objects.annotate(order_pk=F("order__id"))
        .only(*_LINK_PAGE_FIELDS)
        .filter(token_hash="")
        .order_by()[:1]
        .query
    )
    sql, params = query.sql_with_params()
    assert params == ("",), params  # the token hash is the only parameter
    return sql


def support_request_by_token(*, token: str) -> SupportRequest | None:
    """The request whose link carries ``token``, with its order if any; None for
    unknown or malformed tokens (none for malformed ones).

    One query for a link without an order (the hot path: the order page and its
    submit); a second one, for the order with its documents' addresses, when the
    request was ordered (the status page)."""
    if not TOKEN_RE.fullmatch(token):
        return None
    # Only the order's id rides along: compiling a join that loads the order and
    # its documents cost more than the query itself (docs/benchmarks.md, "Where
    # the order page's time goes"). The SQL is compiled once per process.
    support_request = next(
        iter(SupportRequest.objects.raw(_by_token_sql(connection.vendor), [token_hash(token)])),
        None,
    )
    if support_request is None:
        return None
    order = None
    order_pk = getattr(support_request, "order_pk")  # noqa: B009 - the query's extra column
    if order_pk is not None:
        order = (
            Order.objects.select_related("privacy_document", "asb_document")
            .defer(*_DOCUMENT_TEXT_FIELDS)
            .get(pk=order_pk)
        )
    # What select_related("order") would have cached: the order, or "none" (then
    # support_request.order raises DoesNotExist without another query).
    SupportRequest.order.related.set_cached_value(support_request, order)
    if order is not None:
        order.support_request = support_request
    return support_request


@dataclass(frozen=True)
class Offer:
    """What the order page shows and the order records: current documents and tariff."""

    privacy: LegalDocument | None
    asb: LegalDocument | None
    tariff: Tariff | None

    @property
    def complete(self) -> bool:
        return None not in (self.privacy, self.asb, self.tariff)

    @property
    def example(self) -> Charge | None:
        return price_example(tariff=self.tariff) if self.tariff else None

    @property
    def example_minutes(self) -> int:
        return EXAMPLE_MINUTES

    @property
    def documents_fall_back_to_german(self) -> bool:
        return any(doc is not None and doc.language != self.language for doc in self._docs)

    @property
    def _docs(self) -> tuple[LegalDocument | None, LegalDocument | None]:
        return (self.privacy, self.asb)

    @functools.cached_property
    def fragment_key(self) -> str:
        """Everything the pages show of this offer, as a cache key for their
        rendered static sections (``{% cache %}``): the language asked for, each
        document's identity and fingerprint (title and dates are covered by the
        SHA-256), and every figure of the tariff. A new version, a fallback to
        German or an edited tariff gives a new key, so a fragment can never show
        an offer other than the one in hand."""
        parts = [self.language]
        for doc in self._docs:
            parts.append(f"{doc.pk}.{doc.language}.{doc.version}.{doc.sha256}" if doc else "-")
        tariff = self.tariff
        parts.append(
            f"{tariff.pk}.{tariff.valid_from.isoformat()}.{tariff.base_fee}.{tariff.block_price}"
            f".{tariff.block_minutes}.{tariff.vat_rate}.{tariff.currency}"
            if tariff
            else "-"
        )
        return "|".join(parts)

    language: str = "de"


def offer_current(*, language: str, at: datetime | None = None) -> Offer:
    """Current privacy notice and ASB in ``language`` (German fallback) and the tariff."""
    at = at or timezone.now()
    return Offer(
        privacy=document_current(
            kind=LegalDocument.Kind.PRIVACY, language=language, at=at, metadata_only=True
        ),
        asb=document_current(
            kind=LegalDocument.Kind.ASB, language=language, at=at, metadata_only=True
        ),
        tariff=tariff_current(at=at),
        language=language,
    )


def _offer_cache_key(language: str) -> str:
    return f"orders.offer.{language}"


def offer_next_change(*, after: datetime) -> datetime | None:
    """The next moment after ``after`` at which a published privacy notice or ASB
    (any language) or a tariff comes into force by itself, or None (one query)."""
    documents = (
        LegalDocument.objects.published()
        .filter(kind__in=[LegalDocument.Kind.PRIVACY, LegalDocument.Kind.ASB], valid_from__gt=after)
        .order_by()
        .values_list("valid_from", flat=True)
    )
    tariffs = (
        Tariff.objects.filter(valid_from__gt=after).order_by().values_list("valid_from", flat=True)
    )
    return documents.union(tariffs).order_by("valid_from").first()


def offer_for_page(*, language: str, at: datetime | None = None) -> Offer:
    """``offer_current`` for showing the order page, reused from the Django cache.

    The order page is the portal's busiest page and its offer changes rarely: it
    is cached for ``ORDER_OFFER_CACHE_SECONDS``, but never past the next moment
    a published version or tariff comes into force by itself (``valid_from``),
    and cleared whenever a legal document or tariff is saved (``offer_cache_clear``).
    Only for display: the submit (``services.order_place``) compares what the
    page showed with ``offer_current`` read under the request's row lock, so a
    stale page can never produce an order on a superseded version.
    """
    at = at or timezone.now()
    seconds = settings.ORDER_OFFER_CACHE_SECONDS
    if seconds <= 0:
        return offer_current(language=language, at=at)
    key = _offer_cache_key(language)
    cached = cache.get(key)
    if cached is not None:
        filled_at, until, offer = cached
        if filled_at <= at < until:
            return offer
    offer = offer_current(language=language, at=at)
    until = at + timedelta(seconds=seconds)
    change = offer_next_change(after=at)
    if change is not None and change < until:
        until = change
    cache.set(key, (at, until, offer), timeout=math.ceil((until - at).total_seconds()))
    return offer


def offer_cache_clear(**kwargs: object) -> None:
    """Forget the cached offers (a document or tariff was saved); a signal receiver.

    Cleared at once and again after commit: a page rendered between the save and
    the commit may have cached the previous offer."""
    keys = [_offer_cache_key(code) for code, _name in settings.LANGUAGES]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))
