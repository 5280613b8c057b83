"""``{% opportunities sectors as opps %}``: for each sector, the three industries the plan's
region could most readily move into around it (the sector page's opportunities chart), for
the "Opportunities and projects" tab of a plan node."""

from __future__ import annotations

from typing import Any

from django import template

from innesto.portal.plans.models import Sector
from innesto.portal.sectors import dashboards
from innesto.portal.sectors.evidence import EvidenceUnavailable

register = template.Library()


@register.simple_tag
def opportunities(sectors: list[Sector]) -> list[dict[str, Any]]:
    out = []
    for sector in sectors:
        try:
            chart = dashboards.chart(sector, "opportunity")
        except EvidenceUnavailable:
            continue
        out.append({"sector": sector, "title": chart.title,
                    "industries": [r["industry"] for r in chart.rows[:3]]})
    return out
