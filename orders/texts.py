"""Texts that are evidence: shown on the order page and copied into each order.

The page renders exactly these strings (the two document names become links),
and ``order_place`` stores them in the language of the page, so what is
recorded is what was shown.
"""

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

# The consent sentence exactly as Lenze worded it.
CONSENT_SENTENCE = _(
    "Ich habe die Datenschutzerklärung Remote-Support zur Kenntnis genommen und bin mit der "
    "Geltung der Allgemeinen Servicebedingungen, die ich gelesen habe, einverstanden."
)
# The parts of the sentence that link to the documents.
CONSENT_PRIVACY_NAME = _("Datenschutzerklärung Remote-Support")
CONSENT_ASB_NAME = _("Allgemeinen Servicebedingungen")

# § 312j BGB: the button's whole text.
ORDER_BUTTON_LABEL = _("kostenpflichtig bestellen")

ACTOR_CUSTOMER = "customer"


def consent_label_html(*, privacy_url: str, asb_url: str) -> SafeString:
    """The consent sentence with its two document names linked; its text content
    equals ``CONSENT_SENTENCE`` in the active language."""
    html: str = str(escape(str(CONSENT_SENTENCE)))
    for name, url in ((CONSENT_PRIVACY_NAME, privacy_url), (CONSENT_ASB_NAME, asb_url)):
        plain = escape(str(name))
        html = html.replace(plain, format_html('<a href="{}">{}</a>', url, plain), 1)
    return mark_safe(html)  # noqa: S308 - built from escaped parts only
