from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language_info


def site(request: HttpRequest) -> dict[str, object]:
    """Site-wide template values: helpdesk contact and the language switch."""
    path = request.get_full_path()
    return {
        "helpdesk_email": settings.HELPDESK_EMAIL,
        "helpdesk_phone": settings.HELPDESK_PHONE,
        "alternate_languages": [
            # Each language named in itself, so a reader finds their own.
            (code, get_language_info(code)["name_local"], translate_url(path, code))
            for code, _name in settings.LANGUAGES
        ],
    }
