"""Benchmark settings: production settings plus the baseline views of bench/urls.py.

Only `make bench` uses this module; the baseline views exist nowhere else.
"""

from lenze_support.settings import *  # noqa: F403
from lenze_support.settings import BASE_DIR, TEMPLATES

ROOT_URLCONF = "bench.urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]
