"""The Growth Lab's ``ecomplexity`` test sample (10 countries x 30 HS92 products x
1995-1996), its Stata ground truth, and the Python port's output on it, for tests."""

from __future__ import annotations

import warnings

import pandas as pd

from innesto.panel import Panel
from tests.conftest import require_shared

STATA = "ecomplexity-stata-ground-truth"


def stata_trade() -> tuple[pd.DataFrame, Panel]:
    """``trade_data_sample.csv`` as read (codes and years as text) and as a Panel
    (origin x hs92 x year, values export_val)."""
    raw = pd.read_csv(require_shared(STATA, "trade_data_sample.csv"),
                      dtype={"hs92": str, "year": str})
    panel = Panel.from_pandas(raw, region="origin", industry="hs92", time="year",
                              value="export_val")
    return raw, panel


def stata_truth() -> pd.DataFrame:
    """Stata ``ecomplexity``'s ECI/PCI on the sample: ``kind, code, year, value, ...``."""
    return pd.read_csv(require_shared(STATA, "stata_ground_truth_eci_pci_compact.csv"),
                       dtype={"code": str, "year": str})


def py_ecomplexity(raw: pd.DataFrame) -> pd.DataFrame:
    """The ``ecomplexity`` Python port on ``raw``, keyed ``region, industry, time`` (text)."""
    from ecomplexity import ecomplexity

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        peer = ecomplexity(raw, {"time": "year", "loc": "origin", "prod": "hs92",
                                 "val": "export_val"}, verbose=False)
    peer = peer.rename(columns={"origin": "region", "hs92": "industry", "year": "time"})
    peer["time"] = peer["time"].astype(str)
    return peer
