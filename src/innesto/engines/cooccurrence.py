r"""Relatedness from co-occurrence within units, computed relationally.

Two industries are related when the same firms are active in both; two technologies when
the same patents are classified in both. The counts come from a self-join of the distinct
(time, unit, item) rows on the unit, grouped by item pair: the engine never builds a unit x
item matrix, and the work grows with the number of pairs inside units, not with
units x items.

For items :math:`i, j` in one period, with :math:`C_{ij}` the number of units holding both,
:math:`n_i` the number of units holding :math:`i` and :math:`N` the number of units:

.. math::

    \text{proximity}_{ij} = \frac{C_{ij}}{\max(n_i, n_j)} \qquad
    \text{cosine}_{ij} = \frac{C_{ij}}{\sqrt{n_i n_j}} \qquad
    \text{jaccard}_{ij} = \frac{C_{ij}}{n_i + n_j - C_{ij}} \qquad
    \text{association}_{ij} = \frac{N \, C_{ij}}{n_i \, n_j}

Proximity is the minimum of the two conditional probabilities, as in Hidalgo et al.
(2007, eq. 1) with units in place of countries; association strength (the ratio of observed
to expected co-occurrences under independence) follows van Eck and Waltman (2009, eq. 5,
up to the constant factor); the co-classification of patents as a measure of technological
relatedness follows Breschi, Lissoni and Malerba (2003, section 3). Only pairs with
:math:`i < j` that co-occur at least once are returned.

References
----------
Hidalgo, C. A., Klinger, B., Barabási, A.-L., Hausmann, R. (2007). The product space
conditions the development of nations. Science 317(5837), 482-487.
van Eck, N. J., Waltman, L. (2009). How to normalize cooccurrence data? JASIST 60(8),
1635-1651.
Breschi, S., Lissoni, F., Malerba, F. (2003). Knowledge-relatedness in firm technological
diversification. Research Policy 32(1), 69-87.

Examples
--------
>>> import pandas as pd
>>> from innesto.engines.base import connect
>>> eng = connect()
>>> units = eng.table(pd.DataFrame({"firm": ["f1", "f1", "f1", "f2", "f2", "f3", "f3", "f4"],
...                                 "nace": ["A", "B", "C", "A", "B", "B", "C", "A"]}))
>>> df = relatedness(units, unit="firm", item="nace").to_pandas()
>>> df[["item_a", "item_b", "n_units", "proximity"]].round(4).values.tolist()
[['A', 'B', 2, 0.6667], ['A', 'C', 1, 0.3333], ['B', 'C', 2, 0.6667]]
>>> eng.close()
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from innesto.engines.relational import _column, _key


def occurrences(t: ir.Table, *, unit: str, item: str, time: str | None = None) -> ir.Table:
    """Distinct (time, unit, item) rows; rows without a unit or item are left out."""
    occ = t.select(
        time=_key(_column(t, time), period=True) if time is not None else ibis.literal(""),
        unit=_key(_column(t, unit)),
        item=_key(_column(t, item)),
    )
    return occ.filter(occ.unit.notnull() & occ.item.notnull()).distinct()


def pair_counts(t: ir.Table, *, unit: str, item: str, time: str | None = None) -> ir.Table:
    """``time, item_a, item_b, n_units``: units holding both items (``item_a < item_b``)."""
    occ = occurrences(t, unit=unit, item=item, time=time)
    a = occ.select(time=occ.time, unit=occ.unit, item_a=occ.item)
    b = occ.select(time_b=occ.time, unit_b=occ.unit, item_b=occ.item)
    pairs = a.join(b, [a.unit == b.unit_b, a.time == b.time_b, a.item_a < b.item_b])
    return pairs.group_by(["time", "item_a", "item_b"]).aggregate(n_units=pairs.count())


def relatedness(t: ir.Table, *, unit: str, item: str, time: str | None = None) -> ir.Table:
    """Pair counts with proximity, cosine, Jaccard and association strength (module doc)."""
    occ = occurrences(t, unit=unit, item=item, time=time)
    counts = pair_counts(t, unit=unit, item=item, time=time)
    per_item = occ.group_by(["time", "item"]).aggregate(n=occ.count())
    units = occ.select(occ.time, occ.unit).distinct()
    totals = units.group_by("time").aggregate(n_total=units.count())
    na = per_item.select(time_a=per_item.time, item_na=per_item.item, n_a=per_item.n)
    nb = per_item.select(time_nb=per_item.time, item_nb=per_item.item, n_b=per_item.n)
    tt = totals.select(time_t=totals.time, n_total=totals.n_total)
    j = counts.join(na, [counts.time == na.time_a, counts.item_a == na.item_na])
    j = j.join(nb, [j.time == nb.time_nb, j.item_b == nb.item_nb])
    j = j.join(tt, j.time == tt.time_t)
    c = j.n_units.cast("float64")
    na_f, nb_f = j.n_a.cast("float64"), j.n_b.cast("float64")
    out = j.select(
        time=j.time, item_a=j.item_a, item_b=j.item_b, n_units=j.n_units,
        n_a=j.n_a, n_b=j.n_b, n_total=j.n_total,
        proximity=c / ibis.greatest(na_f, nb_f),
        cosine=c / (na_f * nb_f).sqrt(),
        jaccard=c / (na_f + nb_f - c),
        association=c * j.n_total.cast("float64") / (na_f * nb_f),
    )
    return out.order_by(["time", "item_a", "item_b"])
