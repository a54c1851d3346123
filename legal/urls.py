"""Addresses of the legal documents (inside ``i18n_patterns``: German without
prefix, English under ``/en/``).

German: ``/rechtliches/asb/`` (current), ``/rechtliches/asb/v3/`` (version 3 of
the German ASB), ``/rechtliches/asb/v3.pdf``; likewise ``datenschutz`` and
``impressum``. English: ``/en/legal/asb/``, ``/en/legal/asb/v2/``,
``/en/legal/privacy/v1.pdf``, ``/en/legal/imprint/``. The language prefix is
the document's language, so kind, language and version are all in the URL.

Names: ``legal:<kind>`` (current), ``legal:<kind>_version`` and
``legal:<kind>_pdf`` (kwarg ``version``), kind in privacy, asb, imprint.
"""

from django.urls import path, register_converter
from django.utils.text import format_lazy
from django.utils.translation import pgettext_lazy

from legal import views
from legal.models import LegalDocument

app_name = "legal"


class VersionConverter:
    """1 to 999999999: no leading zero, nothing that overflows an integer column."""

    regex = "[1-9][0-9]{0,8}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(int(value))


register_converter(VersionConverter, "legalversion")

SLUGS = {
    LegalDocument.Kind.PRIVACY: pgettext_lazy("url", "datenschutz"),
    LegalDocument.Kind.ASB: pgettext_lazy("url", "asb"),
    LegalDocument.Kind.IMPRINT: pgettext_lazy("url", "impressum"),
}
SECTION = pgettext_lazy("url", "rechtliches")

urlpatterns = []
for _kind, _slug in SLUGS.items():
    _kw = {"kind": _kind.value}
    urlpatterns += [
        path(format_lazy("{}/{}/", SECTION, _slug), views.current, _kw, name=_kind.value),
        path(
            format_lazy("{}/{}/v<legalversion:version>/", SECTION, _slug),
            views.version,
            _kw,
            name=f"{_kind.value}_version",
        ),
        path(
            format_lazy("{}/{}/v<legalversion:version>.pdf", SECTION, _slug),
            views.pdf,
            _kw,
            name=f"{_kind.value}_pdf",
        ),
    ]
