"""What rendering the order page costs, counted, and what its cache may never mix.

The static sections of the order page are rendered once per process and
reused (``{% cache %}``, keyed on the offer; docs/benchmarks.md, "Customer
pages"). These tests count the work a request does (templates rendered,
translation blocks, URL reversals, queries) instead of timing it, so a later
change cannot silently undo the work; and they make sure no customer ever
sees another customer's page.
"""

from __future__ import annotations

import re
from collections import Counter
from contextlib import contextmanager
from decimal import Decimal
from unittest import mock

import pytest
from django.template.loader_tags import IncludeNode
from django.templatetags.i18n import BlockTranslateNode
from django.test import Client
from django.urls.resolvers import URLResolver

from tests.factories import published_document, support_request

pytestmark = pytest.mark.django_db

#: The templates a warm order page renders: the page and its layout, no include.
WARM_TEMPLATES = ["orders/order_page.html", "base.html"]
#: A first view also renders the cached sections' includes.
COLD_TEMPLATES = [*WARM_TEMPLATES, "orders/_about.html", "orders/_prices.html"]
#: Budgets of a warm order page (a greeting and the case reference; the layout's
#: footer links and the language switch).
WARM_BLOCKTRANSLATES = 3
WARM_REVERSALS = 8


def url(token: str, lang: str = "de") -> str:
    return f"/auftrag/{token}/" if lang == "de" else f"/en/order/{token}/"


@contextmanager
def counting():
    """Counts of the work done inside the block: blocktranslate renders,
    include renders and URL reversals (django.urls.reverse and {% url %})."""
    counts: Counter[str] = Counter()
    patches = []
    for name, owner, method in (
        ("blocktranslate", BlockTranslateNode, "render"),
        ("include", IncludeNode, "render"),
        ("reverse", URLResolver, "_reverse_with_prefix"),
    ):
        original = getattr(owner, method)

        def wrapper(self, *args, _name=name, _original=original, **kwargs):
            counts[_name] += 1
            return _original(self, *args, **kwargs)

        patches.append(mock.patch.object(owner, method, wrapper))
    for patch in patches:
        patch.start()
    try:
        yield counts
    finally:
        for patch in patches:
            patch.stop()


def template_names(response) -> list[str]:
    return [t.name for t in response.templates]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_order_page_renders_a_fixed_set_of_templates(
    client, offer, lang, django_assert_num_queries
):
    _first, first_token = support_request()
    _second, second_token = support_request(company="Zweite Firma GmbH")
    cold = client.get(url(first_token, lang))
    assert cold.status_code == 200
    assert template_names(cold) == COLD_TEMPLATES
    with counting() as counts, django_assert_num_queries(1):
        warm = client.get(url(second_token, lang))
    assert warm.status_code == 200
    assert template_names(warm) == WARM_TEMPLATES
    assert counts["include"] == 0
    assert counts["blocktranslate"] == WARM_BLOCKTRANSLATES, counts
    assert counts["reverse"] <= WARM_REVERSALS, counts


def test_hidden_inputs_carry_the_offer_without_the_form_renderer(client, offer, form_data):
    _request, token = support_request()
    client.get(url(token))  # fill the cache
    with mock.patch("django.forms.renderers.DjangoTemplates.render") as form_renderer:
        html = client.get(url(token)).content.decode()
    form_renderer.assert_not_called()
    for name, value in form_data.items():
        assert f'<input type="hidden" name="{name}" value="{value}" id="id_{name}">' in html


def _page(client: Client, token: str, lang: str = "de") -> str:
    response = client.get(url(token, lang))
    assert response.status_code == 200
    return response.content.decode()


def _csrf(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match is not None
    return match.group(1)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_two_links_never_see_each_others_page_with_a_warm_cache(offer, lang):
    alpha, alpha_token = support_request(
        company="Alpha Antriebe GmbH", contact_name="Anna Alpha", case_reference="HD-1111"
    )
    beta, beta_token = support_request(
        company="Beta Automation B.V.",
        contact_name="Bram Beta",
        case_reference="HD-2222",
        country="NL",
        vat_id="NL123456782B01",
    )
    alpha_client, beta_client = Client(), Client()
    first_alpha = _page(alpha_client, alpha_token, lang)
    beta_html = _page(beta_client, beta_token, lang)  # the cache is warm now
    alpha_html = _page(alpha_client, alpha_token, lang)
    for html, own, other in (
        (alpha_html, (alpha, alpha_token), (beta, beta_token)),
        (beta_html, (beta, beta_token), (alpha, alpha_token)),
    ):
        (own_request, own_token), (other_request, other_token) = own, other
        for value in (own_request.company, own_request.contact_name, own_request.case_reference):
            assert value in html
        assert own_token in html  # the language switch links the same link
        for value in (
            other_request.company,
            other_request.contact_name,
            other_request.case_reference,
            other_token,
        ):
            assert value not in html
    assert _csrf(alpha_html) != _csrf(beta_html)
    # The Dutch business with a VAT ID is billed net under reverse charge; the
    # German one is not, although both were served from the same cache.
    reverse_charge = re.compile(r"reverse[ -]charge", re.I)
    assert reverse_charge.search(beta_html)
    assert not reverse_charge.search(alpha_html) and not reverse_charge.search(first_alpha)


def test_a_changed_tariff_shows_at_once_although_the_sections_are_cached(client, offer):
    _request, token = support_request()
    assert "100,00 €" in _page(client, token)
    tariff = offer["tariff"]
    tariff.base_fee = Decimal("120.00")
    tariff.save()
    html = _page(client, token)
    assert "120,00 €" in html and "100,00 €" not in html


def test_a_new_asb_version_shows_at_once_although_the_sections_are_cached(client, offer):
    _request, token = support_request()
    html = _page(client, token)
    assert re.search(r'name="asb_version" value="{}"'.format(offer["asb"].pk), html)
    new = published_document(kind="asb", title="Allgemeine Servicebedingungen")
    html = _page(client, token)
    assert f'name="asb_version" value="{new.pk}"' in html
    assert new.get_absolute_url() in html and offer["asb"].get_absolute_url() not in html
