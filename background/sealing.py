"""Secret task arguments, sealed (encrypted and authenticated) with the secret key.

Task arguments are stored in clear: with the database backend as rows of the
portal's database, with RQ in Redis. The order link's token is otherwise
stored only as a hash, so a copy of the database must not reveal working
links; the task that e-mails a link gets the token sealed with Fernet
(AES-128-CBC and HMAC-SHA256, ``cryptography``) under a key derived from
``SECRET_KEY``. ``SECRET_KEY_FALLBACKS`` still open tokens sealed before a key
rotation.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils.crypto import salted_hmac

_SALT = "background.sealing.task-argument"

__all__ = ["InvalidToken", "seal", "unseal"]


def _fernet(secret: str) -> Fernet:
    digest = salted_hmac(_SALT, "fernet-key", secret=secret, algorithm="sha256").digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(value: str) -> str:
    """``value`` encrypted and authenticated under the current secret key."""
    return _fernet(settings.SECRET_KEY).encrypt(value.encode()).decode("ascii")


def unseal(sealed: str) -> str:
    """The value :func:`seal` sealed; raises InvalidToken if tampered or sealed under
    a key that is neither ``SECRET_KEY`` nor one of its fallbacks."""
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet(key) for key in keys]).decrypt(sealed.encode()).decode()
