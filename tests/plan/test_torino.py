"""The Torino example plan: the seed's axis exactly, sourced figures, values from Eurostat."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from innesto.panel import Panel, PanelMeta
from innesto.plan import compute_all, compute_status, load_plan
from innesto.plan.binding import resolve
from tests.conftest import ROOT, require_shared

TORINO = ROOT / "examples" / "torino"

SEED_OBJECTIVES = [
    "Pursue a strategy of internationalization of local production",
    "Adopt the prospect of collaboration, among businesses and with external subjects",
    "Promote managerial training",
    "Encourage processes of innovation in businesses",
    "Rethink the role of public support of the ICT sector",
    "Consolidate an open source community to help develop local enterprise",
    "Encourage industrial progress in the ICT sector",
    "Promote a common project for a technological district in the aerospace sector",
    "Analyze the local finance system and potential interactions between the public sector "
    "and private operators",
]
SEED_PROJECTS = ["Reconversion of Mirafiori", "ICT platforms",
                 "Encourage the internationalization of businesses", "Aerospace district"]
AEROSPACE = ["alenia-aeronautica", "alenia-spazio", "avio", "galileo-avionica", "microtecnica"]


@pytest.fixture(scope="module")
def torino():  # type: ignore[no-untyped-def]
    return load_plan(TORINO)


def test_three_editions_with_lineage(torino) -> None:  # type: ignore[no-untyped-def]
    assert [p.edition for p in torino.editions] == [2000, 2006, 2015]
    second = torino.edition(2006)
    assert second.previous == 2000
    lineage = second.node("industrial-transformation").lineage[0]
    assert (lineage.relation, lineage.edition, lineage.node) == ("continues", 2000,
                                                                "enterprise-employment")
    relations = {lk.relation for r in torino.edition(2015).iter_nodes() for lk in r.node.lineage}
    assert relations == {"continues", "merges"}


def test_industrial_axis_is_the_seeds(torino) -> None:  # type: ignore[no-untyped-def]
    axis = torino.edition(2006).node("industrial-transformation")
    assert axis.title.en == "Industrial transformation"
    assert axis.sectors == ["automotive", "ict", "aerospace", "finance"]
    assert [c.title.en for c in axis.children] == SEED_OBJECTIVES
    assert all(c.title.it for c in axis.children)
    projects = [g for c in axis.children for g in c.children]
    assert sorted(p.title.en for p in projects) == sorted(SEED_PROJECTS)
    district = torino.edition(2006).node("aerospace-district")
    assert [r.actor for r in district.actors][:5] == AEROSPACE
    assert all(name in district.description.en for name in (
        "Alenia Aeronautica", "Alenia Spazio", "Avio", "Galileo Avionica", "Microtecnica"))
    platforms = torino.edition(2006).node("ict-platforms").description.en
    assert all(w in platforms for w in ("logistics", "info-mobility", "health"))
    assert torino.edition(2006).node("mirafiori-reconversion").budget[0].planned == 67e6


def test_unsourced_figures_are_marked_illustrative(torino) -> None:  # type: ignore[no-untyped-def]
    """The plans published no targets (torino-facts §1.5): every target not from a source
    (only Torino Wireless's 2001 target is) is illustrative, as are undocumented budgets and
    milestones (which carry no source)."""
    for plan in torino.editions:
        for ind in plan.indicators:
            if ind.target is not None and ind.id != "ict-gdp-share":
                assert ind.illustrative, ind.id
        for ref in plan.iter_nodes():
            for item in [*ref.node.budget, *ref.node.milestones]:
                assert item.illustrative or item.source or item.confidence, (ref.node.id, item)
    assert torino.sector("ict").data_codes == ["J"] and torino.sector("automotive").proxy


def test_status_of_every_edition(torino) -> None:  # type: ignore[no-untyped-def]
    statuses = compute_all(torino)
    assert [s.edition for s in statuses] == [2000, 2006, 2015]
    st = statuses[1]
    share = st.indicators["share-ict"]
    assert share.status == "limited_progress" and share.illustrative
    assert share.explanation.en.startswith("target 8.5 by 2015, baseline 4.25 in 2006")
    assert st.nodes["local-finance"].outcome == "substantial_progress"
    assert st.nodes["managerial-training"].outcome == "not_available"
    mirafiori = st.nodes["mirafiori-reconversion"].delivery
    assert (mirafiori.status, mirafiori.milestones, mirafiori.done) == ("on_schedule", 4, 3)
    assert mirafiori.budget["EUR"].planned == 85e6
    assert compute_status(torino, edition=2000).indicators["ict-gdp-share"].provisional


def _panel(source: str) -> Panel:
    if source == "datasets":
        from innesto.datasets import employment_italy

        return employment_italy()
    path = require_shared("eurostat-employment-italy", "Eurostats_NUTS3_Empers_italy_subset.csv")
    df = pd.read_csv(path)
    df["region"] = df["GeoId"].str.replace("dcid:nuts/", "", regex=False)
    df = df.rename(columns=lambda c: c.replace("Count_Person_Employed_NACE/", "")
                   .replace("Count_Person_Employed", "TOTAL")).rename(columns={"M-N": "M_N"})
    long = df.drop(columns=["GeoId"]).melt(id_vars=["Date", "region"], var_name="industry")
    long["time"] = long["Date"].astype(str)
    return Panel.from_pandas(long[["region", "industry", "time", "value"]],
                             meta=PanelMeta("NUTS2016", "NACE_R2", "employment",
                                            "Source: Eurostat, nama_10r_3empers"))


@pytest.mark.parametrize("source", ["datasets", "shared"])
def test_shipped_values_are_the_bindings_on_eurostat(torino, source: str) -> None:  # type: ignore[no-untyped-def]
    """Identity: every value in examples/torino/values.csv is what its binding computes
    from Eurostat's table, read from innesto.datasets and, independently, from the CSV in
    shared/data (LQ and shift-share by innesto.measures)."""
    panel = _panel(source)
    sectors = {s.id: s for s in torino.sectors}
    shipped: dict[tuple[str, str, str], float] = {}
    with Path(TORINO / "values.csv").open() as fh:
        for row in csv.DictReader(fh):
            shipped[(row["edition"], row["indicator"], row["period"])] = float(row["value"])
    n = 0
    for plan in torino.editions:
        for ind in plan.indicators:
            if ind.binding is None:
                continue
            for obs in resolve(ind.binding, panel, published=pd.Timestamp("2026-11-26").date(),
                               sectors=sectors):
                assert shipped[(str(plan.edition), ind.id, obs.period)] == pytest.approx(
                    obs.value, rel=1e-12)
                n += 1
    assert n == len(shipped)
    # spot checks against the raw table: ITC11 J 2006 = 41,300 persons; LQ J 2006 = 1.7583
    assert shipped[("2006", "emp-ict", "2006")] == 41300.0
    assert round(shipped[("2006", "lq-ict", "2006")], 4) == 1.7583
