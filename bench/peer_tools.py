"""One peer, whole process: read the Parquet panel, compute, write the outputs (no innesto).

Run by ``bench/peers.py`` with each peer's own interpreter (its own virtual environment,
as ``pip install`` gives it), so this file imports only pandas, NumPy and the peer::

    VENV/bin/python bench/peer_tools.py TOOL DATA.parquet OUTDIR

Every tool writes the same four Parquet files as ``innesto pipeline`` (in each peer's own
conventions; ``bench/peers.py`` converts when it compares): ``regions`` (region, time,
eci), ``industries`` (industry, time, pci), ``cells`` (region, industry, time, rca,
density) and ``proximity`` (industry_a, industry_b, time, proximity).
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd


def write(out: Path, regions: pd.DataFrame, industries: pd.DataFrame, cells: pd.DataFrame,
          proximity: pd.DataFrame) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, df in (("regions", regions), ("industries", industries), ("cells", cells),
                     ("proximity", proximity)):
        df.reset_index(drop=True).to_parquet(out / f"{name}.parquet", index=False)


def _from_long(g: pd.DataFrame, prox: pd.DataFrame, out: Path) -> None:
    """A peer's long table (one row per region, industry, time) to the four files."""
    regions = g.groupby(["region", "time"], as_index=False)["eci"].first()
    industries = g.groupby(["industry", "time"], as_index=False)["pci"].first()
    write(out, regions, industries, g[["region", "industry", "time", "rca", "density"]], prox)


def ecomplexity(df: pd.DataFrame, out: Path) -> None:
    from ecomplexity import ecomplexity as run
    from ecomplexity import proximity

    cols = {"time": "time", "loc": "region", "prod": "industry", "val": "value"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        g = run(df, cols, check_logsupermodularity=False, verbose=False)
        prox = proximity(df, cols).rename(columns={"industry_1": "industry_a",
                                                   "industry_2": "industry_b"})
    _from_long(g, prox[["industry_a", "industry_b", "time", "proximity"]], out)


def economic_complexity(df: pd.DataFrame, out: Path, patched: bool = False) -> None:
    import economic_complexity as ec

    if patched:
        _writable_fill_diagonal()
    regions, industries, cells, prox = [], [], [], []
    for t, g in df.groupby("time", sort=True):
        tbl = g.pivot_table(index="region", columns="industry", values="value",
                            aggfunc="sum").fillna(0)
        rca = ec.rca(tbl)
        eci, pci = ec.complexity(rca)
        phi = ec.proximity(rca)
        dens = ec.relatedness(rca, proximities=phi)
        regions.append(pd.DataFrame({"region": eci.index.to_numpy(), "time": t,
                                     "eci": eci.to_numpy()}))
        industries.append(pd.DataFrame({"industry": pci.index.to_numpy(), "time": t,
                                        "pci": pci.to_numpy()}))
        axes = {"index": "region", "columns": "industry"}
        long = rca.rename_axis(**axes).stack().rename("rca").to_frame().join(
            dens.rename_axis(**axes).stack().rename("density")).reset_index()
        long["time"] = t
        cells.append(long)
        p = phi.rename_axis(index="industry_a", columns="industry_b").stack()
        p = p.rename("proximity").reset_index()
        p["time"] = t
        prox.append(p[p.proximity != 0])
    write(out, pd.concat(regions), pd.concat(industries), pd.concat(cells), pd.concat(prox))


def _writable_fill_diagonal() -> None:
    """The local patch that lets economic-complexity 0.3.0 run on pandas 3.

    Its ``proximity`` calls ``np.fill_diagonal(phi.values, 0)``; under pandas 3's
    copy-on-write ``.values`` is a read-only view, so the call raises. The shim marks the
    view writable (its buffer belongs to the DataFrame alone) and then fills, as on pandas 2.
    """
    import types

    import economic_complexity.product_space as ps

    def fill_diagonal(a: np.ndarray, val: float, wrap: bool = False) -> None:
        if not a.flags.writeable:
            a.flags.writeable = True
        np.fill_diagonal(a, val, wrap=wrap)

    shim = types.SimpleNamespace(**{k: getattr(np, k) for k in dir(np) if not k.startswith("__")})
    shim.fill_diagonal = fill_diagonal
    ps.np = shim


def econcomplex(df: pd.DataFrame, out: Path) -> None:
    import econcomplex as ec

    cols = {"loc": "region", "act": "industry", "val": "value", "time": "time"}
    g = ec.compute_complexity(df, cols, method="eigenvector", compute_coi_cog=False)
    prox = _econcomplex_proximity(ec, df, cols)
    _from_long(g, prox, out)


def _econcomplex_proximity(ec: Any, df: pd.DataFrame, cols: dict[str, str]) -> pd.DataFrame:
    """econcomplex's product proximity (``proximity(..., compute="product")``) per period."""
    out = []
    for t, g in df.groupby("time", sort=True):
        mat = g.pivot_table(index="region", columns="industry", values="value",
                            aggfunc="sum").fillna(0)
        phi = pd.DataFrame(np.asarray(ec.proximity(mat, compute="product")["product"]),
                           index=mat.columns, columns=mat.columns)
        p = phi.rename_axis(index="industry_a", columns="industry_b").stack()
        p = p.rename("proximity").reset_index()
        p["time"] = t
        out.append(p[p.proximity != 0])
    return pd.concat(out)


TOOLS = {"ecomplexity": ecomplexity, "economic-complexity": economic_complexity,
         "economic-complexity-patched": lambda df, out: economic_complexity(df, out, True),
         "econcomplex": econcomplex}


def main() -> None:
    tool, data, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    df = pd.read_parquet(data)
    df["time"] = df["time"].astype(str)
    TOOLS[tool](df, out)


if __name__ == "__main__":
    main()
