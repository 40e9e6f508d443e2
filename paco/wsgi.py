"""WSGI entry point, used by ``paco serve`` (gunicorn)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paco.settings")
application = get_wsgi_application()
