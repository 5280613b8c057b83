"""WSGI entry point (gunicorn ``innesto.portal.wsgi:application``): Django's application
behind the worker's memory of cached pages (:func:`innesto.portal.site.cache.front_cached`)
and of clients told to wait for a report (:func:`innesto.portal.reports.shedding.shed_early`).

Before serving, the worker imports every view (:func:`settle`) and hands what it holds by
then to :func:`gc.freeze`: those objects live as long as the process, and a full pass of
the garbage collector over them (about 180,000 objects, 0.2-0.6 s measured under load,
docs/portal.md "Serving") stopped the worker and every request it held.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innesto.portal.settings")
django_application = get_wsgi_application()

from innesto.portal.reports.shedding import shed_early  # noqa: E402  (needs settings loaded)
from innesto.portal.site.cache import front_cached  # noqa: E402


def settle() -> None:
    """Import every view module (the URL patterns name them), then keep everything this
    process holds out of the garbage collector's passes (:func:`gc.freeze`): only objects
    made later are examined."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  (imports the views of every app)
    gc.collect()
    gc.freeze()


settle()
application = front_cached(shed_early(django_application))
