"""Settings for the Lenze remote-support portal, read from the environment.

One module for every environment: a laptop (``make run``), CI and production
differ only in environment variables (see the README's configuration table).
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)

KEY_MISSING_MESSAGE = (
    "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
    "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "django-insecure-local-development-only-never-use-in-production"  # noqa: S105
# Without a key and without debug, SECRET_KEY stays empty: Django refuses every
# use of it, and the web server and collectstatic stop at once with
# KEY_MISSING_MESSAGE (lenze_support.startup). Commands that only read the code,
# such as `makemigrations --check`, still run.

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# Public base URL of the portal, used for links in e-mails (no trailing slash).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
HELPDESK_EMAIL = env.str("HELPDESK_EMAIL", default="helpdesk@example.com")
HELPDESK_PHONE = env.str("HELPDESK_PHONE", default="+49 5154 82-0")
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Lenze Remote Support <noreply@example.com>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Days an e-mailed order link stays valid (a re-send issues a new link and restarts the period).
SUPPORT_REQUEST_EXPIRY_DAYS = env.int("SUPPORT_REQUEST_EXPIRY_DAYS", default=14)
# Seconds the order page may reuse the current offer (documents' metadata and
# tariff) from the Django cache (orders.selectors.offer_for_page): never past the
# next valid-from, cleared when a document or tariff is saved. Without REDIS_URL
# other worker processes see an unscheduled change within this time; the submit
# always checks against the database. 0 turns the cache off.
ORDER_OFFER_CACHE_SECONDS = env.int("ORDER_OFFER_CACHE_SECONDS", default=30)
# Seconds the page of a document's current version may reuse the version and
# the list of versions from the Django cache (legal.selectors.current_page),
# with the same limits as the offer above. 0 turns the cache off.
LEGAL_PAGE_CACHE_SECONDS = env.int("LEGAL_PAGE_CACHE_SECONDS", default=30)
# Days after expiry (or revocation) before a request without an order is deleted
# by `manage.py purge_expired_requests` (docs/operations.md, "Retention").
# VIES confirmation of EU VAT IDs (docs/billing.md). Off by default: without it,
# format and check digit are still checked. VIES_REQUESTER_VAT_ID is Lenze's own
# VAT ID; with it, VIES returns a request identifier that proves the check.
VIES_CHECK = env.bool("VIES_CHECK", default=False)
VIES_URL = env.str("VIES_URL", default="https://ec.europa.eu/taxation_customs/vies/rest-api")
VIES_REQUESTER_VAT_ID = env.str("VIES_REQUESTER_VAT_ID", default="")
VIES_TIMEOUT = env.float("VIES_TIMEOUT", default=5.0)

SUPPORT_REQUEST_RETENTION_DAYS = env.int("SUPPORT_REQUEST_RETENTION_DAYS", default=90)

INSTALLED_APPS = [
    # Django's admin on the portal's site, which requires the second factor (staff app).
    "staff.apps.StaffAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "csp",
    "axes",
    "django_countries",
    # TOTP authenticators and backup codes: the staff's second factor.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "lenze_support",
    "background",
    "legal",
    "orders",
    "billing",
    "contact",
    "teamviewer",
    "vat",
    # After django-otp's plugins: its admin module removes their device admins.
    "staff",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so static files get the CSP and Permissions-Policy too.
    "csp.middleware.CSPMiddleware",
    "lenze_support.middleware.SecurityHeadersMiddleware",
    # 413 for bodies over MAX_REQUEST_BODY_BYTES, before anything reads them.
    "lenze_support.middleware.RequestBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): did this session pass the second factor?
    "django_otp.middleware.OTPMiddleware",
    # Staff without the second factor reach only its pages under the admin's path.
    "staff.middleware.StaffSecondFactorMiddleware",
    # 400 for NUL bytes and malformed row ids in admin parameters (never a 500).
    "lenze_support.middleware.AdminInputMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Answers django-ratelimit's Ratelimited exception with RATELIMIT_VIEW (429).
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last: turns django-axes' lockout flag into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First: refuses authentication while a username+IP is locked out.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "lenze_support.urls"
WSGI_APPLICATION = "lenze_support.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lenze_support.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# The default SQLite file lives in var/, which `make migrate` creates.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL, IMMEDIATE transactions and a busy timeout: concurrent writes under
    # runserver wait instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Django's backend with a health check without a round trip
        # (lenze_support/db/postgresql/base.py).
        DATABASES["default"]["ENGINE"] = "lenze_support.db.postgresql"
    # A new connection per request cuts throughput to a quarter: keep them.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=600)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # SSD storage: a random read costs about as much as a sequential one. With
    # PostgreSQL's default (4.0) the planner filters the newest-first index instead
    # of using the matching composite one (the admin's order list filtered by
    # tariff; docs/benchmarks.md, "Scale").
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", "-c random_page_cost=" + env.str("DJANGO_DB_RANDOM_PAGE_COST", default="1.1")
    )
    # Server-side parameter binding and prepared statements: psycopg prepares a
    # statement the connection has run five times, and PostgreSQL stops parsing
    # and planning it again (the order link's look-up, the submit's statements).
    # Django leaves preparing off, for poolers in transaction mode (PgBouncer),
    # which the portal does not use; DJANGO_DB_PREPARE_THRESHOLD=0 turns it off
    # behind such a pooler (docs/operations.md).
    DATABASES["default"]["OPTIONS"].setdefault(
        "server_side_binding", env.bool("DJANGO_DB_SERVER_SIDE_BINDING", default=True)
    )
    _prepare_threshold = env.int("DJANGO_DB_PREPARE_THRESHOLD", default=5)
    DATABASES["default"]["OPTIONS"].setdefault(
        "prepare_threshold", _prepare_threshold if _prepare_threshold > 0 else None
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (rate limits, shared between instances when REDIS_URL is set) ---
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Rendered static sections of the customer pages ({% cache %} uses this alias):
# in each process's memory, never in Redis. Their keys name the versions and
# figures they show, so nothing needs clearing; a deployment starts new
# processes, so changed templates or translations never meet old fragments.
# Nothing personal is ever put in this cache (docs/benchmarks.md).
CACHES["template_fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "template-fragments",
    "OPTIONS": {"MAX_ENTRIES": 1000},
}

# --- E-mail ---------------------------------------------------------------
# EMAIL_URL (django-environ): consolemail:// prints, smtp+tls://user:password@host:587 sends.
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"] or "localhost"
EMAIL_PORT = _email["EMAIL_PORT"] or 25
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_FILE_PATH = _email["EMAIL_FILE_PATH"] or None
# A mail server that accepts the connection and then hangs must not hang the
# customer's order request (the helpdesk notice is sent right after the commit).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

# --- Background tasks (docs/operations.md, "Background tasks") --------------
# E-mails and outside calls run as tasks of Django's Tasks API, never inside a
# customer's request. Default: the tasks are rows in this database
# (django_tasks_db), worked off by `manage.py run_worker`. Another backend
# (e.g. django_tasks_rq.RQBackend on Redis) is a matter of TASKS_BACKEND and its
# options here; the code does not change (docs/decisions.md).
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
if TASKS["default"]["BACKEND"] == "django_tasks_rq.RQBackend":  # pragma: no cover
    # RQ on Redis instead of the database (pip install django-tasks-rq; workers:
    # manage.py rqworker --job-class django_tasks_rq.Job).
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": env.str("TASKS_REDIS_URL", default=REDIS_URL)}}
# Seconds before the 2nd, 3rd, ... attempt of a failed task: 1 min, 5 min, 30 min,
# 2 h, then every 6 h; 13 attempts spread over 50 hours, then the task is failed.
TASK_RETRY_DELAYS = env.list(
    "TASK_RETRY_DELAYS", cast=int, default=[60, 300, 1800, 7200] + [6 * 3600] * 8
)
# A task still "running" after this many seconds belongs to a dead worker and is
# run again. Far above any task's own limit (EMAIL_TIMEOUT per e-mail).
TASK_VISIBILITY_TIMEOUT = env.int("TASK_VISIBILITY_TIMEOUT", default=600)
# Maintenance the worker runs daily at these times (TIME_ZONE), as deferred tasks
# (background/schedule.py): the retention purges and the login-failure reset.
TASK_SCHEDULE = {
    "purge_expired_requests": "03:15",
    "purge_contact_messages": "03:30",
    "axes_reset": "03:45",
    "prune_tasks": "04:00",
}
# Finished task rows: done ones are kept two weeks (the e-mails' own sent-markers
# live on the orders), failed ones half a year (the order list shows them).
TASK_DONE_RETENTION_DAYS = env.int("TASK_DONE_RETENTION_DAYS", default=14)
TASK_FAILED_RETENTION_DAYS = env.int("TASK_FAILED_RETENTION_DAYS", default=180)

# --- TeamViewer (docs/teamviewer.md) -----------------------------------------
# Empty token: the integration is off and the portal behaves as without it.
TEAMVIEWER_API_URL = env.str(
    "TEAMVIEWER_API_URL", default="https://webapi.teamviewer.com/api/v1"
).rstrip("/")
TEAMVIEWER_API_TOKEN = env.str("TEAMVIEWER_API_TOKEN", default="")
# The service queue's group ("g…") in which cases are created.
TEAMVIEWER_GROUP_ID = env.str("TEAMVIEWER_GROUP_ID", default="")
# Hours a case's join link stays valid (TeamViewer's valid_until).
TEAMVIEWER_CASE_VALID_HOURS = env.int("TEAMVIEWER_CASE_VALID_HOURS", default=24)
# Minutes between two sync passes (connection reports, billing marks, retries).
TEAMVIEWER_SYNC_MINUTES = env.int("TEAMVIEWER_SYNC_MINUTES", default=5)
# Seconds each call to TeamViewer may take (connect, read, write each).
TEAMVIEWER_TIMEOUT_SECONDS = env.float("TEAMVIEWER_TIMEOUT_SECONDS", default=10.0)
# Tries to create a case before it is marked failed for the helpdesk.
TEAMVIEWER_MAX_ATTEMPTS = env.int("TEAMVIEWER_MAX_ATTEMPTS", default=8)
# Seconds the success page keeps "Ihre Verbindung wird vorbereitet" before it
# falls back to the usual steps.
TEAMVIEWER_CONNECT_WAIT_SECONDS = env.int("TEAMVIEWER_CONNECT_WAIT_SECONDS", default=90)
# Plain http to a loopback address (the local fake of `make run` and the tests)
# only in debug mode; production always needs https.
TEAMVIEWER_ALLOW_HTTP_LOOPBACK = DEBUG
# `make run` without a token points the integration at the local fake and says so.
TEAMVIEWER_DEMO = DEBUG and env.bool("TEAMVIEWER_DEMO", default=False)

# --- Passwords --------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages: German first, English under /en/ --------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("Englisch"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

# --- Static files (served by WhiteNoise, compressed and fingerprinted) ------
STATIC_URL = "static/"
# Where collectstatic writes and WhiteNoise serves from (each instance its own copy).
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 60 * 60 * 24 * 365 if not DEBUG else 0
WHITENOISE_USE_FINDERS = DEBUG

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Contact form and rate limits -------------------------------------------
# Handled contact messages are deleted this many days after they were handled
# (management command purge_contact_messages; docs/operations.md).
CONTACT_RETENTION_DAYS = env.int("CONTACT_RETENTION_DAYS", default=180)
# Contact-form posts per client address and period (django-ratelimit syntax).
CONTACT_RATE_LIMIT = env.str("CONTACT_RATE_LIMIT", default="10/h")
# Per client address (lenze_support/ratelimits.py, docs/security.md): look-ups of an
# order link's pages (GET/HEAD), order submits (POST) and admin login POSTs (on top
# of axes' lockout of a username+address pair).
ORDER_LINK_RATE_LIMIT = env.str("ORDER_LINK_RATE_LIMIT", default="60/m")
ORDER_SUBMIT_RATE_LIMIT = env.str("ORDER_SUBMIT_RATE_LIMIT", default="20/h")
ADMIN_LOGIN_RATE_LIMIT = env.str("ADMIN_LOGIN_RATE_LIMIT", default="30/h")
# A view over its limit raises django-ratelimit's Ratelimited; the middleware
# answers with this view: the 429 page in the user's language.
RATELIMIT_VIEW = "lenze_support.views.ratelimited"
# The client's address also behind the proxy (DJANGO_BEHIND_PROXY), where
# REMOTE_ADDR would put every customer into one bucket.
RATELIMIT_IP_META_KEY = "lenze_support.http.client_ip"

# --- Security ---------------------------------------------------------------
# DJANGO_HTTPS: the portal is reached over HTTPS (directly or through a proxy).
HTTPS = env.bool("DJANGO_HTTPS", default=not DEBUG)
BEHIND_PROXY = env.bool("DJANGO_BEHIND_PROXY", default=False)
if BEHIND_PROXY:
    # Only trust X-Forwarded-Proto when a reverse proxy sets it for every request.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = env.bool("DJANGO_USE_X_FORWARDED_HOST", default=False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
# same-origin, not no-referrer: Chromium would send "Origin: null" on the
# order form's POST and Django's CSRF check would refuse every order.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_COOKIE_AGE", default=8 * 60 * 60)
# Only staff log in; a session ends with the browser or after SESSION_COOKIE_AGE.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "lenze_support.views.csrf_failure"

# Content-Security-Policy (django-csp): only the portal's own files, no inline
# script or style, no frames, forms post only to the portal. data: images are
# Bootstrap's inline SVG icons (checkbox ticks, select arrows) in its CSS.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# The admin's URL path (no leading slash, one trailing slash), e.g. "staff-7f3a/".
ADMIN_PATH = env.str("DJANGO_ADMIN_PATH", default="admin/").strip("/") + "/"
if ADMIN_PATH == "/":
    raise ImproperlyConfigured("DJANGO_ADMIN_PATH must not be empty (the portal lives at /).")

# django-axes: lock a username+IP pair out of the admin login after repeated
# failures. Staff only: customers never log in, and their addresses are never
# stored. Attempts (with the address) are deleted once the cool-off has passed.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# A password alone is not a successful login: the failures are cleared once the
# second factor passed too (staff.views), so wrong codes count towards the lockout.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_TEMPLATE = "lockout.html"
AXES_LOCKOUT_CALLABLE = "lenze_support.http.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
# No log of successful logins (address, browser) beyond Django's own last_login.
AXES_DISABLE_ACCESS_LOG = True
# No banner on every command's start, and a lockout's log line names only what
# the lockout counts (username and address, not the browser's user agent).
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "lenze_support.http.client_ip"

# Second factor (django-otp): the name authenticator apps show above the code.
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Lenze Remote Support")

DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200
# The whole request body (lenze_support.middleware.RequestBodyLimitMiddleware): the
# form-field limit plus room for multipart framing. No endpoint takes files.
MAX_REQUEST_BODY_BYTES = env.int("DJANGO_MAX_REQUEST_BODY_BYTES", default=320 * 1024)

# Structured lines on stderr (lenze_support/logs.py, docs/operations.md "Logging"):
# DJANGO_LOG_FORMAT=keyvalue (default), json, or plain.
LOG_FORMAT = env.str("DJANGO_LOG_FORMAT", default="keyvalue")
if LOG_FORMAT not in ("keyvalue", "json", "plain"):
    raise ImproperlyConfigured("DJANGO_LOG_FORMAT must be keyvalue, json or plain.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "keyvalue": {"()": "lenze_support.logs.KeyValueFormatter"},
        "json": {"()": "lenze_support.logs.JsonFormatter"},
    },
    # Order-link tokens are cut out of every line (Django logs the path of 4xx responses).
    "filters": {"redact_tokens": {"()": "lenze_support.logs.RedactTokensFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["redact_tokens"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    # Libraries that narrate their work at INFO stay at WARNING unless
    # DJANGO_LIBRARY_LOG_LEVEL asks for more: httpx logs every request (TeamViewer calls
    # are logged by our client), WeasyPrint and fontTools every step of a PDF.
    "loggers": {
        name: {"level": env.str("DJANGO_LIBRARY_LOG_LEVEL", default="WARNING")}
        for name in ("django.db.backends", "httpx", "weasyprint", "fontTools")
    },
}
