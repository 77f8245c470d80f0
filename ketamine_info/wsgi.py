"""WSGI entry point, for gunicorn: ``gunicorn ketamine_info.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ketamine_info.settings")

application = get_wsgi_application()
