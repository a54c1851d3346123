import importlib

import pytest
from django.contrib.auth.models import Group, Permission


def legal_group() -> Group:
    """The "Legal" group from the data migration; recreated if a transactional
    test's flush removed it (pytest-django runs those last, but be safe)."""
    migration = importlib.import_module("legal.migrations.0004_legal_group")
    group, created = Group.objects.get_or_create(name=migration.GROUP)
    if created:
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="legal", codename__in=migration.CODENAMES
            )
        )
    return group


@pytest.fixture
def legal_user(django_user_model):
    """A staff member of the "Legal" group (no superuser rights)."""
    user = django_user_model.objects.create_user(
        username="jurist", password="pw-legal-123", is_staff=True
    )
    user.groups.add(legal_group())
    return user
