from django.urls import path
from django.utils.translation import gettext_lazy as _

from contact import views

app_name = "contact"

# Translated paths (/kontakt/, /en/contact/); translate_url maps one onto the other.
urlpatterns = [
    path(_("kontakt/"), views.contact_form, name="form"),
    path(_("kontakt/danke/"), views.contact_thanks, name="thanks"),
]
