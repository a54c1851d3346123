"""Benchmark settings: production settings plus the baseline views of bench/urls.py.

Only `make bench` uses this module; the baseline views exist nowhere else.
"""

from lenze_support.settings import *  # noqa: F403
from lenze_support.settings import BASE_DIR, TEMPLATES

ROOT_URLCONF = "bench.urls"
TEMPLATES[0]["DIRS"] = [BASE_DIR / "templates", BASE_DIR / "bench" / "templates"]

# Every wrk request comes from 127.0.0.1: the per-address rate limits of the
# order link, the submits, the contact form and the admin login
# (lenze_support/ratelimits.py) would answer most of them with 429. The
# benchmark measures the pages, not the limiter, so it lifts them.
ORDER_LINK_RATE_LIMIT = "100000000/s"
ORDER_SUBMIT_RATE_LIMIT = "100000000/s"
CONTACT_RATE_LIMIT = "100000000/s"
ADMIN_LOGIN_RATE_LIMIT = "100000000/s"
