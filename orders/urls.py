"""Addresses of the order link (inside ``i18n_patterns``): ``/auftrag/<token>/``
in German, ``/en/order/<token>/`` in English; the info page is ``home`` at ``/``."""

from django.urls import path
from django.utils.text import format_lazy
from django.utils.translation import pgettext_lazy

from orders import views

app_name = "orders"

ORDER = pgettext_lazy("url", "auftrag")
PLACED = pgettext_lazy("url", "erteilt")

urlpatterns = [
    path(format_lazy("{}/<str:token>/", ORDER), views.order_page, name="order"),
    path(format_lazy("{}/<str:token>/{}/", ORDER, PLACED), views.order_placed, name="placed"),
]
