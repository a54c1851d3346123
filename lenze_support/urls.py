from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from lenze_support import http, views
from orders import views as orders_views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", http.favicon, name="favicon"),
    # DJANGO_ADMIN_PATH, default "admin/" (docs/security.md).
    path(settings.ADMIN_PATH, admin.site.urls),
]

urlpatterns += i18n_patterns(
    path("", orders_views.info_page, name="home"),
    path("", include("legal.urls")),
    path("", include("orders.urls")),
    path("", include("contact.urls")),
    prefix_default_language=False,
)

handler404 = "lenze_support.views.page_not_found"
handler500 = "lenze_support.views.server_error"
