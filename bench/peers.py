"""innesto's matrix pipeline against the peer libraries and a plain NumPy/SciPy version.

The work, for every year of each data set: RCA, binary M (RCA >= 1), diversity, ubiquity,
ECI/PCI, proximity and density. Implementations:

- ``innesto``: :func:`innesto.engines.pipeline.run` (sparse RCA/M, Lanczos ECI, BLAS
  co-occurrence and density on the dense path; proximity diagonal 0, PCI standardised on
  its own, as innesto's measures);
- ``numpy``: the ~60 lines below (:func:`plain_numpy`), what a careful analyst writes by
  hand (labels factorised by hashing, dense arrays, ``eigh`` on the symmetric form);
- ``ecomplexity`` (Growth Lab, 0.5.3): ``ecomplexity()`` (its density, ECI/PCI and COI/COG);
  the proximity used for the equality check comes from its ``proximity()``, outside the timing.
  It keeps a unit proximity diagonal and scales PCI with ECI's mean and sd: the check
  compares innesto's density recomputed with a unit diagonal and its PCI standardised;
- ``economic-complexity`` (0.3.0): ``rca``, ``complexity`` (method of reflections, 20
  iterations), ``proximity``, ``relatedness`` per year on a pivoted table;
- ``econcomplex`` (1.0.1): ``compute_complexity`` with the eigenvector method, per period
  (COI/COG off, as the work timed here has none). It returns RCA and density only on the
  input's cells and density in percent; those cells are compared, density divided by 100.

Every worker gets the same number of threads (``--threads``, all cores by default): BLAS
threads for every implementation, and as many periods at once for innesto.

Each implementation runs in its own process (``--worker``) started by a small launcher
process (``--launch``), so that ``getrusage(RUSAGE_CHILDREN).ru_maxrss`` in the launcher is
the peak memory of exactly one worker. Wall time is the median of ``--repeats`` runs of the
computation inside the worker, from the long table in memory to all outputs (reading the
file is not timed). Results are compared with innesto's where the method is the same.

Usage::

    nice -n 10 python bench/peers.py            # (a) 3,000 x 1,000 x 5, (b) trade 2017, (c) census
    nice -n 10 python bench/peers.py --quick    # (a) at 600 x 300 x 3, for a quick check

The last line reads ``speedup vs fastest peer: N.Nx; vs numpy: N.Nx`` for data set (a).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("INNESTO_SHARED_DATA", ROOT.parent / "shared" / "data"))
TRADE = SHARED / "world-trade" / "world_trade_2017.csv"
CENSUS = SHARED / "australia-census-2021-industry" / "sa3_indp4.csv"
IMPLS = ("innesto", "numpy", "ecomplexity", "economic-complexity", "econcomplex")
PEERS = ("ecomplexity", "economic-complexity", "econcomplex")


# ----------------------------------------------------------------------------- data sets
def prepare(workdir: Path, quick: bool) -> dict[str, Path]:
    """Write each data set as a long Parquet table (region, industry, time, value)."""
    sys.path.insert(0, str(ROOT / "src"))
    from innesto.engines.synthetic import synthetic_panel

    shape = (600, 300, 3) if quick else (3000, 1000, 5)
    out = {}
    syn = synthetic_panel(*shape, zero_share=0.7, seed=42).to_pandas()
    out[f"(a) synthetic {shape[0]}x{shape[1]}x{shape[2]}"] = syn
    if TRADE.exists():
        t = pd.read_csv(TRADE, dtype={"product_code": str})
        out["(b) world trade 2017"] = pd.DataFrame({
            "region": t.reporter_iso, "industry": t.product_code, "time": "2017",
            "value": t.export_value_usd})
    if CENSUS.exists():
        c = pd.read_csv(CENSUS, dtype={"indp": str})
        c = c[~c.indp.isin(["&&&&", "@@@@"])]  # not stated / inadequately described
        out["(c) census SA3 2021"] = pd.DataFrame({
            "region": c.sa3, "industry": c.indp, "time": "2021", "value": c["count"]})
    paths = {}
    for i, (name, df) in enumerate(out.items()):
        path = workdir / f"data{i}.parquet"
        df.to_parquet(path, index=False)
        paths[name] = path
    return paths


# ----------------------------------------------------------------------------- plain NumPy
def plain_numpy(df: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """The whole pipeline in plain NumPy/SciPy, dense, year by year."""
    out = {}
    for t, g in df.groupby("time", sort=True):
        g = g[g.value.notna()]
        r, regions = pd.factorize(g.region, sort=True)
        c, inds = pd.factorize(g.industry, sort=True)
        regions, inds = regions.to_numpy(dtype=str), inds.to_numpy(dtype=str)
        shape = (len(regions), len(inds))
        x = np.bincount(r * shape[1] + c, weights=g.value.to_numpy(dtype=float),
                        minlength=shape[0] * shape[1]).reshape(shape)
        row, col = x.sum(1), x.sum(0)
        with np.errstate(divide="ignore", invalid="ignore"):
            rca = np.nan_to_num((x / row[:, None]) / (col / x.sum())[None, :])
        m = (rca >= 1).astype(float)
        div, ubi = m.sum(1), m.sum(0)
        ok_r, ok_p = div > 0, ubi > 0
        mv = m[np.ix_(ok_r, ok_p)]
        d, u = div[ok_r], ubi[ok_p]
        a = mv / np.sqrt(d)[:, None] / np.sqrt(u)[None, :]
        vals, vecs = np.linalg.eigh(a.T @ a)  # symmetric form of U^-1 M' D^-1 M
        kp = vecs[:, -2] / np.sqrt(u)
        kc = (mv @ kp) / d
        if np.corrcoef(d, kc)[0, 1] < 0:
            kc, kp = -kc, -kp
        eci = np.full(len(regions), np.nan)
        pci = np.full(len(inds), np.nan)
        eci[ok_r] = (kc - kc.mean()) / kc.std()
        pci[ok_p] = (kp - kp.mean()) / kp.std()
        co = m.T @ m
        with np.errstate(divide="ignore", invalid="ignore"):
            phi = np.nan_to_num(co / np.maximum(ubi[:, None], ubi[None, :]))
            np.fill_diagonal(phi, 0.0)
            density = (m @ phi) / phi.sum(0)[None, :]
        out[str(t)] = {"regions": regions, "industries": inds, "rca": rca, "diversity": div,
                       "ubiquity": ubi, "eci": eci, "pci": pci, "proximity": phi,
                       "density": density}
    return out


# ----------------------------------------------------------------------------- workers
def run_innesto(df: pd.DataFrame) -> Any:
    import pyarrow as pa

    from innesto.engines import pipeline
    from innesto.panel import Panel

    workers = int(os.environ.get("OPENBLAS_NUM_THREADS", "1"))
    return pipeline.run(Panel(pa.Table.from_pandas(df, preserve_index=False)), workers=workers)


def _innesto_arrays(res: Any) -> dict[str, dict[str, Any]]:
    """innesto's results as dense arrays, for the checks (after the timing)."""
    return {p.time: {"regions": p.regions, "industries": p.industries, "rca": p.dense("rca"),
                     "diversity": p.diversity, "ubiquity": p.ubiquity, "eci": p.eci,
                     "pci": p.pci, "proximity": p.dense("proximity"),
                     "density": p.dense("density")} for p in res.periods}


