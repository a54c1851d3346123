from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from contact.errors import ContactError
from contact.models import ContactMessage
from contact.services import contact_message_mark_handled
from tests.factories import ContactMessageFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/contact/contactmessage/"


def test_changelist_lists_messages_newest_first(admin_client):
    old = ContactMessageFactory.create(
        company="Alt GmbH", created_at=timezone.now() - timedelta(days=2)
    )
    new = ContactMessageFactory.create(company="Neu GmbH")
    response = admin_client.get(CHANGELIST)
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [new, old]


def test_changelist_query_budget(admin_client, django_assert_max_num_queries):
    ContactMessageFactory.create_batch(20)
    with django_assert_max_num_queries(12):
        assert admin_client.get(CHANGELIST).status_code == 200


def test_search_finds_company_email_reference_and_message_text(admin_client):
    target = ContactMessageFactory.create(
        company="Antriebe Nord AG",
        email="max@nord.example",
        reference="RS-2026-00077",
        message="Umrichter i550 zeigt Fehler",
    )
    ContactMessageFactory.create(company="Andere GmbH")
    for term in ["Nord AG", "max@nord", "RS-2026-00077", "i550"]:
        response = admin_client.get(CHANGELIST, {"q": term})
        assert list(response.context["cl"].result_list) == [target], term


def test_filter_separates_open_and_handled(admin_client, admin_user):
    open_message = ContactMessageFactory.create()
    handled = ContactMessageFactory.create(handled_at=timezone.now(), handled_by=admin_user)
    assert list(admin_client.get(CHANGELIST, {"handled": "no"}).context["cl"].result_list) == [
        open_message
    ]
    assert list(admin_client.get(CHANGELIST, {"handled": "yes"}).context["cl"].result_list) == [
        handled
    ]


def test_mark_handled_action_records_who_and_when(admin_client, admin_user):
    first, second = ContactMessageFactory.create_batch(2)
    before = timezone.now()
    response = admin_client.post(
        CHANGELIST,
        {"action": "mark_handled", "_selected_action": [first.pk, second.pk]},
        follow=True,
    )
    assert response.status_code == 200
    for message in (first, second):
        message.refresh_from_db()
        assert message.handled_by == admin_user
        assert message.handled_at is not None
        assert message.handled_at >= before
    assert "Als erledigt markiert: 2" in response.content.decode()


def test_mark_handled_keeps_the_first_record_of_an_already_handled_message(
    admin_client, admin_user
):
    colleague = User.objects.create_user("kollegin", is_staff=True)
    earlier = timezone.now() - timedelta(hours=3)
    message = ContactMessageFactory.create(handled_at=earlier, handled_by=colleague)
    response = admin_client.post(
        CHANGELIST, {"action": "mark_handled", "_selected_action": [message.pk]}, follow=True
    )
    message.refresh_from_db()
    assert (message.handled_by, message.handled_at) == (colleague, earlier)
    assert "Bereits erledigt, unverändert gelassen: 1" in response.content.decode()


def test_service_refuses_to_mark_twice(admin_user):
    message = ContactMessageFactory.create()
    contact_message_mark_handled(contact_message=message, by=admin_user)
    with pytest.raises(ContactError) as excinfo:
        contact_message_mark_handled(contact_message=message, by=admin_user)
    assert excinfo.value.message == ContactError.ALREADY_HANDLED


def test_customer_fields_are_read_only_in_the_admin(admin_client):
    message = ContactMessageFactory.create(message="Originaltext des Kunden")
    url = f"/admin/contact/contactmessage/{message.pk}/change/"
    html = admin_client.get(url).content.decode()
    assert 'name="message"' not in html
    assert 'name="email"' not in html
    admin_client.post(url, {"message": "verändert", "email": "x@y.example"})
    message.refresh_from_db()
    assert message.message == "Originaltext des Kunden"


def test_admin_cannot_add_messages(admin_client):
    assert admin_client.get(CHANGELIST + "add/").status_code == 403


def test_admin_labels_are_translated(admin_client):
    html = admin_client.get(CHANGELIST).content.decode()
    assert "Kontaktnachricht" in html
    assert "Eingegangen am" in html


def test_helpdesk_agent_can_list_and_mark_handled_but_not_delete(client):
    agent = User.objects.create_user("agent", password="pw", is_staff=True)
    agent.groups.add(Group.objects.get(name="Helpdesk"))
    message = ContactMessageFactory.create()
    client.force_login(agent)
    assert client.get(CHANGELIST).status_code == 200
    client.post(CHANGELIST, {"action": "mark_handled", "_selected_action": [message.pk]})
    message.refresh_from_db()
    assert message.handled_by == agent
    assert not agent.has_perm("contact.delete_contactmessage")
    assert ContactMessage.objects.count() == 1
