"""Property tests of the contact form (hypothesis).

Any printable text (markup, emoji, right-to-left, combining marks) in valid
shapes is stored exactly as typed; arbitrary text is either stored or refused
with errors. Never a 500, never a partial row.
"""

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contact.models import ContactMessage

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
printable = st.characters(blacklist_categories=("Cc", "Cs"))


def one_line(max_size: int) -> st.SearchStrategy[str]:
    return st.text(printable, min_size=1, max_size=max_size).filter(lambda v: v.strip() != "")


valid_shapes = st.fixed_dictionaries(
    {
        "name": one_line(200),
        "company": one_line(200),
        "email": st.from_regex(r"\A[a-z0-9_%+-]{1,20}(\.[a-z0-9]{1,5})?@[a-z0-9]{1,20}\.example\Z"),
        "phone": st.one_of(st.just(""), st.from_regex(r"\A\+?[0-9][0-9 ()/.-]{3,30}[0-9]\Z")),
        "reference": st.one_of(st.just(""), one_line(64)),
        "message": st.text(st.one_of(printable, st.sampled_from("\n\t")), max_size=1000).filter(
            lambda v: len(v.strip()) >= 10
        ),
    }
)

anything = st.fixed_dictionaries(
    {
        field: st.text(max_size=300)
        for field in ("name", "company", "email", "phone", "reference", "message")
    }
)


def post(client, data):
    cache.clear()  # the rate limit is tested elsewhere
    return client.post("/kontakt/", {**data, "website": ""})


@FUZZ
@given(data=valid_shapes)
def test_any_printable_text_in_valid_shapes_is_stored_exactly(client, data):
    before = ContactMessage.objects.count()
    response = post(client, data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert ContactMessage.objects.count() == before + 1
    stored = ContactMessage.objects.latest("pk")
    # The form strips surrounding whitespace; nothing else is changed or sanitised.
    for field, value in data.items():
        assert getattr(stored, field) == value.strip(), field


@FUZZ
@given(data=anything)
def test_arbitrary_text_is_stored_or_refused_never_500(client, data):
    before = ContactMessage.objects.count()
    response = post(client, data)
    assert response.status_code in (200, 302)
    after = ContactMessage.objects.count()
    if response.status_code == 200:
        assert after == before
        assert "Bitte prüfen Sie Ihre Angaben." in response.content.decode()
    else:
        assert after == before + 1
