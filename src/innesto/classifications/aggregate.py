"""Sum a panel up a classification hierarchy, or into user-defined sector groupings.

Rules (also in ``docs/classifications.md``):

- Codes are normalised first (``C30.3``, ``30.3`` and ``303`` are the same group). A code the
  classification does not know raises :class:`~innesto.errors.ClassificationError` naming
  it, or, with ``on_unknown="report"``, its rows are left out and counted in the report.
- A panel that mixes levels (``C`` and ``C10``) would be double counted: that raises, unless
  ``from_level=`` picks the level to start from (the other rows are counted as dropped).
- **Missing values propagate.** A sum with a null component is itself null and flagged
  ``incomplete`` (``missing="propagate"``, the default), or, with ``missing="partial"``, the
  sum of the known components flagged ``partial``. Either way each such cell is counted.
  An absent row is a zero (the sparse convention of every matrix in innesto); a row that is
  present with a null value is a missing component.
- In a grouping, a member code that no panel code covers (e.g. the grouping asks for group
  ``30.3`` but the panel only has division ``30``) makes the group incomplete in the same way.
- Component flags are carried to the sum (``p`` and ``e`` give ``e,p``).
- Eurostat's composite codes in the panel (``B-E``, ``M_N``, ``TOTAL``) are sums already:
  they are left out and counted as ``dropped:composite`` (select them with
  :meth:`Panel.filter` instead). In a grouping, a composite member is expanded
  (``G-I`` = G + H + I).

Examples
--------
>>> from innesto.panel import Panel
>>> p = Panel.from_records([("ITC11", "C30.30", 2017, 5.0), ("ITC11", "C33.16", 2017, 2.0),
...                         ("ITC11", "C29.10", 2017, 40.0)])
>>> aggregate(p, to_level="division").to_pandas()[["industry", "value"]].values.tolist()
[['29', 40.0], ['30', 5.0], ['33', 2.0]]
>>> aggregate(p, grouping={"aerospace": ["C30.3", "C33.16"]}).to_pandas()["value"].tolist()
[7.0]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from innesto.classifications.composite import is_composite
from innesto.classifications.composite import members as composite_members
from innesto.classifications.hierarchy import NAMES, Hierarchy, get, resolve
from innesto.errors import ClassificationError
from innesto.i18n import msg, nmsg
from innesto.panel import Panel, PanelMeta
from innesto.report import ReadReport

OnUnknown = Literal["raise", "report"]
Missing = Literal["propagate", "partial"]


def aggregate(
    panel: Panel,
    to_level: str | None = None,
    *,
    grouping: Mapping[str, Sequence[str]] | None = None,
    classification: str | None = None,
    on_unknown: OnUnknown = "raise",
    missing: Missing = "propagate",
    from_level: str | None = None,
) -> Panel:
    """Sum ``panel`` to a level of its industry classification, or into named groups.

    Parameters
    ----------
    panel
        A panel whose industries are codes of ``classification``.
    to_level
        A level of the hierarchy (``"section"``, ``"division"``, ``"group"``, ``"class"`` for
        NACE; ``"sector"``... for NAICS). Exactly one of ``to_level`` and ``grouping``.
    grouping
        ``{"aerospace": ["C30.3", "C33.16"], ...}``: each group is the sum of the panel rows
        whose code is a member or lies below one. Groups may overlap.
    classification
        ``"NACE_R2"`` (default, or the panel's own if it is a known one), ``"NACE_R21"``,
        ``"ATECO2007"``, ``"NAICS2017"``, ``"ISIC4"``...
    on_unknown
        ``"raise"`` (default) or ``"report"`` for codes the classification does not know.
    missing
        ``"propagate"`` (default: a sum with a null component is null) or ``"partial"``.
    from_level
        Use only the panel rows at this level (for tables that mix levels).

    Returns
    -------
    Panel
        Keys (region, industry, time) with the sums; ``flag`` says ``incomplete``/``partial``
        where a component was missing. Use :func:`aggregate_with_report` for the counts.
    """
    out, _ = aggregate_with_report(
        panel, to_level, grouping=grouping, classification=classification,
        on_unknown=on_unknown, missing=missing, from_level=from_level,
    )
    return out


def aggregate_with_report(
    panel: Panel,
    to_level: str | None = None,
    *,
    grouping: Mapping[str, Sequence[str]] | None = None,
    classification: str | None = None,
    on_unknown: OnUnknown = "raise",
    missing: Missing = "propagate",
    from_level: str | None = None,
) -> tuple[Panel, ReadReport]:
    """Like :func:`aggregate`, also returning a report of what was dropped or incomplete."""
    if (to_level is None) == (grouping is None):
        raise ClassificationError(msg("give exactly one of to_level=... and grouping=..."))
    if on_unknown not in ("raise", "report") or missing not in ("propagate", "partial"):
        raise ClassificationError(msg("on_unknown must be 'raise' or 'report'; missing must be "
                                  "'propagate' or 'partial'"))
    name = _classification(panel, classification)
    h = get(name)
    report = ReadReport(path="<panel>", format=f"aggregate:{name}")
    df = panel.to_pandas()
    report.rows_read = len(df)

    canon = _normalise_codes(h, df["industry"].unique().tolist(), on_unknown, report, df)
    df = df.assign(code=df["industry"].map(canon)).dropna(subset=["code"])
    if from_level is not None:
        at = df["code"].map(h.level) == from_level
        h._check_level(from_level)
        report.count("dropped:other-level", int((~at).sum()))
        df = df[at]
    _check_nesting(h, set(df["code"]))

    if to_level is not None:
        h._check_level(to_level)
        target = {c: h.ancestor(c, to_level) for c in df["code"].unique()}
        coarse = sorted(c for c, t in target.items() if t is None)
        if coarse:
            raise ClassificationError(
                msg("code(s) %(items)s are above the %(to_level)s level and cannot be split; keep "
                "them out (from_level=...) or aggregate to a coarser level",
                items=', '.join(coarse[:10]), to_level=to_level)
            )
        long = df.assign(industry=df["code"].map(target))
        incomplete_groups: set[str] = set()
        meta = panel.meta
    else:
        assert grouping is not None
        long, incomplete_groups = _assign_groups(h, df, grouping, on_unknown, report)
        meta = PanelMeta(panel.meta.region_classification, "user", panel.meta.measure,
                         panel.meta.attribution)
    out = _sum(long, missing, incomplete_groups, report)
    report.rows_kept = int(len(long))
    return Panel.from_pandas(out, meta=meta), report


def _classification(panel: Panel, classification: str | None) -> str:
    if classification is not None:
        return resolve(classification)
    own = panel.meta.industry_classification
    try:
        return resolve(own)
    except ClassificationError:
        return "NACE_R2"


def _normalise_codes(
    h: Hierarchy, codes: list[str], on_unknown: str, report: ReadReport, df: pd.DataFrame
) -> dict[str, str | None]:
    canon: dict[str, str | None] = {c: h.try_normalise(c) for c in codes}
    # Eurostat composites (B-E, M_N, TOTAL) are sums already: never components of a sum
    for c in sorted(c for c, n in canon.items() if n is None and c is not None
                    and is_composite(c)):
        report.count("dropped:composite", int((df["industry"] == c).sum()),
                     column="industry", raw=c)
        del canon[c]
    unknown = sorted(c for c, n in canon.items() if n is None and c is not None)
    if unknown and on_unknown == "raise":
        raise ClassificationError(
            nmsg("%(n)d industry code(s) are not %(what)s codes: %(items)s%(what2)s (use "
                 "on_unknown='report' to leave them out and count them)",
                 "%(n)d industry code(s) are not %(what)s codes: %(items)s%(what2)s (use "
                 "on_unknown='report' to leave them out and count them)",
                 len(unknown), what=NAMES[h.name], items=', '.join(map(repr, unknown[:10])), what2=' ...' if len(unknown) > 10 else '')
        )
    for c in unknown:
        n = int((df["industry"] == c).sum())
        report.count("dropped:unknown-code", n, column="industry", raw=c)
    return canon


def _check_nesting(h: Hierarchy, codes: set[str]) -> None:
    for c in sorted(codes):
        for a in h.ancestors(c)[1:]:
            if a in codes:
                raise ClassificationError(
                    msg("the panel mixes levels: %(a)s (%(what)s) and %(c)s (%(what2)s) would be "
                    "counted twice; pick one level with from_level=...", a=repr(a),
                    what=h.level(a), c=repr(c), what2=h.level(c))
                )


def _assign_groups(
    h: Hierarchy,
    df: pd.DataFrame,
    grouping: Mapping[str, Sequence[str]],
    on_unknown: str,
    report: ReadReport,
) -> tuple[pd.DataFrame, set[str]]:
    present = set(df["code"])
    covered_by_present: set[str] = set()
    for c in present:
        covered_by_present.update(h.ancestors(c))
    frames = []
    incomplete: set[str] = set()
    in_any: set[str] = set()
    for group, members in grouping.items():
        mset, complete = _members(h, group, members, on_unknown, report)
        for m in sorted(mset):
            if m not in covered_by_present:
                report.count("uncovered-member", column=group, raw=m)
                complete = False
        if not complete:
            incomplete.add(group)
        in_group = {c for c in present if any(a in mset for a in h.ancestors(c))}
        in_any |= in_group
        frames.append(df[df["code"].isin(in_group)].assign(industry=group))
    long = pd.concat(frames, ignore_index=True) if frames else df.iloc[:0]
    report.count("dropped:not-in-grouping", int((~df["code"].isin(in_any)).sum()))
    return long, incomplete


def _members(h: Hierarchy, group: str, members: Sequence[str], on_unknown: str,
             report: ReadReport) -> tuple[set[str], bool]:
    """The group's members as canonical codes, none below another (it would add nothing),
    and whether every member is a code (unknown ones are counted, or raise)."""
    if isinstance(members, str):
        raise ClassificationError(msg("group %(group)s: give a list of codes, not a string",
                                  group=repr(group)))
    canon = []
    complete = True
    for m in _expand(h, members):
        n = h.try_normalise(m)
        if n is None:
            if on_unknown == "raise":
                raise ClassificationError(
                    msg("group %(group)s: %(m)s is not a %(what)s code", group=repr(group),
                    m=repr(m), what=NAMES[h.name])
                )
            report.count("unknown-member", column=group, raw=str(m))
            complete = False
            continue
        canon.append(n)
    return {m for m in canon if not any(a in canon for a in h.ancestors(m)[1:])}, complete


def _expand(h: Hierarchy, codes: Sequence[str]) -> list[str]:
    """Grouping members with Eurostat composites (``G-I``) replaced by their members."""
    out: list[str] = []
    for c in codes:
        if h.try_normalise(c) is None and is_composite(c):
            out.extend(composite_members(c, h.name))
        else:
            out.append(c)
    return out


def _sum(long: pd.DataFrame, missing: str, incomplete_groups: set[str],
         report: ReadReport) -> pd.DataFrame:
    keys = ["region", "industry", "time"] + (["unit"] if "unit" in long.columns else [])
    long = long.assign(
        _null=long["value"].isna(),
        flag=long["flag"] if "flag" in long.columns else None,
    )
    grouped = long.groupby(keys, sort=True, dropna=False)
    out = grouped.agg(value=("value", "sum"), _nulls=("_null", "sum")).reset_index()
    flags = grouped["flag"].agg(_join_flags).reset_index(drop=True)
    out["flag"] = flags.to_numpy()
    bad = (out["_nulls"] > 0) | out["industry"].isin(incomplete_groups)
    tag = "incomplete" if missing == "propagate" else "partial"
    if missing == "propagate":
        out.loc[bad, "value"] = np.nan
    out.loc[bad, "flag"] = [
        ",".join(x for x in (tag, f) if x) for f in out.loc[bad, "flag"].fillna("")
    ]
    report.count(tag, int(bad.sum()))
    for _, row in out[bad].head(5).iterrows():
        why = (f"{int(row['_nulls'])} null component(s)" if row["_nulls"]
               else "member(s) not in the panel")
        report.examples[tag].append({"line": None, "column": str(row["industry"]),
                                     "raw": f"{row['region']} {row['time']}: {why}"})
    out["flag"] = out["flag"].replace("", None)
    return out.drop(columns=["_nulls"])


def _join_flags(s: pd.Series) -> str:
    flags = sorted({f for v in s.dropna() for f in str(v).split(",") if f})
    return ",".join(flags)
