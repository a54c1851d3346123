"""The admin's login form with the username's length enforced.

Django's ``AuthenticationForm`` sets ``max_length`` on the username field after
creating it, so no validator checks it: an over-long username reached
``authenticate()`` and django-axes then failed to store it in its 255-character
column (PostgreSQL: ``DataError``, a 500). Found by the bad-input corpus.
"""

from typing import Any

from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.validators import MaxLengthValidator


class AdminLoginForm(AdminAuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        max_length = getattr(username, "max_length", None) or 150
        username.validators.append(MaxLengthValidator(max_length))
