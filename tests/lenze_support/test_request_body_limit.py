"""Bodies over MAX_REQUEST_BODY_BYTES are refused with 413 before anything reads them:
no temporary file for a multipart file part, nothing stored, a readable page."""

from __future__ import annotations

import io
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIHandler
from django.urls import reverse

from contact.models import ContactMessage
from orders.models import Order
from tests.factories import support_request

pytestmark = pytest.mark.django_db

BIG = 3 * 1024 * 1024  # over Django's in-memory upload size: it would go to a temp file


@pytest.fixture
def upload_dir(settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    return tmp_path


def big_file() -> SimpleUploadedFile:
    return SimpleUploadedFile("gross.bin", b"\0" * BIG, content_type="application/octet-stream")


def test_a_large_file_part_to_the_contact_form_is_refused_before_it_touches_the_disk(
    client, upload_dir
):
    response = client.post("/kontakt/", {"name": "A", "message": "x", "anhang": big_file()})
    assert response.status_code == 413
    html = response.content.decode()
    assert '<html lang="de">' in html and "Anfrage zu groß" in html
    assert response["Connection"] == "close"
    assert "no-store" in response["Cache-Control"]
    assert list(upload_dir.iterdir()) == []
    assert ContactMessage.objects.count() == 0


def test_the_413_page_is_english_on_english_pages(client, upload_dir):
    response = client.post("/en/contact/", {"anhang": big_file()})
    assert response.status_code == 413
    assert '<html lang="en">' in response.content.decode()


def test_every_form_endpoint_refuses_a_large_body(client, offer, upload_dir):
    _request, token = support_request()
    for url in (
        reverse("orders:order", kwargs={"token": token}),
        "/kontakt/",
        reverse("admin:login"),
        reverse("admin:index"),
    ):
        assert client.post(url, {"f": big_file()}).status_code == 413, url
    assert list(upload_dir.iterdir()) == []
    assert Order.objects.count() == 0


class _Unreadable(io.RawIOBase):
    def read(self, *args: object) -> bytes:
        raise AssertionError("the body was read")

    readline = read


def test_a_declared_100_mb_body_is_answered_without_reading_it():
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/kontakt/",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "CONTENT_TYPE": "multipart/form-data; boundary=x",
        "CONTENT_LENGTH": str(100 * 1024 * 1024),
        "wsgi.input": _Unreadable(),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
    }
    statuses: list[str] = []

    def start_response(status: str, headers: object, exc_info: object = None) -> object:
        statuses.append(status)
        return lambda data: None

    body = b"".join(WSGIHandler()(environ, start_response))  # type: ignore[arg-type]
    assert statuses == ["413 Request Entity Too Large"]
    assert "Anfrage zu groß".encode() in body


def test_a_body_within_the_limit_still_reaches_the_form(client):
    response = client.post("/kontakt/", {"name": "A"})
    assert response.status_code == 200  # the form again, with its errors
