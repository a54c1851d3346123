"""Web requests never import WeasyPrint (memory in every worker): PDFs are stored."""

import os
from pathlib import Path

from tests.support.processes import run_python

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "lenze_support.test_settings"
import django
django.setup()
from django.conf import settings
from django.test.utils import setup_test_environment
from django.test.runner import DiscoverRunner
setup_test_environment()
runner = DiscoverRunner(verbosity=0)
old = runner.setup_databases()
from django.test import Client
from legal.models import LegalDocument
from legal.services import document_publish
from django.utils import timezone
STUB = b"%PDF-1.4 stub"
doc = LegalDocument.objects.create(kind="asb", language="de", title="ASB", body="Text",
                                   valid_from=timezone.now())
document_publish(document=doc, by=None, pdf_renderer=lambda d, body_html: STUB)
c = Client()
codes = [c.get(u).status_code for u in ("/", "/rechtliches/asb/", doc.get_absolute_url(),
                                         doc.get_pdf_url(), "/en/legal/asb/")]
runner.teardown_databases(old)
print(codes, "weasyprint" in sys.modules)
"""


def test_serving_pages_and_pdfs_does_not_import_weasyprint():
    # Its own in-memory database: never the one the suite (or PostgreSQL) is using.
    env = {**os.environ, "DATABASE_URL": "sqlite://:memory:"}
    result = run_python("-c", SCRIPT, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().splitlines()[-1] == "[200, 200, 200, 200, 200] False"
