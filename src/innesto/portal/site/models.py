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
