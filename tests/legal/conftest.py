import pytest
from django.contrib.auth.models import Group


@pytest.fixture
def legal_user(django_user_model):
    """A staff member of the "Legal" group (no superuser rights)."""
    user = django_user_model.objects.create_user(
        username="jurist", password="pw-legal-123", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Legal"))
    return user
