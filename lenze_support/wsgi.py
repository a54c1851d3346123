import os

from django.core.wsgi import get_wsgi_application

from lenze_support.startup import require_secret_key

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lenze_support.settings")
require_secret_key()

application = get_wsgi_application()
