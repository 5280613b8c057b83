"""WSGI entry point (gunicorn ``innesto.portal.wsgi:application``): Django's application
behind the worker's memory of cached pages (:func:`innesto.portal.site.cache.front_cached`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innesto.portal.settings")
django_application = get_wsgi_application()

from innesto.portal.site.cache import front_cached  # noqa: E402  (needs settings loaded)

application = front_cached(django_application)
