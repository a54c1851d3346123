from unittest import mock

import pytest
from django.db import OperationalError, connection

pytestmark = pytest.mark.django_db


def test_home_page_is_german_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="de">' in html
    assert "§ 14 BGB" in html
    assert "Lenze Remote Support via TeamViewer" in html


def test_home_page_in_english_under_en_prefix(client):
    response = client.get("/en/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "exclusively to businesses" in html
    assert 'href="/"' in html  # language switch back to German


def test_german_page_ignores_browser_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="de">' in response.content.decode()


def test_assets_are_served_by_the_portal_itself(client):
    html = client.get("/").content.decode()
    assert "/static/bootstrap/css/bootstrap.min.css" in html
    assert "https://" not in html.split("<body")[0]
    assert client.get("/static/bootstrap/css/bootstrap.min.css").status_code == 200


def test_unknown_page_gives_404_page_in_layout(client):
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Seite nicht gefunden" in html
    assert "§ 14 BGB" in html


def test_unknown_english_page_gives_english_404(client):
    response = client.get("/en/does-not-exist/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_server_error_page_is_rendered_in_layout(rf):
    from django.utils import translation

    from lenze_support.views import server_error

    with translation.override("de"):
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Technischer Fehler" in response.content.decode()


def test_healthz_ok_when_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_503_when_database_is_down(client):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "down"


def test_healthz_refuses_post(client):
    assert client.post("/healthz").status_code == 405
