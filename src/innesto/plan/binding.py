"""Indicators bound to the evidence engine: a binding is a query, its answer a data vintage.

A :class:`~innesto.plan.model.Binding` names a measure on a panel: ``employment`` (the
value, summed over the sector's codes), ``share`` (per cent of ``total_industry``), ``lq``
(:func:`innesto.measures.specialisation.location_quotient` against ``reference_region``) or
``shift_share`` (a component of :func:`innesto.measures.shift_share.shift_share` of the
change from ``start`` to each later year against ``reference_region``). For the
``competitive`` component the value is an index, :math:`100 (1 + CS_t / E_{start})`: 100
means the region's sector grew exactly as the reference's, above 100 faster.

:func:`resolve` computes the values; :func:`refresh` records them in the plan as a new
vintage (observations published on the given date), so the report of any earlier date is
unchanged (see :mod:`innesto.plan.bitemporal`). The panel and the measures are imported
only when a binding is resolved.

Examples
--------
>>> from datetime import date
>>> from innesto.panel import Panel
>>> from innesto.plan.model import Binding
>>> p = Panel.from_records([(r, i, t, v) for r, i, t, v in [
...     ("ITC11", "J", 2006, 40), ("ITC11", "TOTAL", 2006, 1000),
...     ("IT", "J", 2006, 400), ("IT", "TOTAL", 2006, 20000),
...     ("ITC11", "J", 2007, 44), ("ITC11", "TOTAL", 2007, 1000),
...     ("IT", "J", 2007, 400), ("IT", "TOTAL", 2007, 20000)]])
>>> b = Binding(measure="lq", region="ITC11", industry="J", reference_region="IT",
...             total_industry="TOTAL")
>>> [(o.period, round(o.value, 3)) for o in resolve(b, p, published=date(2020, 1, 1))]
[('2006', 2.0), ('2007', 2.2)]
>>> b = Binding(measure="shift_share", region="ITC11", industry="J", reference_region="IT",
...             start="2006", component="competitive")
>>> [(o.period, round(o.value, 3)) for o in resolve(b, p, published=date(2020, 1, 1))]
[('2007', 110.0)]
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pandas as pd

from innesto.classifications.sums import sector_sums
from innesto.errors import InnestoError, PlanError
from innesto.i18n import msg, nmsg
from innesto.panel import Panel
from innesto.plan.bitemporal import revise
from innesto.plan.i18n import Text
from innesto.plan.model import Binding, Observation, PlanSet, Sector

SECTOR_CODE = "_sector"


def codes_of(binding: Binding, sectors: dict[str, Sector] | None = None) -> list[str]:
    """The panel industry codes a binding sums: its ``industry`` or its sector's codes."""
    if binding.industry:
        return [binding.industry]
    if binding.sector and sectors and binding.sector in sectors:
        codes = sectors[binding.sector].data_codes
        if codes:
            return list(codes)
    raise PlanError(msg("binding %(measure)s for %(region)s: name an industry or a sector with "
                    "data_codes", measure=binding.measure, region=binding.region))


def load_dataset(name: str) -> Panel:
    """Call ``innesto.datasets.<name>()`` (e.g. ``employment_italy``)."""
    from innesto import datasets

    try:
        loader: Callable[[], Panel] = getattr(datasets, name)
    except AttributeError:
        raise PlanError(msg("dataset %(name)s is not available (innesto.datasets.%(name2)s); pass "
                        "a panel to resolve the binding", name=repr(name), name2=name)) from None
    return loader()


def _sector_panel(panel: Panel, regions: list[str], codes: list[str], total: str | None) -> Panel:
    """The regions' rows with the sector's codes summed into one industry ``_sector``."""
    df = panel.filter(region=regions, industry=[*codes, *([total] if total else [])]).to_pandas()
    missing = sorted(set(codes) - set(df["industry"]))
    if missing:
        raise PlanError(msg("industry code(s) %(missing)s not in the panel; it has %(industries)s",
                        missing=missing, industries=panel.industries))
    # The library's one sector sum: a missing part (absent or null) makes the sum unknown,
    # and such a period is left out here (never a partial sum).
    sums = sector_sums(Panel.from_pandas(df, meta=panel.meta), {SECTOR_CODE: codes})
    summed = sums.panel.to_pandas().dropna(subset=["value"])
    parts: list[pd.DataFrame] = [pd.DataFrame(summed[["region", "industry", "time", "value"]])]
    if total:
        parts.append(pd.DataFrame(df[df["industry"] == total][["region", "industry", "time", "value"]]))
    out = pd.DataFrame(pd.concat(parts, ignore_index=True))
    return Panel.from_pandas(out, meta=panel.meta)


