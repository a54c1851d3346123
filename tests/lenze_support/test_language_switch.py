"""The language switch links only to this site, whatever path was requested."""

import re

import pytest
from django.test import RequestFactory

from lenze_support.context_processors import same_site_path, site

pytestmark = pytest.mark.django_db


def _links(request) -> list[tuple[str, str, str]]:
    return list(site(request)["alternate_languages"])  # type: ignore[call-overload]


HOSTILE = [
    "//evil.example/kontakt/",
    "///evil.example/kontakt/",
    "/\\evil.example/kontakt/",
    "/\\/evil.example/",
    "//evil.example",
    "https://evil.example/kontakt/",
    "http:/evil.example/",
    "/https://evil.example/",
    "//evil.example/en/contact/?a=1",
]


@pytest.mark.parametrize("path", HOSTILE)
def test_same_site_path_never_names_another_host(path):
    result = same_site_path(path)
    assert result.startswith("/")
    assert not result.startswith("//")
    assert "\\" not in result[:2]
    assert "evil.example" not in result.split("/")[1:2] or result.startswith("/evil.example")


@pytest.mark.parametrize("path", HOSTILE)
def test_the_language_links_of_any_path_stay_on_the_site(path):
    request = RequestFactory().get("/")
    request.path = request.path_info = path
    request.META["PATH_INFO"] = path
    for _code, _name, url in _links(request):
        assert url.startswith("/") and not url.startswith("//"), url
        assert not url.startswith("/\\"), url


@pytest.mark.parametrize("path", ["/%2Fevil.example/kontakt/", "/%2F%2Fevil.example/kontakt/"])
def test_a_404_page_for_an_encoded_host_links_to_this_site(client, path):
    response = client.get(path)
    assert response.status_code == 404
    hrefs = re.findall(r'href="([^"]+)"', response.content.decode())
    assert hrefs
    for href in hrefs:
        assert not href.startswith("//"), href
        assert (
            not re.match(r"\A[a-z]+:", href)
            or href.startswith("mailto:")
            or href.startswith("tel:")
        ), href


def test_ordinary_paths_still_switch_language(client):
    request = RequestFactory().get("/kontakt/?x=1")
    links = {code: url for code, _name, url in _links(request)}
    assert links["en"] == "/en/contact/?x=1"
    assert links["de"] == "/kontakt/?x=1"
