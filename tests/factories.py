"""Factories shared by the test suite."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone

from contact.models import ContactMessage
from legal.models import LegalDocument

# A minimal valid one-page PDF, for tests that need a published version but
# not WeasyPrint's render, which is slow (the real render is tested in tests/legal/).
STUB_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def stub_pdf_renderer(document: LegalDocument, *, body_html: str) -> bytes:
    return STUB_PDF


class LegalDocumentFactory(factory.django.DjangoModelFactory[LegalDocument]):
    """A draft (unpublished) legal document."""

    class Meta:
        model = LegalDocument

    kind = LegalDocument.Kind.ASB
    language = "de"
    title = factory.Sequence(lambda n: f"Testdokument {n}")
    body = factory.Sequence(lambda n: f"## Abschnitt {n}\n\nText der Version {n}.")
    valid_from = factory.LazyFunction(lambda: timezone.now() - timedelta(minutes=1))
    change_summary = "Test"


def published_document(
    kind: str = LegalDocument.Kind.ASB,
    language: str = "de",
    *,
    by: Any = None,
    real_pdf: bool = False,
    **fields: Any,
) -> LegalDocument:
    """Create a draft with ``fields`` and publish it (next version number).

    ``real_pdf=True`` renders the PDF with WeasyPrint; by default a tiny stub
    PDF is stored, which keeps tests fast.
    """
    from legal.services import document_publish

    draft = LegalDocumentFactory.create(kind=kind, language=language, **fields)
    return document_publish(
        document=draft, by=by, pdf_renderer=None if real_pdf else stub_pdf_renderer
    )


class ContactMessageFactory(factory.django.DjangoModelFactory[ContactMessage]):
    """An unhandled message from the contact form (``.create()`` is typed)."""

    class Meta:
        model = ContactMessage

    name = factory.Sequence(lambda n: f"Erika Muster {n}")
    company = factory.Sequence(lambda n: f"Maschinenbau {n} GmbH")
    email = factory.Sequence(lambda n: f"kunde{n}@example.com")
    message = "Bitte rufen Sie mich wegen der Antriebsparametrierung zurück."
    language = "de"


# --- orders -----------------------------------------------------------


def _decimal(value: str) -> Any:
    from decimal import Decimal

    return Decimal(value)


class TariffFactory(factory.django.DjangoModelFactory):
    """The initial tariff, in force since yesterday."""

    class Meta:
        model = "billing.Tariff"

    valid_from = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    base_fee = factory.LazyFunction(lambda: _decimal("100.00"))
    block_price = factory.LazyFunction(lambda: _decimal("25.00"))
    block_minutes = 15
    vat_rate = factory.LazyFunction(lambda: _decimal("19.00"))
    currency = "EUR"


def support_request(**fields: Any) -> tuple[Any, str]:
    """Create an open support request through the service (no e-mail); returns
    (request, token)."""
    from orders.services import support_request_create

    defaults: dict[str, Any] = {
        "company": "Maschinenbau Muster GmbH",
        "email": "technik@muster.example",
        "contact_name": "Erika Muster",
        "case_reference": "HD-4711",
        "send_email": False,
    }
    issued = support_request_create(**{**defaults, **fields})
    return issued.support_request, issued.token


def order_offer() -> dict[str, Any]:
    """Published German privacy notice and ASB plus a tariff: what an order needs."""
    return {
        "privacy": published_document(
            kind=LegalDocument.Kind.PRIVACY, title="Datenschutzerklärung Remote-Support"
        ),
        "asb": published_document(
            kind=LegalDocument.Kind.ASB, title="Allgemeine Servicebedingungen"
        ),
        "tariff": TariffFactory(),
    }


# --- billing ------------------------------------------------------------


def billing_order(
    *,
    offer: dict[str, Any] | None = None,
    status: str = "placed",
    company: str = "Maschinenbau Muster GmbH",
    country: str = "DE",
    vat_id: str = "",
    vat_treatment: str | None = None,
    placed_at: Any = None,
    support_request_fields: dict[str, Any] | None = None,
    **fields: Any,
) -> Any:
    """An order written directly (fast, any status or time) with the evidence
    ``order_place`` copies (``orders.services.order_evidence``), for tests that
    need many orders or a given status."""
    from orders.models import Order
    from orders.services import order_evidence

    offer = offer or order_offer()
    request, _token = support_request(
        company=company, country=country, vat_id=vat_id, **(support_request_fields or {})
    )
    evidence = order_evidence(
        support_request=request,
        privacy=offer["privacy"],
        asb=offer["asb"],
        tariff=offer["tariff"],
        language=fields.pop("language", "de"),
    )
    if vat_treatment is not None:
        evidence["vat_treatment"] = vat_treatment
    return Order.objects.create(
        number=fields.pop("number", None) or f"T-{request.pk:06d}",
        status=status,
        placed_at=placed_at or timezone.now() - timedelta(hours=2),
        **{**evidence, **fields},
    )


def recorded_session(order: Any, *, by: Any, ago_minutes: int = 30, minutes: int = 10) -> Any:
    """A remote session recorded on ``order`` through ``session_record``, which
    ended ``ago_minutes - minutes`` minutes ago and lasted ``minutes``."""
    from billing.services import session_record

    started_at = timezone.now() - timedelta(minutes=ago_minutes)
    return session_record(
        order=order, started_at=started_at, ended_at=started_at + timedelta(minutes=minutes), by=by
    )


def ensure_helpdesk_groups() -> None:
    """The staff groups as after ``migrate``: a transactional test's flush empties
    the tables, and ``groups_apply`` restores them (idempotent)."""
    from lenze_support.groups import groups_apply

    groups_apply()


def agent(username: str = "agent", *groups: str) -> Any:
    """A staff user in ``groups`` (default: Helpdesk)."""
    from django.contrib.auth.models import Group, User

    ensure_helpdesk_groups()
    user = User.objects.create_user(username=username, password="pw-agent-123", is_staff=True)
    user.groups.add(*Group.objects.filter(name__in=groups or ("Helpdesk",)))
    return user
