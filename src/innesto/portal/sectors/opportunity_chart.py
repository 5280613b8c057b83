"""The sector page's opportunities: the industries the plan's region could move into around
the sector, with names and the method in words (numbers from
:mod:`innesto.portal.sectors.opportunities`)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from innesto.plan.i18n import fmt_number
from innesto.portal.plans.models import Sector
from innesto.portal.plans.presenters import lang
from innesto.portal.sectors import opportunities, places
from innesto.portal.sectors.evidence import EvidenceUnavailable
from innesto.portal.site.charts import Chart, Column
from innesto.portal.site.vega_ranked import ranked_spec


def industry_name(code: str, language: str) -> str:
    """The NACE title of a division or of a composite such as ``B-E``, in ``language``
    (Istat's ATECO titles are upper case: shown in sentence case)."""
    from innesto import classifications
    from innesto.classifications.composite import composite_label, is_composite

    try:
        text = (composite_label(code, language) if is_composite(code)
                else classifications.label(code, language))
    except (KeyError, ValueError):
        return code
    if text.isupper():
        text = text[:1] + text[1:].lower()
    return text


def opportunity_chart(sector: Sector) -> Chart:
    focus = places.focus_region()
    if not focus:
        raise EvidenceUnavailable(_("The plan names no region to compute opportunities for."))
    t = opportunities.table()
    try:
        found = opportunities.candidates(list(sector.nace), list(sector.industries), focus)
    except KeyError as exc:
        raise EvidenceUnavailable(str(exc)) from None
    language = lang()
    region = places.name(found["region"])
    rows: list[dict[str, Any]] = [
        {**r, "industry": f"{industry_name(r['code'], language)} ({r['code']})"}
        for r in found["rows"]]
    anchor_names = ", ".join(f"{industry_name(c, language)} ({c})" for c in found["anchors"])
    title = _("Industries %(region)s could move into, around %(sector)s") % {
        "region": region, "sector": sector.title}
    if t.level == "nuts2-divisions":
        scope = _("%(regions)d European NUTS 2 regions and %(industries)d NACE divisions, "
                  "%(year)s") % {"regions": t.regions, "industries": t.industries, "year": t.year}
    else:
        scope = _("%(regions)d NUTS 3 regions of the shipped table and %(industries)d broad "
                  "NACE sections, "
                  "%(year)s (the finer European table is not available on this server)") % {
            "regions": t.regions, "industries": t.industries, "year": t.year}
    if found["anchors"]:
        desc = _("Industries in which %(region)s is not yet specialised (RCA below 1) and "
                 "that are most often found together with %(anchors)s, listed by the "
                 "region's relatedness density around them (%(scope)s).") % {
            "region": region, "anchors": anchor_names, "scope": scope}
    else:
        desc = _("The table has no data for this sector's codes, so these are the industries "
                 "in which %(region)s is not yet specialised and that are closest to what it "
                 "already does overall, by relatedness density (%(scope)s).") % {
            "region": region, "scope": scope}
    if rows:
        desc += " " + _("Highest: %(list)s.") % {"list": "; ".join(
            f"{r['industry']} {fmt_number(r['density'], language, digits=2)}" for r in rows[:3])}
    columns = [Column("industry", _("Industry (NACE)")),
               Column("density", _("Relatedness density (0-1)"), 3),
               Column("proximity", _("Proximity to the sector (0-1)"), 3),
               Column("rca", _("Revealed comparative advantage (RCA)"), 2)]
    spec = ranked_spec(rows, value="density", label="industry", title=title,
                       value_title=_("Relatedness density (0-1)"),
                       label_title=_("Industry (NACE)"), fmt=".3f")
    notes = [
        _("How to read it: relatedness density is the share of the industries related to "
          "this one in which the region is already specialised, weighted by how related "
          "they are (0 to 1). Two industries are related when regions specialised in one "
          "are often specialised in the other (proximity, Hidalgo et al. 2007). A high "
          "density means the region already has much of the know-how the industry needs "
          "(Balland et al. 2019, smart specialisation)."),
        _("The sector's own industries are never listed; a region is specialised in an "
          "industry when its share of the region's employment is at least the share across "
          "all regions (RCA of 1 or more)."),
    ]
    if t.skipped:
        notes.append(_("Cells the source does not publish (confidential or flagged) are "
                       "counted as absent: %(counts)s.") % {
            "counts": ", ".join(f"{k} {v}" for k, v in sorted(t.skipped.items()))})
    return Chart("opportunity", title, desc, columns, rows, spec, source=t.source, notes=notes)
