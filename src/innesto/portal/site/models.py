"""The site's identity as loaded with the plan (``site.yaml``, see :mod:`innesto.plan.site`)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class SiteIdentity(models.Model):
    """One row per loaded plan set: its :class:`innesto.plan.site.Site` as JSON. The portal
    shows the most recently loaded one (:func:`innesto.portal.site.identity.current`)."""

    planset = models.SlugField(max_length=80, unique=True)
    document = models.JSONField(default=dict)
    loaded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.planset


class ContentVersion(models.Model):
    """One row: the version of the plan content that cached pages and API answers are
    keyed by (:mod:`innesto.portal.site.cache`). It lives in the database beside the
    content, so a change and its new version are committed together: no request can
    cache the old content under the new version, and no cache loss resets it."""

    version = models.BigIntegerField()

    def __str__(self) -> str:
        return str(self.version)
