import pytest
from django.contrib.auth.models import Group

from lenze_support.groups import LEGAL, groups_apply


def legal_group() -> Group:
    """The "Legal" group as ``lenze_support.groups`` defines it."""
    groups_apply()
    return Group.objects.get(name=LEGAL)


@pytest.fixture
def legal_user(django_user_model):
    """A staff member of the "Legal" group (no superuser rights)."""
    user = django_user_model.objects.create_user(
        username="jurist", password="pw-legal-123", is_staff=True
    )
    user.groups.add(legal_group())
    return user
