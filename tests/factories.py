"""Factories shared by the test suite."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone

from contact.models import ContactMessage
from legal.models import LegalDocument

# A minimal valid one-page PDF, for tests that need a published version but
# not WeasyPrint's 0.3-1.4 s render (the real render is tested in tests/legal/).
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


# --- orders (issue 4) -----------------------------------------------------------


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


# --- billing (issue 5) ------------------------------------------------------------


def billing_order(
    *,
    offer: dict[str, Any] | None = None,
    status: str = "placed",
    company: str = "Maschinenbau Muster GmbH",
    country: str = "DE",
    vat_id: str = "",
    vat_treatment: str = "standard",
    placed_at: Any = None,
    **fields: Any,
) -> Any:
    """An order written directly (fast; the evidence copied like order_place does),
    for billing tests that need many orders or a given status."""
    from orders.models import Order

    offer = offer or order_offer()
    request, _token = support_request(company=company, country=country, vat_id=vat_id)
    tariff = offer["tariff"]
    return Order.objects.create(
        number=fields.pop("number", None) or f"T-{request.pk:06d}",
        support_request=request,
        status=status,
        placed_at=placed_at or timezone.now() - timedelta(hours=2),
        language=fields.pop("language", "de"),
        privacy_document=offer["privacy"],
        privacy_sha256=offer["privacy"].sha256,
        asb_document=offer["asb"],
        asb_sha256=offer["asb"].sha256,
        consent_text="Ich habe die Datenschutzerklärung zur Kenntnis genommen …",
        button_label="kostenpflichtig bestellen",
        tariff=tariff,
        base_fee=tariff.base_fee,
        block_price=tariff.block_price,
        block_minutes=tariff.block_minutes,
        vat_rate=tariff.vat_rate,
        currency=tariff.currency,
        vat_treatment=vat_treatment,
        customer_country=country,
        customer_vat_id=vat_id,
        **fields,
    )


def ensure_helpdesk_groups() -> None:
    """Recreate the helpdesk groups of the data migrations if a transactional
    test's flush removed them (idempotent; same permissions as the migration)."""
    import importlib

    from django.contrib.auth.models import Group, Permission

    migration = importlib.import_module("orders.migrations.0004_billing_groups")
    for name, codenames in (
        (migration.HELPDESK, migration.AGENT_PERMISSIONS),
        (migration.HELPDESK_LEAD, migration.LEAD_PERMISSIONS),
    ):
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label__in=["orders", "billing"], codename__in=codenames
            )
        )


def agent(username: str = "agent", *groups: str) -> Any:
    """A staff user in ``groups`` (default: Helpdesk)."""
    from django.contrib.auth.models import Group, User

    ensure_helpdesk_groups()
    user = User.objects.create_user(username=username, password="pw-agent-123", is_staff=True)
    user.groups.add(*Group.objects.filter(name__in=groups or ("Helpdesk",)))
    return user
