from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_safe

from contact.errors import ContactError
from contact.forms import ContactForm
from contact.services import contact_message_submit
from lenze_support.http import personal_page
from lenze_support.ratelimits import limit

logger = logging.getLogger(__name__)


# Personal: a re-shown form carries what was typed (and every form its CSRF token).
@require_http_methods(["GET", "HEAD", "POST"])
@personal_page
@limit(group="contact.form", setting="CONTACT_RATE_LIMIT", methods="POST")
def contact_form(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "contact/form.html", {"form": ContactForm()})
    form = ContactForm(request.POST)
    if form.is_spam:
        # Quiet refusal: the bot sees the same success as a person, nothing is stored.
        logger.info("contact.message.honeypot")
        return redirect("contact:thanks")
    if form.is_valid():
        data = form.cleaned_data
        try:
            contact_message_submit(
                name=data["name"],
                company=data["company"],
                email=data["email"],
                phone=data["phone"],
                reference=data["reference"],
                message=data["message"],
                language=get_language() or settings.LANGUAGE_CODE,
            )
        except ContactError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("contact:thanks")
    return render(request, "contact/form.html", {"form": form})


@require_safe
@personal_page
def contact_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "contact/thanks.html")