def run_ecomplexity(df: pd.DataFrame) -> Any:
    import warnings

    from ecomplexity import ecomplexity

    cols = {"time": "time", "loc": "region", "prod": "industry", "val": "value"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ecomplexity(df, cols, check_logsupermodularity=False, verbose=False)


def run_economic_complexity(df: pd.DataFrame) -> dict[str, Any]:
    import economic_complexity as ec

    _writable_fill_diagonal()

    out = {}
    for t, g in df.groupby("time", sort=True):
        tbl = g.pivot_table(index="region", columns="industry", values="value",
                            aggfunc="sum").fillna(0)
        rca = ec.rca(tbl)
        eci, pci = ec.complexity(rca)
        prox = ec.proximity(rca)
        dens = ec.relatedness(rca, proximities=prox)
        out[str(t)] = {"rca": rca, "eci": eci, "pci": pci, "proximity": prox, "density": dens}
    return out


def _writable_fill_diagonal() -> None:
    """Let economic-complexity 0.3.0 run on pandas 3.

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
    ps.np = shim  # type: ignore[assignment]


def run_econcomplex(df: pd.DataFrame) -> pd.DataFrame:
    import econcomplex as ec

    cols = {"loc": "region", "act": "industry", "val": "value", "time": "time"}
    return ec.compute_complexity(df, cols, method="eigenvector", compute_coi_cog=False)


RUNNERS = {"innesto": run_innesto, "numpy": plain_numpy, "ecomplexity": run_ecomplexity,
           "economic-complexity": run_economic_complexity, "econcomplex": run_econcomplex}


def worker(impl: str, data: Path, repeats: int, out: Path) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    df = pd.read_parquet(data)
    df["time"] = df["time"].astype(str)
    times = []
    result: Any = None
    for _ in range(repeats):
        result = None  # let the previous repeat's result go before the next one
        t0 = time.perf_counter()
        result = RUNNERS[impl](df)
        times.append(time.perf_counter() - t0)
    summary = _summarise(impl, result, df)
    np.savez_compressed(out, **summary)
    print(json.dumps({"times": times}))


def _summarise(impl: str, result: Any, df: pd.DataFrame) -> dict[str, np.ndarray]:
    """Per year, outputs on a common (sorted labels) grid, for the equality checks."""
    out: dict[str, np.ndarray] = {}
    if impl == "innesto":
        result = _innesto_arrays(result)
    if impl in ("innesto", "numpy"):
        for t, r in result.items():
            for k in ("rca", "diversity", "ubiquity", "eci", "pci", "proximity", "density"):
                out[f"{t}/{k}"] = np.asarray(r[k], dtype=float)
            out[f"{t}/regions"] = np.asarray(r["regions"], dtype=str)
            out[f"{t}/industries"] = np.asarray(r["industries"], dtype=str)
    elif impl == "ecomplexity":
        from ecomplexity import proximity

        cols = {"time": "time", "loc": "region", "prod": "industry", "val": "value"}
        prox = proximity(df, cols)
        for t, g in result.groupby("time"):
            _long_outputs(out, str(t), g.dropna(subset=["eci"]), density_scale=1.0)
            pr = prox[prox.time.astype(str) == str(t)].pivot(
                index="industry_1", columns="industry_2", values="proximity")
            out[f"{t}/proximity"] = pr.sort_index().sort_index(axis=1).to_numpy()
    elif impl == "econcomplex":
        for t, g in result.groupby("time"):
            _long_outputs(out, str(t), g, density_scale=0.01)  # it reports percent
    else:
        for t, r in result.items():
            out[f"{t}/rca"] = r["rca"].sort_index().sort_index(axis=1).to_numpy()
            out[f"{t}/regions"] = r["rca"].sort_index().index.to_numpy(dtype=str)
            out[f"{t}/industries"] = r["rca"].sort_index(axis=1).columns.to_numpy(dtype=str)
            out[f"{t}/proximity"] = r["proximity"].sort_index().sort_index(axis=1).to_numpy()
            out[f"{t}/density"] = r["density"].sort_index().sort_index(axis=1).to_numpy()
            out[f"{t}/eci"] = r["eci"].sort_index().to_numpy()
            out[f"{t}/pci"] = r["pci"].sort_index().to_numpy()
    return out


def _long_outputs(out: dict[str, np.ndarray], t: str, g: pd.DataFrame,
                  density_scale: float) -> None:
    """One year of a peer's long output table (rca, density, eci, pci, diversity,
    ubiquity per region-industry row) as arrays on sorted labels."""
    w = g.pivot_table(index="region", columns="industry", values=["rca", "density"])
    out[f"{t}/rca"] = w["rca"].to_numpy()
    out[f"{t}/density"] = w["density"].to_numpy() * density_scale
    out[f"{t}/regions"] = w.index.to_numpy(dtype=str)
    out[f"{t}/industries"] = w["rca"].columns.to_numpy(dtype=str)
    e = g.groupby("region")[["eci", "diversity"]].first().sort_index()
    p = g.groupby("industry")[["pci", "ubiquity"]].first().sort_index()
    out[f"{t}/eci"], out[f"{t}/diversity"] = e.eci.to_numpy(), e.diversity.to_numpy()
    out[f"{t}/pci"], out[f"{t}/ubiquity"] = p.pci.to_numpy(), p.ubiquity.to_numpy()


def launch(cmd: list[str]) -> None:
    """Run one worker as this process's only child; report its peak RSS (KiB) on stderr."""
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    sys.stdout.write(proc.stdout)
    print(json.dumps({"maxrss_kib": rss, "returncode": proc.returncode}))
    sys.exit(proc.returncode)


