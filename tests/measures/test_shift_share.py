"""Shift-share decompositions (innesto.measures.shift_share)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from innesto.errors import MeasureError
from innesto.measures.shift_share import COMPONENTS, shift_share
from innesto.panel import Panel
from tests.measures._torino import A10, cell, torino_panel, torino_wide

# Krumme's textbook table for the imaginary region "Holukuluku", 1985-1995 (University of
# Washington, Geography 350, "Shift & Share Table with Excel Explanations"): four
# industries; national shares 10/20/40/30% and national growth 10/20/30/40% (29% overall).
KRUMME = [("I", 500, 1000, 100, 110), ("II", 100, 100, 200, 240),
          ("III", 200, 250, 400, 520), ("IV", 200, 280, 300, 420)]


def krumme_panel() -> Panel:
    rows = []
    for ind, r0, r1, n0, n1 in KRUMME:
        rows += [("region", ind, "1985", r0), ("region", ind, "1995", r1),
                 ("nation", ind, "1985", n0), ("nation", ind, "1995", n1)]
    return Panel.from_records(rows)


def test_krumme_textbook_example() -> None:
    """Published worked example: regional growth 630 = national growth effect 290 +
    composition effect -80 + differential effect 420; per industry the table gives
    composition -95, -9, +2, +22 and differential +450, -20, -10, 0."""
    ss = shift_share(krumme_panel(), focus="region", reference_region="nation", start=1985,
                     end=1995).set_index("industry")
    assert ss.loc["_all", ["total", "national", "industry_mix", "competitive"]].tolist() \
        == pytest.approx([630, 290, -80, 420])
    assert ss.loc[["I", "II", "III", "IV"], "industry_mix"].tolist() == pytest.approx(
        [-95, -9, 2, 22])
    assert ss.loc[["I", "II", "III", "IV"], "competitive"].tolist() == pytest.approx(
        [450, -20, -10, 0], abs=1e-9)
    assert ss.loc[["I", "II", "III", "IV"], "national"].tolist() == pytest.approx(
        [145, 29, 58, 58])


def test_torino_classic_2008_2017() -> None:
    """Torino (ITC11) against Italy, 2008-2017, ten NACE A10 sections, total =
    Count_Person_Employed (Eurostat nama_10r_3empers). Total change -4,200 persons (the
    issue's figure). Regression values pinned, each checked against the textbook formulas
    computed by hand from the published cells."""
    ss = shift_share(torino_panel(), focus="ITC11", reference_region="IT", start=2008, end=2017,
                     total_industry="TOTAL", industries=A10).set_index("industry")
    overall = ss.loc["TOTAL"]
    assert overall["total"] == -4200.0
    assert overall["national"] == pytest.approx(-8794.119015603497, rel=1e-12)
    assert overall["industry_mix"] == pytest.approx(573.7387069484412, rel=1e-12)
    assert overall["competitive"] == pytest.approx(4020.380308655055, rel=1e-12)
    wide = torino_wide()
    growth = cell(wide, "IT", 2017, "TOTAL") / cell(wide, "IT", 2008, "TOTAL") - 1
    for code in A10:
        e0, e1 = cell(wide, "ITC11", 2008, code), cell(wide, "ITC11", 2017, code)
        big_r = cell(wide, "IT", 2017, code) / cell(wide, "IT", 2008, code) - 1
        row = ss.loc[code]
        assert row["national"] == pytest.approx(e0 * growth, rel=1e-12)
        assert row["industry_mix"] == pytest.approx(e0 * (big_r - growth), rel=1e-12)
        assert row["competitive"] == pytest.approx(e0 * ((e1 / e0 - 1) - big_r), rel=1e-9,
                                                   abs=1e-6)


def test_torino_esteban_marquillas_and_dynamic() -> None:
    """Same data; Esteban-Marquillas and dynamic overall components pinned (regression
    values); the homothetic split checked by hand for J (Information and communication)."""
    p = torino_panel()
    em = shift_share(p, focus="ITC11", reference_region="IT", start=2008, end=2017,
                     method="esteban-marquillas", total_industry="TOTAL",
                     industries=A10).set_index("industry")
    assert em.loc["TOTAL", ["total", "competitive", "allocation"]].tolist() == pytest.approx(
        [-4200.0, -1227.637923601832, 5248.018232256891], rel=1e-12)
    wide = torino_wide()
    e0, e1 = cell(wide, "ITC11", 2008, "J"), cell(wide, "ITC11", 2017, "J")
    big0, big1 = cell(wide, "IT", 2008, "J"), cell(wide, "IT", 2017, "J")
    homothetic = cell(wide, "ITC11", 2008, "TOTAL") * big0 / cell(wide, "IT", 2008, "TOTAL")
    diff = (e1 / e0 - 1) - (big1 / big0 - 1)
    assert em.loc["J", "competitive"] == pytest.approx(homothetic * diff, rel=1e-12)
    assert em.loc["J", "allocation"] == pytest.approx((e0 - homothetic) * diff, rel=1e-9)
    dyn = shift_share(p, focus="ITC11", reference_region="IT", start=2008, end=2017,
                      method="dynamic", total_industry="TOTAL", industries=A10)
    overall = dyn.set_index("industry").loc["TOTAL"]
    assert overall[["total", "national", "industry_mix", "competitive"]].tolist() == \
        pytest.approx([-4200.0, -9001.06564229101, -664.4893757603768, 5465.555018051396],
                      rel=1e-12)


def test_dynamic_sums_the_annual_classic_decompositions() -> None:
    """Barff and Knight (1988): the dynamic components are the sums of the year-by-year
    classic ones (identity, computed here one year at a time)."""
    p = torino_panel()
    opts = dict(focus="ITC11", reference_region="IT", total_industry="TOTAL", industries=A10)
    dyn = shift_share(p, start=2010, end=2013, method="dynamic", **opts)
    years = [shift_share(p, start=y, end=y + 1, **opts) for y in (2010, 2011, 2012)]
    cols = ["total", "national", "industry_mix", "competitive"]
    summed = sum(y[cols].to_numpy() for y in years)
    np.testing.assert_allclose(dyn[cols].to_numpy(), summed, rtol=1e-12, atol=1e-9)


@st.composite
def random_panel(draw: st.DrawFn) -> tuple[Panel, int, int]:
    n_ind = draw(st.integers(1, 6))
    n_t = draw(st.integers(2, 5))
    value = st.floats(1.0, 1e6, allow_nan=False, allow_infinity=False)
    rows = []
    for region in ("focus", "ref"):
        for i in range(n_ind):
            for t in range(n_t):
                v = draw(value)
                # the focus region may have zeros; the reference is a superset, never 0
                if region == "focus" and draw(st.booleans()) and draw(st.booleans()):
                    v = 0.0
                rows.append((region, f"i{i}", str(2000 + t), v))
    return Panel.from_records(rows), n_ind, n_t


def largest(ss: pd.DataFrame, cols: list[str]) -> np.ndarray:
    """Per row, the largest magnitude among the terms: the scale of rounding errors."""
    return np.maximum(ss[cols].abs().max(axis=1).to_numpy(), 1.0)


@settings(max_examples=100, deadline=None)
@given(random_panel(), st.sampled_from(sorted(COMPONENTS)))
def test_components_add_up_exactly(drawn: tuple[Panel, int, int], method: str) -> None:
    """Identity, on random panels: per industry and overall, the components add up to the
    total change to 1e-9 of the largest term, and the overall total is e(end) - e(start)."""
    panel, n_ind, n_t = drawn
    df = panel.to_pandas()
    focus = df[df["region"] == "focus"]
    if method == "esteban-marquillas":
        pivot = focus.pivot(index="industry", columns="time", values="value")
        if ((pivot.iloc[:, 0] == 0) & (pivot.iloc[:, -1] != 0)).any():
            with pytest.raises(MeasureError, match="Esteban-Marquillas"):
                shift_share(panel, focus="focus", reference_region="ref", start="2000",
                            end=str(2000 + n_t - 1), method=method)
            return
    ss = shift_share(panel, focus="focus", reference_region="ref", start="2000",
                     end=str(2000 + n_t - 1), method=method)  # type: ignore[arg-type]
    cols = list(COMPONENTS[method])
    parts = ss[cols].sum(axis=1).to_numpy()
    scale = largest(ss, [*cols, "total", "value_start", "value_end"])
    assert np.all(np.abs(parts - ss["total"].to_numpy()) <= 1e-9 * scale)
    end = focus[focus["time"] == str(2000 + n_t - 1)]["value"].sum()
    start = focus[focus["time"] == "2000"]["value"].sum()
    assert ss.iloc[-1]["total"] == pytest.approx(end - start, rel=1e-9, abs=1e-6)
    assert len(ss) == n_ind + 1


@settings(max_examples=50, deadline=None)
@given(random_panel())
def test_esteban_marquillas_splits_the_classic_competitive_effect(
        drawn: tuple[Panel, int, int]) -> None:
    """Identity: EM's competitive + allocation = the classic competitive effect, and the
    national and industry-mix effects are the classic ones."""
    panel, _, n_t = drawn
    end = str(2000 + n_t - 1)
    try:
        em = shift_share(panel, focus="focus", reference_region="ref", start="2000", end=end,
                         method="esteban-marquillas")
    except MeasureError:
        return  # an industry appearing from 0: covered above
    classic = shift_share(panel, focus="focus", reference_region="ref", start="2000", end=end)
    pd.testing.assert_series_equal(em["national"], classic["national"])
    pd.testing.assert_series_equal(em["industry_mix"], classic["industry_mix"])
    gap = (em["competitive"] + em["allocation"] - classic["competitive"]).abs().to_numpy()
    assert np.all(gap <= 1e-9 * largest(em, ["competitive", "allocation", "total"]))


def test_overlapping_aggregates_are_refused() -> None:
    """Eurostat's table holds B-E and C, G-J and J: summing them double counts, so without
    a partition the total does not match and the error says what to pass."""
    with pytest.raises(MeasureError, match="overlap or leave a gap.*industries="):
        shift_share(torino_panel(), focus="ITC11", reference_region="IT", start=2008, end=2017,
                    total_industry="TOTAL")


@pytest.mark.parametrize(("kwargs", "message"), [
    (dict(focus="XX"), "focus region 'XX' not in the panel"),
    (dict(reference_region="YY"), "reference region 'YY' not in the panel"),
    (dict(start="1995", end="1985"), "must come before"),
    (dict(end="2001"), "period '2001' not in the panel"),
    (dict(method="dunn"), "method must be one of"),
    (dict(industries=["I", "V"]), "industry 'V' not in the panel"),
])
def test_bad_arguments(kwargs: dict[str, str], message: str) -> None:
    args = dict(focus="region", reference_region="nation", start="1985", end="1995")
    args.update(kwargs)
    with pytest.raises(MeasureError, match=message):
        shift_share(krumme_panel(), **args)  # type: ignore[arg-type]


def test_missing_value_is_an_error_not_a_zero() -> None:
    df = krumme_panel().to_pandas()
    df.loc[(df["region"] == "region") & (df["industry"] == "II") & (df["time"] == "1995"),
           "value"] = None
    with pytest.raises(MeasureError, match="missing value.*'II'.*'1995'"):
        shift_share(Panel.from_pandas(df), focus="region", reference_region="nation", start=1985,
                    end=1995)


def test_a_period_without_rows_is_missing_not_zero() -> None:
    """Torino's province rows start in 2000: 1995 is missing data, not zero employment."""
    with pytest.raises(MeasureError, match="region 'ITC11' has no rows in period.*1995"):
        shift_share(torino_panel(), focus="ITC11", reference_region="IT", start=1995, end=2017,
                    total_industry="TOTAL", industries=A10)


def test_reference_without_the_industry_is_an_error() -> None:
    p = Panel.from_records([("a", "x", "1", 1), ("a", "x", "2", 2), ("b", "x", "1", 0),
                            ("b", "x", "2", 3), ("b", "y", "1", 5), ("b", "y", "2", 5)])
    with pytest.raises(MeasureError, match="reference region has 0 in industry x"):
        shift_share(p, focus="a", reference_region="b", start=1, end=2)
