"""WSGI entry point (gunicorn ``innesto.portal.wsgi:application``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innesto.portal.settings")
application = get_wsgi_application()
