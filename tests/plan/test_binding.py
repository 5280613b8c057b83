"""Bindings: indicators computed from a panel by the evidence engine's measures."""

from __future__ import annotations

from datetime import date

import pytest

from innesto.errors import InnestoError, PlanError
from innesto.panel import Panel
from innesto.plan.binding import load_dataset, refresh, resolve, values, values_by_region
from innesto.plan.examples import tiny_planset
from innesto.plan.i18n import Text
from innesto.plan.model import Binding, Sector

ROWS = [
    # region, industry, time, value
    ("R", "J", 2006, 40), ("R", "C26", 2006, 10), ("R", "TOTAL", 2006, 1000),
    ("R", "J", 2010, 60), ("R", "C26", 2010, 15), ("R", "TOTAL", 2010, 1000),
    ("N", "J", 2006, 400), ("N", "C26", 2006, 100), ("N", "TOTAL", 2006, 20000),
    ("N", "J", 2010, 440), ("N", "C26", 2010, 110), ("N", "TOTAL", 2010, 22000),
]
SECTORS = {"ict": Sector(id="ict", name=Text(it="ICT", en="ICT"), data_codes=["J", "C26"])}


@pytest.fixture
def panel() -> Panel:
    return Panel.from_records(ROWS)


def test_employment_and_share_sum_the_sectors_codes(panel: Panel) -> None:
    """Hand-computed: ICT = J + C26 = 50 then 75 persons; share 5% then 7.5%."""
    assert values(Binding(measure="employment", region="R", sector="ict"), panel, SECTORS) == {
        "2006": 50.0, "2010": 75.0}
    share = values(Binding(measure="share", region="R", sector="ict", total_industry="TOTAL"),
                   panel, SECTORS)
    assert share == {"2006": 5.0, "2010": 7.5}


def test_location_quotient_against_a_reference_region(panel: Panel) -> None:
    """Hand-computed: (50/1000)/(500/20000) = 2.0; (75/1000)/(550/22000) = 3.0."""
    lq = values(Binding(measure="lq", region="R", sector="ict", reference_region="N",
                        total_industry="TOTAL"), panel, SECTORS)
    assert lq == pytest.approx({"2006": 2.0, "2010": 3.0})


def test_shift_share_competitive_index(panel: Panel) -> None:
    """Hand-computed: region grows 50 -> 75 (+50%), nation's sector 500 -> 550 (+10%):
    competitive = 50 * (0.5 - 0.1) = 20; index 100 * (1 + 20/50) = 140."""
    b = Binding(measure="shift_share", region="R", sector="ict", reference_region="N",
                start="2006", component="competitive")
    assert values(b, panel, SECTORS) == pytest.approx({"2010": 140.0})
    b = b.model_copy(update={"component": "industry_mix"})
    assert values(b, panel, SECTORS) == pytest.approx({"2010": 0.0})  # one industry: no mix


def test_a_missing_part_leaves_the_sector_missing(panel: Panel) -> None:
    rows = [r if r[:3] != ("R", "C26", 2010) else ("R", "C26", 2010, None) for r in ROWS]
    got = values(Binding(measure="employment", region="R", sector="ict"),
                 Panel.from_records(rows), SECTORS)
    assert got == {"2006": 50.0}


def test_bad_bindings_raise_plan_errors(panel: Panel) -> None:
    with pytest.raises(PlanError, match="not in the panel"):
        values(Binding(measure="employment", region="R", industry="K"), panel)
    with pytest.raises(PlanError, match="needs reference_region"):
        values(Binding(measure="lq", region="R", industry="J", total_industry="TOTAL"), panel)
    with pytest.raises(PlanError, match="name an industry or a sector"):
        values(Binding(measure="employment", region="R", sector="nope"), panel, SECTORS)
    with pytest.raises(PlanError, match="region 'Q' not in the panel"):
        values(Binding(measure="employment", region="Q", industry="J"), panel)


