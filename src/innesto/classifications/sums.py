"""Sector sums: the one function that adds a panel's codes into named sectors.

Plan bindings (:mod:`innesto.plan.binding`) and the portal's sector pages sum a sector's
data codes (``{"ict": ["C26", "J"]}``) with :func:`sector_sums`; the relational stage
applies the same rule to levels and duplicate keys in SQL
(:func:`innesto.engines.relational.aggregate`).

The rule for missing rows
-------------------------
For each region, period and sector, the **components** are the sector's codes. A component
is *missing* when its row is absent from the panel or present with a null value, in a
(region, period) where at least one other component has a row. A sum with a missing
component is **null** (``missing="propagate"``, the default: a sum of the parts that
happen to be known is not the sector), or, with ``missing="partial"``, the sum of the known
components flagged ``partial``. A (region, period) where no component has a row has no sum
at all. Every missing component and every sum it affected is counted in the
:class:`SectorSums` returned, for the caller to show.

Examples
--------
>>> from innesto.panel import Panel
>>> p = Panel.from_records([("ITC1", "C26", 2020, 10.0), ("ITC1", "J", 2020, 30.0),
...                         ("ITC1", "C26", 2021, 11.0),          # J absent in 2021
...                         ("IT", "C26", 2020, 100.0), ("IT", "J", 2020, None)])
>>> s = sector_sums(p, {"ict": ["C26", "J"]})
>>> s.panel.to_pandas().fillna(-1).values.tolist()
[['IT', 'ict', '2020', -1.0], ['ITC1', 'ict', '2020', 40.0], ['ITC1', 'ict', '2021', -1.0]]
>>> s.absent, s.null, s.incomplete
(1, 1, 2)
>>> sector_sums(p, {"ict": ["C26", "J"]}, missing="partial").panel.to_pandas()["value"].tolist()
[100.0, 40.0, 11.0]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from innesto.errors import ClassificationError
from innesto.i18n import msg
from innesto.panel import Panel

MissingRule = Literal["propagate", "partial"]
_KEYS = ["region", "time"]


@dataclass
class SectorSums:
    """The sums (``panel``: one row per region, sector and period) and what was missing:
    ``absent`` component rows, ``null`` component values, ``incomplete`` sums (null, or
    flagged ``partial``), and a few ``examples`` (``"ITC1 2021 ict: J absent"``)."""

    panel: Panel
    absent: int = 0
    null: int = 0
    incomplete: int = 0
    examples: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        """``{"absent": ..., "null": ..., "incomplete": ...}`` for a report or a page."""
        return {"absent": self.absent, "null": self.null, "incomplete": self.incomplete}


def sector_sums(panel: Panel, sectors: Mapping[str, Sequence[str]], *,
                missing: MissingRule = "propagate") -> SectorSums:
    """Sum ``panel``'s codes into ``sectors`` (name -> codes) by the rule of the module docs.

    Codes are matched exactly as the panel writes them (sum a classification's levels with
    :func:`innesto.classifications.aggregate.aggregate`). The sums keep the panel's
    metadata; a ``partial`` sum carries the flag ``partial``.
    """
    if missing not in ("propagate", "partial"):
        raise ClassificationError(msg("missing must be 'propagate' or 'partial', not %(missing)s",
                                  missing=repr(missing)))
    df = panel.to_pandas()
    out = SectorSums(panel=panel)
    parts = [_one(df, name, list(dict.fromkeys(codes)), missing, out)
             for name, codes in sectors.items()]
    summed = pd.concat(parts, ignore_index=True) if parts else \
        pd.DataFrame(columns=["region", "industry", "time", "value", "flag"])
    summed = summed.sort_values(["region", "industry", "time"], ignore_index=True)
    if not summed["flag"].notna().any():
        summed = summed.drop(columns=["flag"])
    out.panel = Panel.from_pandas(summed, meta=panel.meta)
    return out


def _one(df: pd.DataFrame, name: str, codes: list[str], missing: MissingRule,
         out: SectorSums) -> pd.DataFrame:
    if not codes:
        raise ClassificationError(msg("sector %(name)s has no codes", name=repr(name)))
    sub = df.loc[df["industry"].isin(codes), [*_KEYS, "industry", "value"]]
    cells = sub[_KEYS].drop_duplicates()
    grid = cells.merge(pd.DataFrame({"industry": codes}), how="cross")
    full = grid.merge(sub, on=[*_KEYS, "industry"], how="left", indicator=True)
    full["_absent"] = full["_merge"] == "left_only"
    full["_null"] = (full["_merge"] == "both") & full["value"].isna()
    g = full.groupby(_KEYS, sort=True)
    res = g.agg(value=("value", "sum"), _absent=("_absent", "sum"),
                _null=("_null", "sum")).reset_index()
    bad = (res["_absent"] + res["_null"]) > 0
    out.absent += int(res["_absent"].sum())
    out.null += int(res["_null"].sum())
    out.incomplete += int(bad.sum())
    for _, row in full[full["_absent"] | full["_null"]].head(5 - len(out.examples)).iterrows():
        how = "absent" if row["_absent"] else "null"
        out.examples.append(f"{row['region']} {row['time']} {name}: {row['industry']} {how}")
    res["flag"] = None
    if missing == "propagate":
        res.loc[bad, "value"] = float("nan")
    else:
        res.loc[bad, "flag"] = "partial"
    res["industry"] = name
    return res[["region", "industry", "time", "value", "flag"]]
