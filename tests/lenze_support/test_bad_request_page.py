"""The 400 page (unparsable or oversized requests) is the site's page in the user's language."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_body_that_cannot_be_parsed_gets_the_site_400_page_in_german(client):
    response = client.generic(
        "POST",
        "/kontakt/",
        "name=M\xfcller".encode("latin-1"),
        content_type="application/x-www-form-urlencoded; charset=latin-1",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert '<html lang="de">' in html and "Ungültige Anfrage" in html
    assert "§ 14 BGB" in html  # the site layout
    assert "no-store" in response["Cache-Control"]


def test_too_many_fields_get_the_400_page_in_english_on_english_pages(client):
    response = client.post("/en/contact/", {f"f{i}": "1" for i in range(300)})
    assert response.status_code == 400
    html = response.content.decode()
    assert '<html lang="en">' in html and "Invalid request" in html