# ----------------------------------------------------------------------------- checks
def compare(ref: dict[str, np.ndarray], other: dict[str, np.ndarray], impl: str) -> str:
    """Largest absolute difference per output, where ``impl`` uses the same method."""
    diffs: dict[str, float] = {}
    years = sorted({k.split("/")[0] for k in ref})
    for t in years:
        ri, oi = _align(ref, other, t)
        for k in ("rca", "diversity", "ubiquity", "eci", "pci", "proximity", "density"):
            if f"{t}/{k}" not in other:
                continue
            if impl == "economic-complexity" and k in ("eci", "pci"):
                continue  # method of reflections (20 iterations), not the eigenvector
            a, b = ref[f"{t}/{k}"], other[f"{t}/{k}"]
            if impl == "ecomplexity" and k == "rca":
                # under pandas 3 its in-place fillna is a no-op (copy-on-write), so a
                # missing input value stays NaN in its RCA; its M and everything after
                # treat it as 0, as innesto does
                b = np.nan_to_num(b, nan=0.0)
            if k in ("rca", "density", "proximity"):
                a = a[np.ix_(*ri)] if k != "proximity" else a[np.ix_(ri[1], ri[1])]
                b = b[np.ix_(*oi)] if k != "proximity" else b[np.ix_(oi[1], oi[1])]
                if impl == "ecomplexity" and k == "proximity":
                    a = a.copy()
                    np.fill_diagonal(a, 1.0)  # the Python ecomplexity keeps C_pp/u_p = 1
                if impl == "ecomplexity" and k == "density":
                    a = _density_unit_diagonal(ref, t)[np.ix_(*ri)]
            else:
                a = a[ri[0] if k in ("eci", "diversity") else ri[1]]
                b = b[oi[0] if k in ("eci", "diversity") else oi[1]]
                if impl == "ecomplexity" and k == "pci":
                    b = (b - np.nanmean(b)) / np.nanstd(b)  # it scales PCI with ECI's mean/sd
            if impl == "economic-complexity" and k in ("rca", "proximity"):
                # an all-zero region or industry is 0/0 = NaN there and 0 here
                b = np.where(np.isnan(b) & (a == 0), 0.0, b)
            if impl == "econcomplex" and k in ("rca", "density"):
                a = np.where(np.isnan(b), np.nan, a)  # it reports the input's cells only
            if impl == "econcomplex" and k == "density":
                # where no industry is related (column sum of proximity 0) it gives 0, not NaN
                b = np.where(np.isnan(a) & (b == 0), np.nan, b)
            both = np.isfinite(a) & np.isfinite(b)
            if (np.isfinite(a) != np.isfinite(b)).any():
                diffs[k] = float("inf")
                continue
            d = float(np.max(np.abs(a[both] - b[both]))) if both.any() else 0.0
            diffs[k] = max(diffs.get(k, 0.0), d)
    worst = max(diffs.values()) if diffs else float("nan")
    verdict = "equal within 1e-6" if worst <= 1e-6 else "DIFFERENT"
    parts = ", ".join(f"{k} {v:.1e}" for k, v in diffs.items())
    return f"{verdict} ({parts})"