def test_resolve_gives_observations_and_refresh_adds_a_vintage(panel: Panel) -> None:
    obs = resolve(Binding(measure="employment", region="R", industry="J"), panel,
                  published=date(2020, 1, 1))
    assert [(o.period, o.value, o.published) for o in obs] == [
        ("2006", 40.0, date(2020, 1, 1)), ("2010", 60.0, date(2020, 1, 1))]
    ps = tiny_planset()
    plan = ps.edition(2006)
    ind = plan.indicator("share").model_copy(update={"binding": Binding(
        measure="share", region="R", industry="J", total_industry="TOTAL")})
    ps = ps.model_copy(update={"editions": [plan.model_copy(update={"indicators": [ind]})]})
    new, added = refresh(ps, panel, published=date(2024, 1, 1))
    assert added == {"2006/share": 2}
    again, added = refresh(new, panel, published=date(2025, 1, 1))
    assert added == {"2006/share": 0}
    obs = again.edition(2006).indicator("share").observations
    assert len(obs) == 5 and obs[-1].published == date(2024, 1, 1)


def test_missing_dataset_is_reported() -> None:
    with pytest.raises(PlanError, match="not available"):
        resolve(Binding(measure="employment", region="R", industry="J", dataset="nope"),
                published=date(2020, 1, 1))


def _one_by_one(b: Binding, panel: Panel, regions: list[str],
                sectors: dict[str, Sector] | None = None) -> dict[str, dict[str, float]]:
    """What a caller got before values_by_region: values() per region, {} on an error."""
    out = {}
    for r in regions:
        try:
            out[r] = values(b.model_copy(update={"region": r}), panel, sectors)
        except InnestoError:
            out[r] = {}
    return out


@pytest.mark.parametrize("binding", [
    Binding(measure="employment", region="ITC11", sector="ict"),
    Binding(measure="share", region="ITC11", sector="ict", total_industry="TOTAL"),
    Binding(measure="lq", region="ITC11", industry="J", reference_region="IT",
            total_industry="TOTAL"),
    Binding(measure="shift_share", region="ITC11", industry="J", reference_region="IT",
            start="2010", component="competitive"),
], ids=lambda b: b.measure)
def test_values_by_region_are_values_one_region_at_a_time(binding: Binding) -> None:
    """The compare page's ranking (every province at once) gives exactly the numbers of one
    values() call per region, on the shipped Italian table, a region it lacks included."""
    italy = load_dataset("employment_italy")
    sectors = {"ict": SECTORS["ict"].model_copy(update={"data_codes": ["J", "C"]})}
    # Piedmont's provinces, Piedmont, the North-West and Italy (one call each is slow)
    regions = [r for r in italy.regions if r.startswith("ITC1")] + ["ITC", "IT", "XX999"]
    panel = italy.filter(time=["2010", "2015", "2017"]) if binding.measure == "shift_share" \
        else italy
    got = values_by_region(binding, panel, regions, sectors)
    assert got == _one_by_one(binding, panel, regions, sectors)
    assert sum(bool(v) for v in got.values()) > 8 and got["XX999"] == {}


def test_values_by_region_where_one_call_would_raise(panel: Panel) -> None:
    """A region without one of the sector's codes, a missing part, a region or a reference
    the panel lacks: the same empty answers as one values() call per region."""
    rows = [*ROWS, ("S", "J", 2006, 5), ("S", "TOTAL", 2006, 50),
            ("T", "J", 2006, 7), ("T", "C26", 2006, None), ("T", "TOTAL", 2006, 70)]
    p = Panel.from_records(rows)
    for b in (Binding(measure="employment", region="R", sector="ict"),
              Binding(measure="share", region="R", sector="ict", total_industry="TOTAL"),
              Binding(measure="lq", region="R", sector="ict", reference_region="N",
                      total_industry="TOTAL"),
              Binding(measure="lq", region="R", sector="ict", reference_region="Q",
                      total_industry="TOTAL"),
              Binding(measure="shift_share", region="R", sector="ict", reference_region="N",
                      start="2006")):
        regions = ["R", "S", "T", "N", "Q", "R"]
        got = values_by_region(b, p, regions, SECTORS)
        assert got == _one_by_one(b, p, regions, SECTORS), b
    assert values_by_region(Binding(measure="employment", region="R", industry="K"), p,
                            ["R", "S"]) == {"R": {}, "S": {}}
    with pytest.raises(PlanError, match="needs reference_region"):
        values_by_region(Binding(measure="lq", region="R", industry="J",
                                 total_industry="TOTAL"), p, ["R"])
