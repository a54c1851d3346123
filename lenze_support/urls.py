from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.http import require_http_methods

from lenze_support import http, ratelimits, views
from lenze_support.forms import AdminLoginForm
from orders import views as orders_views

# An over-long username is refused by the form, before authentication (docs/security.md).
admin.site.login_form = AdminLoginForm

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", http.favicon, name="favicon"),
    # The admin login with a per-address rate limit (ADMIN_LOGIN_RATE_LIMIT), matched
    # before the admin's own login URL; reverse("admin:login") gives the same path.
    path(
        settings.ADMIN_PATH + "login/",
        require_http_methods(["GET", "HEAD", "POST"])(ratelimits.admin_login(admin.site.login)),
        name="admin_login_rate_limited",
    ),
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

handler400 = "lenze_support.views.bad_request"
handler404 = "lenze_support.views.page_not_found"
handler500 = "lenze_support.views.server_error"
