from unittest import mock

import pytest
from django.db import OperationalError, connection

from tests.support.pages import page_html

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "language", "texts"),
    [
        ("/", "de", ["§ 14 BGB", "Lenze Remote Support via TeamViewer"]),
        # The English page links back to the German one in its language switch.
        ("/en/", "en", ["exclusively to businesses", 'href="/"']),
    ],
    ids=["german-by-default", "english-under-en-prefix"],
)
def test_home_page_in_its_language(client, path, language, texts):
    html = page_html(client, path)
    assert f'<html lang="{language}">' in html
    for text in texts:
        assert text in html


def test_german_page_ignores_browser_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="de">' in response.content.decode()


def test_assets_are_served_by_the_portal_itself(client):
    html = client.get("/").content.decode()
    assert "/static/bootstrap/css/bootstrap.min.css" in html
    assert "https://" not in html.split("<body")[0]
    assert client.get("/static/bootstrap/css/bootstrap.min.css").status_code == 200


@pytest.mark.parametrize(
    ("path", "texts"),
    [
        ("/gibt-es-nicht/", ["Seite nicht gefunden", "§ 14 BGB"]),
        ("/en/does-not-exist/", ["Page not found"]),
    ],
    ids=["german-in-layout", "english"],
)
def test_unknown_page_gives_404_page_in_its_language(client, path, texts):
    html = page_html(client, path, status=404)
    for text in texts:
        assert text in html


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