def _align(ref: dict[str, np.ndarray], other: dict[str, np.ndarray], t: str
           ) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Index arrays selecting the regions/industries both sides have, in the same order."""
    out_r, out_o = [], []
    for key in ("regions", "industries"):
        a, b = ref[f"{t}/{key}"], other.get(f"{t}/{key}", ref[f"{t}/{key}"])
        common = np.intersect1d(a, b)
        out_r.append(np.searchsorted(a, common))
        out_o.append(np.searchsorted(b, common))
    return (out_r[0], out_r[1]), (out_o[0], out_o[1])


def _density_unit_diagonal(ref: dict[str, np.ndarray], t: str) -> np.ndarray:
    """innesto's density recomputed with a unit proximity diagonal (the Python ecomplexity's)."""
    phi = ref[f"{t}/proximity"].copy()
    ubi = ref[f"{t}/ubiquity"]
    np.fill_diagonal(phi, np.where(ubi > 0, 1.0, 0.0))
    m = (ref[f"{t}/rca"] >= 1).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (m @ phi) / phi.sum(0)[None, :]


# ----------------------------------------------------------------------------- main
def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="(a) at 600 x 300 x 3")
    ap.add_argument("--repeats", type=int, default=3, help="repeats for innesto and numpy")
    ap.add_argument("--peer-repeats", type=int, default=1, help="repeats for the peers")
    ap.add_argument("--threads", default=str(os.cpu_count() or 1),
                    help="threads in every worker, the same for all: BLAS threads, and periods "
                         "at once for innesto (default: all cores)")
    ap.add_argument("--only", default=None, help="comma-separated data set letters, e.g. a,c")
    ap.add_argument("--impls", default=",".join(IMPLS),
                    help="comma-separated implementations (innesto first), e.g. innesto,numpy")
    ap.add_argument("--worker", nargs=4, metavar=("IMPL", "DATA", "REPEATS", "OUT"),
                    help=argparse.SUPPRESS)
    ap.add_argument("--launch", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.launch:
        launch(args.launch)
        return
    if args.worker:
        impl, data, repeats, out = args.worker
        worker(impl, Path(data), int(repeats), Path(out))
        return

    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = args.threads
    print(f"machine: {os.cpu_count()} cores, python {sys.version.split()[0]}, "
          f"threads {args.threads}, load {os.getloadavg()[0]:.1f}, "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}", flush=True)
    headline = ""
    with tempfile.TemporaryDirectory(prefix="innesto-bench-") as tmp:
        work = Path(tmp)
        datasets = prepare(work, args.quick)
        for name, data in datasets.items():
            if args.only and name[1] not in args.only.split(","):
                continue
            print(f"\n{name}", flush=True)
            rows: dict[str, tuple[float, float]] = {}
            results: dict[str, dict[str, np.ndarray]] = {}
            for impl in [i for i in IMPLS if i in args.impls.split(",")]:
                reps = args.repeats if impl in ("innesto", "numpy") else args.peer_repeats
                out = work / f"{impl}.npz"
                cmd = [sys.executable, __file__, "--launch", sys.executable, __file__,
                       "--worker", impl, str(data), str(reps), str(out)]
                proc = subprocess.run(cmd, capture_output=True, text=True)
                if proc.returncode != 0:
                    print(f"  {impl:20s} FAILED: {proc.stderr.strip().splitlines()[-1:]}")
                    continue
                lines = [json.loads(x) for x in proc.stdout.strip().splitlines()[-2:]]
                wall = statistics.median(lines[0]["times"])
                peak = lines[1]["maxrss_kib"] / 1024**2
                rows[impl] = (wall, peak)
                results[impl] = dict(np.load(out))
                check = "" if impl == "innesto" else "  " + compare(
                    results["innesto"], results[impl], impl)
                print(f"  {impl:20s} {wall:8.2f} s (median of {reps})  peak {peak:5.2f} GiB"
                      f"{check}", flush=True)
            if "innesto" not in rows:
                continue
            ours = rows["innesto"][0]
            peers = [rows[p][0] for p in PEERS if p in rows]
            fastest = min(peers) if peers else float("nan")
            vs_numpy = rows["numpy"][0] / ours if "numpy" in rows else float("nan")
            line = f"speedup vs fastest peer: {fastest / ours:.1f}x; vs numpy: {vs_numpy:.1f}x"
            print(f"  {line}")
            if name.startswith("(a)"):
                headline = line
    if headline:
        print(headline)


if __name__ == "__main__":
    main()