def _check(binding: Binding, sectors: dict[str, Sector] | None) -> list[str]:
    """The codes ``binding`` sums; a :class:`PlanError` when it misses an option."""
    codes = codes_of(binding, sectors)
    m = binding.measure
    if m in ("share", "lq") and not binding.total_industry:
        raise PlanError(msg("a %(m)s binding needs total_industry (e.g. TOTAL)", m=m))
    if m in ("lq", "shift_share") and not binding.reference_region:
        raise PlanError(msg("a %(m)s binding needs reference_region (e.g. IT)", m=m))
    return codes


def _regions(binding: Binding) -> list[str]:
    return [binding.region] + ([binding.reference_region] if binding.reference_region else [])


def values(binding: Binding, panel: Panel, sectors: dict[str, Sector] | None = None) -> dict[str, float]:
    """The bound indicator's value by period (periods without a value are left out)."""
    codes = _check(binding, sectors)
    regions = _regions(binding)
    absent = [r for r in regions if r not in set(panel.regions)]
    if absent:
        raise PlanError(nmsg("region %(what)s not in the panel (%(n)d regions, e.g. %(what2)s)",
                             "region %(what)s not in the panel (%(n)d regions, e.g. %(what2)s)",
                             len(panel.regions), what=repr(absent[0]), what2=panel.regions[:5]))
    return _measure(binding, _sector_panel(panel, regions, codes, binding.total_industry))


def values_by_region(binding: Binding, panel: Panel, regions: list[str],
                     sectors: dict[str, Sector] | None = None) -> dict[str, dict[str, float]]:
    """:func:`values` of ``binding`` with its ``region`` set to each of ``regions``, as
    ``{region: {period: value}}``; a region for which :func:`values` has no value or raises
    an :class:`~innesto.errors.InnestoError` (not in the panel, a code missing) gets ``{}``.

    The same numbers as one :func:`values` call per region (the comparison of a regional
    indicator ranks every province), with the sector's codes summed once for all of them:
    a sector sum is per region and period, so summing all regions at once sums each the
    same. A binding that misses an option raises as :func:`values` does.
    """
    codes = _check(binding, sectors)
    held = set(panel.regions)
    ref = [binding.reference_region] if binding.reference_region else []
    if any(r not in held for r in ref):
        return {r: {} for r in regions}
    wanted = [r for r in dict.fromkeys(regions) if r in held]
    try:
        sp = _sector_panel(panel, list(dict.fromkeys(wanted + ref)), codes,
                           binding.total_industry)
    except InnestoError:  # no region holds one of the codes: each call would raise
        return {r: {} for r in regions}
    out: dict[str, dict[str, float]] = {r: {} for r in regions}
    for r in wanted:
        one = binding.model_copy(update={"region": r})
        try:
            out[r] = _measure(one, sp.filter(region=list(dict.fromkeys([r, *ref]))))
        except InnestoError:
            out[r] = {}
    return out


def _measure(binding: Binding, sp: Panel) -> dict[str, float]:
    """The measure of ``binding`` on its sector panel (:func:`_sector_panel`)."""
    m = binding.measure
    df = sp.to_pandas()
    try:
        if m == "employment":
            s = df[(df.region == binding.region) & (df.industry == SECTOR_CODE)]
            return _clean(dict(zip(s["time"], s["value"], strict=True)))
        if m == "share":
            w = df[df.region == binding.region].pivot_table(index="time", columns="industry",
                                                              values="value", aggfunc="sum")
            return _clean((100.0 * w[SECTOR_CODE] / w[binding.total_industry]).to_dict())
        if m == "lq":
            from innesto.measures.specialisation import location_quotient

            lq = location_quotient(sp, reference_region=binding.reference_region,
                                   total_industry=binding.total_industry)
            s = lq[(lq.region == binding.region) & (lq.industry == SECTOR_CODE)]
            return _clean(dict(zip(s["time"], s["lq"], strict=True)))
        return _shift_share(binding, sp)
    except InnestoError:
        raise
    except (KeyError, ValueError) as exc:
        raise PlanError(msg("binding %(m)s for %(region)s: %(exc)s", m=m, region=binding.region,
                        exc=exc)) from None


