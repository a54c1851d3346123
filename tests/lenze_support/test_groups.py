"""The staff groups come from one module, after migrate and after a flush alike."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from lenze_support.groups import GROUPS, groups_apply

pytestmark = pytest.mark.django_db


def _permissions(name: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for label, codename in Group.objects.get(name=name).permissions.values_list(
        "content_type__app_label", "codename"
    ):
        found.setdefault(label, set()).add(codename)
    return found


def test_migrate_leaves_every_group_with_exactly_its_permissions():
    for name, permissions in GROUPS.items():
        assert _permissions(name) == {label: set(codes) for label, codes in permissions.items()}


def test_applying_again_restores_removed_and_drops_extra_permissions():
    lead = Group.objects.get(name="Helpdesk lead")
    lead.permissions.remove(Permission.objects.get(codename="close_order"))
    lead.permissions.add(Permission.objects.get(codename="delete_order"))
    groups_apply()
    groups_apply()
    assert Group.objects.filter(name="Helpdesk lead").count() == 1
    perms = _permissions("Helpdesk lead")
    assert "close_order" in perms["orders"]
    assert "delete_order" not in perms["orders"]


@pytest.mark.django_db(transaction=True)
def test_a_flush_brings_the_groups_back():
    call_command("flush", interactive=False, verbosity=0)
    assert set(Group.objects.values_list("name", flat=True)) == set(GROUPS)
