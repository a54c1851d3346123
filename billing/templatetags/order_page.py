"""Tags of the order page."""

from django import template
from django.utils.safestring import SafeString

from orders.selectors import Offer
from orders.texts import consent_label_html

register = template.Library()


@register.simple_tag
def consent_label(offer: Offer) -> SafeString:
    """The consent sentence with both documents linked (``orders.texts``); a tag,
    so that it is built only when the cached form section is rendered anew."""
    assert offer.privacy is not None and offer.asb is not None
    return consent_label_html(
        privacy_url=offer.privacy.get_absolute_url(), asb_url=offer.asb.get_absolute_url()
    )
