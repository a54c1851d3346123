"""Reading a page through Django's test client."""

from __future__ import annotations

from django.test import Client


def page_html(client: Client, path: str, *, status: int = 200) -> str:
    """GET ``path``, check the status code and return the page's HTML."""
    response = client.get(path)
    assert response.status_code == status
    return response.content.decode()
