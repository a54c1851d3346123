"""Statement of services (Leistungsnachweis) per order, as an A4 PDF.

WeasyPrint is imported inside ``render_statement_pdf`` only: it makes a
process markedly larger, and only the admin's download (and tests) need it, so
ordinary web requests never load it. Fonts are the DejaVu families present
on Debian, named in the template, so the PDF looks the same everywhere; no
resource is fetched while rendering.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from billing.charges import charge_of_order

if TYPE_CHECKING:
    from orders.models import Order


def statement_filename(order: Order) -> str:
    return f"Leistungsnachweis-{order.number}.pdf"


def statement_context(order: Order) -> dict[str, Any]:
    """Everything the statement shows, read with a fixed number of queries."""
    # The customer's statement lists what counts; voided sessions stay in the admin.
    sessions = list(order.sessions.filter(voided_at__isnull=True).order_by("started_at"))
    charge = charge_of_order(order, [s.ended_at - s.started_at for s in sessions])
    return {
        "order": order,
        "request": order.support_request,
        "sessions": sessions,
        "charge": charge,
        "transferred": order.status == order.Status.TRANSFERRED,
        "cancelled": order.status == order.Status.CANCELLED,
        "issued_at": timezone.localtime(),
        "language": order.language,
    }


def render_statement_html(order: Order) -> str:
    with translation.override(order.language):
        return render_to_string("billing/statement.html", statement_context(order))


def render_statement_pdf(order: Order) -> bytes:
    """The statement as PDF bytes, in the language the order was placed in."""
    import weasyprint  # deliberately lazy, see module docstring

    html = render_statement_html(order)
    return weasyprint.HTML(string=html, base_url=None, url_fetcher=_refuse_fetch).write_pdf(
        pdf_tags=True
    )


def _refuse_fetch(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    raise ValueError(f"statements load no resources ({url!r} refused)")