def _shift_share(binding: Binding, sp: Panel) -> dict[str, float]:
    from innesto.measures.shift_share import shift_share

    assert binding.reference_region is not None
    start = binding.start or sp.times[0]
    component = binding.component or "competitive"
    out: dict[str, float] = {}
    for t in [t for t in sp.times if t > start]:
        ss = shift_share(sp.filter(industry=SECTOR_CODE), focus=binding.region,
                         reference_region=binding.reference_region, start=start, end=t,
                         industries=[SECTOR_CODE])
        row = ss[ss["industry"] == SECTOR_CODE].iloc[0]
        if component == "competitive":
            out[t] = 100.0 * (1.0 + float(row["competitive"]) / float(row["value_start"]))
        else:
            out[t] = float(row[component])
    return _clean(out)


def _clean(d: dict[Any, Any]) -> dict[str, float]:
    return {str(k): float(v) for k, v in sorted(d.items()) if v is not None and pd.notna(v)}


def resolve(binding: Binding, panel: Panel | None = None, *, published: date | None = None,
            retrieved: date | None = None,
            sectors: dict[str, Sector] | None = None) -> list[Observation]:
    """The binding's values as observations of the panel's data vintage.

    ``published`` is the vintage's release date: given, else the panel's own
    (``panel.meta.released``), else ``retrieved``; ``retrieved`` (default today) is
    the day the values were recorded. Source, dataset code and licence come from the
    panel's metadata; a value summed over a sector's codes broader than the sector
    is flagged ``proxy``.
    """
    panel = panel if panel is not None else load_dataset(binding.dataset)
    m = panel.meta
    retrieved = retrieved or date.today()
    when = published or (date.fromisoformat(m.released) if m.released else retrieved)
    source = m.attribution.removeprefix("Source: ") or None
    sector = (sectors or {}).get(binding.sector or "")
    proxy = bool(binding.sector and not binding.industry and sector is not None and sector.proxy)
    return [Observation(period=p, value=v, published=when, source=source, confidence="A",
                        dataset=m.dataset or None, licence=m.licence or None,
                        retrieved=retrieved, proxy=proxy)
            for p, v in values(binding, panel, sectors).items()]


def refresh(ps: PlanSet, panel: Panel | None = None, *, published: date | None = None,
            retrieved: date | None = None,
            edition: int | None = None) -> tuple[PlanSet, dict[str, int]]:
    """Record every bound indicator's current values as a vintage released on ``published``
    (default: the dataset's own release date, else the retrieval date; see :func:`resolve`).

    Only values that are new or differ from the latest held for their period are added (a
    revision note says so). Returns the new plan set and, per ``edition/indicator``, the
    number of observations added.
    """
    sectors = {s.id: s for s in ps.sectors}
    panels: dict[str, Panel] = {}
    added: dict[str, int] = {}
    editions = []
    for plan in ps.editions:
        if edition is not None and plan.edition != edition:
            editions.append(plan)
            continue
        inds = []
        for ind in plan.indicators:
            if ind.binding is None:
                inds.append(ind)
                continue
            b = ind.binding
            if panel is None and b.dataset not in panels:
                panels[b.dataset] = load_dataset(b.dataset)
            new = resolve(b, panel if panel is not None else panels[b.dataset],
                          published=published, retrieved=retrieved, sectors=sectors)
            held = {o.period for o in ind.observations}
            new = [o if o.period not in held else o.model_copy(update={"revision_note": Text(
                it="valore rivisto dalla fonte", en="value revised by the source")}) for o in new]
            obs, fresh = revise(list(ind.observations), new)
            added[f"{plan.edition}/{ind.id}"] = len(fresh)
            inds.append(ind.model_copy(update={"observations": obs}))
        editions.append(plan.model_copy(update={"indicators": inds}))
    return ps.model_copy(update={"editions": editions}), added
