"""Staff accounts and the admin's password step, as the login tests use them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse


def superuser(username: str, password: str) -> Any:
    """A staff superuser who may open every admin page once logged in."""
    return get_user_model().objects.create_user(
        username, password=password, is_staff=True, is_superuser=True
    )


def post_admin_login(client: Any, *, username: str, password: str, ip: str) -> Any:
    """The admin login form's POST from ``ip``, asking for the admin index next."""
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=ip,
    )
