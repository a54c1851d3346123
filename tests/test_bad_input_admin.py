"""The bad-input corpus for the admin: NUL bytes in every changelist's search,
ordering, paging and filter parameters, and malformed row ids in action POSTs,
by a logged-in superuser. A normal page, a redirect or 400; never a 500
(PostgreSQL refuses NUL in a string literal, SQLite does not: run on both)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db

BAD_VALUES = ["\x00", "a\x00b"]
BAD_ROW_IDS = ["\x00", "x" * 5000, "1.5", ""]
ANSWERED = {200, 302, 400}


def _parameters(model_admin: Any) -> list[str]:
    names = ["q", "o", "p", "e", "_to_field"]
    for entry in model_admin.list_filter:
        if isinstance(entry, str):
            names += [entry, f"{entry}__exact", f"{entry}__gte"]
        elif isinstance(entry, tuple):
            names += [entry[0], f"{entry[0]}__exact"]
        elif getattr(entry, "parameter_name", None):
            names.append(entry.parameter_name)
    if model_admin.date_hierarchy:
        names += [f"{model_admin.date_hierarchy}__year", f"{model_admin.date_hierarchy}__month"]
    return names


CHANGELISTS = {
    f"{model._meta.app_label}_{model._meta.model_name}_changelist": model_admin
    for model, model_admin in admin.site._registry.items()
}


@pytest.fixture
def staff_client(client):
    user = get_user_model().objects.create_superuser("corpus-lead", "c@example.com", "pw-corpus")
    client.force_login(user)
    client.user = user
    return client


@pytest.mark.parametrize("view", sorted(CHANGELISTS))
def test_bad_admin_filters_and_searches_never_give_a_500(staff_client, view):
    url = reverse(f"admin:{view}")
    for parameter in _parameters(CHANGELISTS[view]):
        for value in BAD_VALUES:
            response = staff_client.get(url, {parameter: value})
            assert response.status_code in ANSWERED, (parameter, value, response.status_code)
            if "\x00" in value:
                assert response.status_code == 400
    assert staff_client.get(url, {"q": "\x00"}).content.decode().count("<html") == 1


@pytest.mark.parametrize("view", sorted(CHANGELISTS))
def test_bad_row_ids_in_admin_actions_never_give_a_500(staff_client, view, rf):
    request = rf.get("/")
    request.user = staff_client.user
    actions = list(CHANGELISTS[view].get_actions(request))
    for action in actions:
        for row_id in BAD_ROW_IDS:
            response = staff_client.post(
                reverse(f"admin:{view}"),
                {"action": action, "_selected_action": [row_id], "index": "0"},
            )
            assert response.status_code in ANSWERED, (action, row_id, response.status_code)


def test_the_admin_corpus_covers_every_changelist():
    assert len(CHANGELISTS) == len(admin.site._registry) >= 10
    requests = sum(len(_parameters(a)) * len(BAD_VALUES) for a in CHANGELISTS.values())
    assert requests >= 200
