"""ECI/PCI: the Stata ecomplexity ground truth, the peer libraries, and Hidalgo & Hausmann's
correlation with income."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from innesto.errors import MeasureError
from innesto.measures.complexity import complexity, complexity_matrix, presence
from innesto.panel import Panel
from tests.conftest import require_shared
from tests.measures._stata import stata_trade, stata_truth


def _stata() -> tuple[Panel, pd.DataFrame]:
    return stata_trade()[1], stata_truth()


def _world(name: str = "world_trade_avg_1998_to_2000.csv") -> Panel:
    path = require_shared("world-trade", name)
    df = pd.read_csv(path, dtype={"product": str, "product_code": str})
    df = df.rename(columns={"reporter_iso": "country", "product_code": "product",
                            "export_value_usd": "value"})
    return Panel.from_pandas(df, region="country", industry="product", time=None)


def _join(out: pd.DataFrame, truth: pd.DataFrame, kind: str, key: str) -> pd.DataFrame:
    t = truth[truth.kind == kind].rename(columns={"code": key, "year": "time"})
    return out.merge(t, on=[key, "time"], how="inner", validate="one_to_one")


def test_ecomplexity_mode_matches_stata_ground_truth() -> None:
    """Reference implementation: Stata `ecomplexity` output on its own test sample (10
    countries x 30 HS92 products x 1995-1996). Diversity and ubiquity exactly, ECI/PCI
    within 1e-6 (we get ~1e-14)."""
    panel, truth = _stata()
    c = complexity(panel, method="ecomplexity")
    r = _join(c.regions, truth, "eci", "region")
    p = _join(c.industries, truth, "pci", "industry")
    assert len(r) == 20 and len(p) == 60
    assert (r["diversity"] == r["diversity_or_ubiquity"]).all()
    assert (p["ubiquity"] == p["diversity_or_ubiquity"]).all()
    assert np.abs(r["eci"] - r["value"]).max() < 1e-6
    assert np.abs(p["pci"] - p["value"]).max() < 1e-6


def test_plain_eigenvector_differs_from_stata_only_by_standardisation() -> None:
    """Identity: "eigen" z-scores with the population sd over regions; Stata uses the sample
    sd over the region x product long table. Undoing that factor recovers Stata; the raw
    ECI gap is the documented 0.0036. PCI: Stata standardises it with the ECI's moments,
    so the eigen PCI is an exact affine map of Stata's per year, up to 1.49 apart (the
    numbers docs/measures/complexity.md quotes)."""
    panel, truth = _stata()
    c = complexity(panel, method="eigen")
    r = _join(c.regions, truth, "eci", "region")
    gap = np.abs(r["eci"] - r["value"]).max()
    assert gap == pytest.approx(0.0036, abs=5e-5)
    n_c, n_p = 10, 30
    factor = np.sqrt((n_c * n_p - 1) / (n_c * n_p))  # s_stata / sd_population
    assert np.abs(r["eci"] * factor - r["value"]).max() < 1e-9
    p = _join(c.industries, truth, "pci", "industry")
    assert np.abs(p["pci"] - p["value"]).max() == pytest.approx(1.49, abs=5e-3)
    for _, year in p.groupby("time"):
        a, b = np.polyfit(year["pci"], year["value"], 1)
        assert np.abs(a * year["pci"] + b - year["value"]).max() < 1e-12


def test_eci_correlates_with_income_as_in_hidalgo_hausmann_2009() -> None:
    """Published finding (Hidalgo & Hausmann 2009, Fig. 3): ECI on 1998-2000 SITC exports
    correlates positively and strongly with log GDP per capita. As in their sample, ECI is
    computed on the countries with income data (185 of 226). We get r = 0.526 (regression
    value; 0.484 if the 41 territories without GDP, e.g. hmd, sgs, esh, stay in the matrix).
    The method of reflections gives the same r to 3 decimals."""
    panel = _world()
    gdp = pd.read_csv(require_shared("world-trade", "world_gdp_avg_1998_to_2000.csv"))
    gdp = gdp[gdp["value"] > 0]
    panel = panel.filter(region=gdp["country"].tolist())
    for method in ("eigen", "reflections"):
        regions = complexity(panel, method=method).regions  # type: ignore[arg-type]
        regions = regions.merge(gdp, left_on="region", right_on="country")
        assert len(regions) == 185
        r = np.corrcoef(regions["eci"], np.log(regions["value"]))[0, 1]
        assert r == pytest.approx(R_GDP, abs=0.002)
        assert r > 0.5


R_GDP = 0.5256


def test_reflections_match_economic_complexity_peer() -> None:
    """Peer library: `economic-complexity` 0.3.0 (`complexity`, method of reflections with
    20 iterations = our kc_18 / kp_19, sample sd). Same z-scores up to its ddof=1."""
    from economic_complexity import complexity as ec_complexity
    from economic_complexity import rca as ec_rca

    panel = _world()
    ours = complexity(panel, method="reflections")
    wide = panel.to_pandas().pivot_table(index="region", columns="industry", values="value",
                                         aggfunc="sum")
    eci_peer, pci_peer = ec_complexity(ec_rca(wide), iterations=20)
    e = ours.regions.set_index("region")["eci"].reindex(eci_peer.index)
    p = ours.industries.set_index("industry")["pci"].reindex(pci_peer.index)
    z = lambda s: (s - s.mean()) / s.std(ddof=0)  # noqa: E731
    ok_e, ok_p = e.notna() & eci_peer.notna(), p.notna() & pci_peer.notna()
    assert ok_e.sum() > 200 and ok_p.sum() > 700
    assert np.abs(z(e[ok_e]) - z(eci_peer[ok_e])).max() < 1e-6
    assert np.abs(z(p[ok_p]) - z(pci_peer[ok_p])).max() < 1e-6


def test_eigen_matches_py_ecomplexity_peer() -> None:
    """Peer library: `ecomplexity` 0.5.3 (Growth Lab's Python port; dense `np.linalg.eig`,
    M = RCA >= 1, np.std). Our "eigen" mode uses the same choices for ECI, so ECI agrees to
    1e-6; its PCI is standardised with the ECI's mean/sd, ours with its own."""
    from ecomplexity import ecomplexity

    panel, _ = _stata()
    df = panel.to_pandas()[["region", "industry", "time", "value"]]
    df["value"] = df["value"].astype(float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        peer = ecomplexity(df, {"time": "time", "loc": "region", "prod": "industry",
                                "val": "value"}, verbose=False)
    peer_r = peer.groupby(["region", "time"], as_index=False)[["eci", "diversity"]].first()
    ours = complexity(panel, method="eigen").regions.merge(peer_r, on=["region", "time"])
    assert len(ours) == 20
    assert (ours["diversity_x"] == ours["diversity_y"]).all()
    assert np.abs(ours["eci_x"] - ours["eci_y"]).max() < 1e-6


def test_sparse_lanczos_path_equals_dense_path() -> None:
    """Identity: the Lanczos path (large matrices) and the dense symmetric path give the same
    eigenvector on the 1998-2000 world trade matrix (785 products > the dense cut-off)."""
    panel = _world()
    m = presence(panel.matrix().matrix)
    eci_sparse, pci_sparse = complexity_matrix(m)
    import innesto.measures.complexity as cx

    old = cx._SMALL
    cx._SMALL = 10**6
    try:
        eci_dense, pci_dense = complexity_matrix(m)
    finally:
        cx._SMALL = old
    assert np.nanmax(np.abs(eci_sparse - eci_dense)) < 1e-8
    assert np.nanmax(np.abs(pci_sparse - pci_dense)) < 1e-8


def test_per_period_and_empty_rows() -> None:
    """Identity: a two-period panel gives each period's own result; an industry nobody is
    specialised in gets NaN PCI."""
    recs = [("A", "x", 1, 5), ("A", "y", 1, 5), ("B", "x", 1, 9), ("B", "y", 1, 1),
            ("C", "z", 1, 10)]
    p1 = Panel.from_records(recs)
    p2 = Panel.from_records(recs + [(r, i, 2, v) for r, i, _, v in recs])
    one = complexity(p1).regions
    two = complexity(p2).regions
    assert two[two.time == "2"]["eci"].tolist() == pytest.approx(one["eci"].tolist())
    m = sp.csr_matrix(np.array([[1, 1, 0], [1, 0, 0], [0, 1, 0]], dtype=float))
    _, pci = complexity_matrix(m)
    assert np.isnan(pci[2])


def test_bad_input_raises_measure_error() -> None:
    """Negative activity cannot give an RCA; an unknown method is named."""
    p = Panel.from_records([("A", "x", 1, -5), ("A", "y", 1, 5), ("B", "x", 1, 9)])
    with pytest.raises(MeasureError, match="negative"):
        complexity(p)
    with pytest.raises(MeasureError, match="unknown complexity method"):
        complexity(p, method="magic")  # type: ignore[arg-type]


def test_australian_census_sa3_everyday_size() -> None:
    """Regression values on the Australian census 2021 (340 SA3 x 720 ANZSIC, employment by
    place of work): the most complex places are the inner cities (Sydney Inner City 2.98,
    Melbourne City 2.67), the least the mining and wheat-belt regions; the method of
    reflections ranks them almost identically (r = 0.988)."""
    path = require_shared("australia-census-2021-industry", "sa3_indp4.csv")
    df = pd.read_csv(path, dtype={"indp": str})
    panel = Panel.from_pandas(df, region="sa3", industry="indp", value="count", time=None)
    eig = complexity(panel).regions.set_index("region")["eci"]
    assert len(eig) == 340 and eig.notna().all()
    assert eig.idxmax() == "Sydney Inner City"
    assert eig["Sydney Inner City"] == pytest.approx(2.978, abs=0.001)
    assert eig.nlargest(2).index[1] == "Melbourne City"
    refl = complexity(panel, method="reflections").regions.set_index("region")["eci"]
    assert np.corrcoef(eig, refl.reindex(eig.index))[0, 1] > 0.98
