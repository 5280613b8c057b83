"""innesto against the peer libraries and plain NumPy: whole process, file to files written.

Every tool runs as a user runs it: one process that reads the same Parquet panel
(region, industry, time, value) and writes the same outputs (ECI per region, PCI per
industry, RCA and density per cell, proximity per industry pair) to Parquet. Tools:

- ``innesto``: ``innesto pipeline DATA -o OUT --workers THREADS`` (the CLI, whole process);
- ``numpy``: :func:`plain_numpy` below, what a careful analyst writes by hand (labels
  factorised by hashing, dense arrays, ``eigh`` on the symmetric form), reading with
  pandas and writing with ``to_parquet``;
- each peer as ``pip install`` gives it today, in its own virtual environment under
  ``--venvs`` (default ``~/.cache/innesto-bench``; ``--setup`` creates them), run by
  ``bench/peer_tools.py``: ``ecomplexity`` 0.5.3, ``economic-complexity`` 0.3.0 (its
  ``[pandas]`` extra, which pins pandas below 3: on pandas 3 it crashes) and
  ``econcomplex`` 1.0.1;
- separately, labelled *patched*: ``economic-complexity`` on pandas 3 with the local shim
  that makes it run there (not what a user gets from pip), and the same unpatched on
  pandas 3, to show the crash.

Rounds interleave the tools (the order rotates each round) and each run is alone on the
machine's share this benchmark has, with the same BLAS threads (``--threads``) for every
tool; at least three rounds; medians, peak memory (``getrusage`` of a launcher process
per run) and the load average at each run are printed. After the first round every
tool's ECI, PCI and density are compared with innesto's (each standardised per period,
density with the peer's own conventions: unit proximity diagonal for ``ecomplexity``,
percent on the input's cells for ``econcomplex``); a tool that crashes, returns NaN where
innesto has a number or differs by more than 1e-6 is reported as failed and not timed
further. innesto's in-memory computation (``pipeline.run`` on the panel already in
memory) is timed in the same rounds, for the ratio of the whole process to it.

Usage::

    python bench/peers.py --setup                 # once: the peers' virtual environments
    nice -n 10 python bench/peers.py              # (a), (a0), (b), (c); 3 rounds
    nice -n 10 python bench/peers.py --quick      # (a) at 600 x 300 x 3

The last line reads ``speedup vs fastest peer: N.Nx; vs numpy: N.Nx`` for data set (a):
the median whole-process time of the fastest installable peer that passed the checks, and
of plain NumPy, over innesto's.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
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
VENVS = {  # tool -> (virtual environment, what pip installs there)
    "ecomplexity": ("ecomplexity", ["ecomplexity==0.5.3", "pyarrow"]),
    "economic-complexity": ("economic-complexity",
                            ["economic-complexity[pandas]==0.3.0", "pyarrow"]),
    "econcomplex": ("econcomplex", ["econcomplex==1.0.1", "pyarrow"]),
    "economic-complexity-patched": ("economic-complexity-pandas3",
                                    ["economic-complexity==0.3.0", "pandas", "numpy",
                                     "pyarrow"]),
    "economic-complexity-pandas3": ("economic-complexity-pandas3", []),
}
INSTALLABLE = ("ecomplexity", "economic-complexity", "econcomplex")
#: why a peer's numbers can differ from innesto's, printed beside its failed check
METHOD_NOTES = {
    tool: "its ECI/PCI are 20 reflections (the iterative method of reflections), not the "
          "eigenvector innesto, ecomplexity and econcomplex compute"
    for tool in ("economic-complexity", "economic-complexity-patched")
}
PATCHED = ("economic-complexity-patched", "economic-complexity-pandas3")


# ----------------------------------------------------------------------------- data sets
def prepare(workdir: Path, quick: bool, only: list[str] | None = None) -> dict[str, Path]:
    """Write each data set asked (``only``: letters, default all) as a long Parquet table
    (region, industry, time, value)."""
    sys.path.insert(0, str(ROOT / "src"))
    from innesto.engines.synthetic import synthetic_panel

    def wanted(key: str) -> bool:
        return only is None or key in only

    shape = (600, 300, 3) if quick else (3000, 1000, 5)
    out = {}
    syn = synthetic_panel(*shape, zero_share=0.7, seed=42).to_pandas()
    if wanted("a"):
        out[f"(a) synthetic {shape[0]}x{shape[1]}x{shape[2]}"] = syn
    if wanted("a0"):
        out["(a0) the same with its zeros written out (innesto only)"] = _with_zeros(syn)
    if TRADE.exists() and wanted("b"):
        t = pd.read_csv(TRADE, dtype={"product_code": str})
        out["(b) world trade 2017"] = pd.DataFrame({
            "region": t.reporter_iso, "industry": t.product_code, "time": "2017",
            "value": t.export_value_usd})
    if CENSUS.exists() and wanted("c"):
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


def _with_zeros(df: pd.DataFrame) -> pd.DataFrame:
    """Every region x industry x year cell of ``df``, absent cells as explicit zeros."""
    full = pd.MultiIndex.from_product([sorted(df.region.unique()), sorted(df.industry.unique()),
                                       sorted(df.time.unique())],
                                      names=["region", "industry", "time"])
    out = df.set_index(["region", "industry", "time"]).value.reindex(full, fill_value=0.0)
    return out.reset_index()


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


def write_numpy(out: dict[str, dict[str, Any]], folder: Path) -> None:
    """The NumPy version's outputs in the same four files (pandas ``to_parquet``)."""
    folder.mkdir(parents=True, exist_ok=True)
    regions, industries, cells, prox = [], [], [], []
    for t, r in out.items():
        nr, ni = len(r["regions"]), len(r["industries"])
        regions.append(pd.DataFrame({"region": r["regions"], "time": t, "eci": r["eci"]}))
        industries.append(pd.DataFrame({"industry": r["industries"], "time": t,
                                        "pci": r["pci"]}))
        cells.append(pd.DataFrame({
            "region": pd.Categorical.from_codes(np.repeat(np.arange(nr), ni), r["regions"]),
            "industry": pd.Categorical.from_codes(np.tile(np.arange(ni), nr),
                                                  r["industries"]),
            "time": t, "rca": r["rca"].ravel(), "density": r["density"].ravel()}))
        a, b = np.nonzero(r["proximity"])
        prox.append(pd.DataFrame({"industry_a": r["industries"][a],
                                  "industry_b": r["industries"][b], "time": t,
                                  "proximity": r["proximity"][a, b]}))
    for name, parts in (("regions", regions), ("industries", industries), ("cells", cells),
                        ("proximity", prox)):
        pd.concat(parts, ignore_index=True).to_parquet(folder / f"{name}.parquet",
                                                       index=False)


def numpy_main(data: Path, folder: Path) -> None:
    """The NumPy tool's whole process: read, compute, write."""
    df = pd.read_parquet(data)
    df["time"] = df["time"].astype(str)
    write_numpy(plain_numpy(df), folder)


def compute_main(data: Path, threads: int) -> None:
    """innesto's in-memory computation only (the file is read before the clock starts)."""
    sys.path.insert(0, str(ROOT / "src"))
    from innesto.engines import pipeline
    from innesto.panel import Panel

    panel = Panel.read_parquet(data)
    t0 = time.perf_counter()
    pipeline.run(panel, workers=threads)
    print(json.dumps({"compute": time.perf_counter() - t0}))


def launch(cmd: list[str]) -> None:
    """Run one tool as this process's only child: its wall time and peak RSS as JSON."""
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    err = proc.stderr.strip().splitlines()[-1:] if proc.returncode else []
    print(json.dumps({"wall": wall, "maxrss_kib": rss, "returncode": proc.returncode,
                      "stdout": proc.stdout[-2000:], "error": err}))


# ----------------------------------------------------------------------------- checks
def _standard(s: pd.Series) -> pd.Series:
    """Each period's values standardised (mean 0, population sd 1): conventions aside."""
    return s.groupby(level=0).transform(lambda v: (v - v.mean()) / v.std(ddof=0))


def _grid(cells: pd.DataFrame, t: str, regions: pd.Index, industries: pd.Index,
          col: str) -> np.ndarray:
    """Column ``col`` of one period's cells on a dense regions x industries grid (NaN
    where the table has no row)."""
    g = cells[cells.time.astype(str) == t]
    out = np.full((len(regions), len(industries)), np.nan)
    r = regions.get_indexer(g.region.astype(str))
    c = industries.get_indexer(g.industry.astype(str))
    ok = (r >= 0) & (c >= 0)
    out[r[ok], c[ok]] = g[col].to_numpy(dtype=float)[ok]
    return out


def check(tool: str, ref: Path, ref_unit: Path, peer: Path) -> tuple[bool, str]:
    """Whether ``tool``'s ECI, PCI and density equal innesto's within 1e-6, and how far."""
    diffs: dict[str, float] = {}
    for name, label, col in (("regions", "region", "eci"), ("industries", "industry", "pci")):
        a = pd.read_parquet(ref / f"{name}.parquet")
        b = pd.read_parquet(peer / f"{name}.parquet")
        a = a.assign(time=a.time.astype(str), **{label: a[label].astype(str)})
        b = b.assign(time=b.time.astype(str), **{label: b[label].astype(str)})
        sa = _standard(a.set_index(["time", label])[col].astype(float))
        sb = _standard(b.set_index(["time", label])[col].astype(float)).reindex(sa.index)
        known = sa.notna()
        if sb[known].isna().any():
            return False, f"{col.upper()} NaN for {int(sb[known].isna().sum())} of " \
                          f"{int(known.sum())}"
        diffs[col] = float((sa[known] - sb[known]).abs().max())
        corr = min(sa[known].loc[t].corr(sb[known].loc[t])
                   for t in sa[known].index.get_level_values(0).unique())
        if diffs[col] > 1e-6:
            diffs[f"{col} correlation"] = corr
    cells_ref = pd.read_parquet((ref_unit if tool == "ecomplexity" else ref) / "cells.parquet",
                                columns=["region", "industry", "time", "density"])
    cells = pd.read_parquet(peer / "cells.parquet",
                            columns=["region", "industry", "time", "density"])
    scale = 0.01 if tool == "econcomplex" else 1.0  # it reports percent
    worst = 0.0
    for t in sorted(cells_ref.time.astype(str).unique()):
        sub = cells_ref[cells_ref.time.astype(str) == t]
        regions = pd.Index(sorted(sub.region.astype(str).unique()))
        industries = pd.Index(sorted(sub.industry.astype(str).unique()))
        a = _grid(sub, t, regions, industries, "density")
        a = np.where(np.isnan(a) & ~_listed(sub, regions, industries), 0.0, a)
        b = _grid(cells, t, regions, industries, "density") * scale
        listed = ~np.isnan(b) if tool == "econcomplex" else np.ones_like(a, bool)
        known = np.isfinite(a) & listed  # econcomplex gives the input's cells only
        if np.isnan(b[known]).all() and known.any():
            return False, "density all NaN"
        if np.isnan(b[known]).any():
            return False, f"density NaN for {int(np.isnan(b[known]).sum())} cells"
        worst = max(worst, float(np.abs(a[known] - b[known]).max()) if known.any() else 0.0)
    diffs["density"] = worst
    ok = max(v for k, v in diffs.items() if "correlation" not in k) <= 1e-6
    return ok, ", ".join(f"{k} {v:.4f}" if "correlation" in k else f"{k} {v:.1e}"
                         for k, v in diffs.items())


def _listed(sub: pd.DataFrame, regions: pd.Index, industries: pd.Index) -> np.ndarray:
    """Cells innesto lists (a cell not listed has density 0, a listed NaN is undefined)."""
    out = np.zeros((len(regions), len(industries)), bool)
    out[regions.get_indexer(sub.region.astype(str)),
        industries.get_indexer(sub.industry.astype(str))] = True
    return out


# ----------------------------------------------------------------------------- driver
def setup(venvs: Path) -> None:
    """Create each peer's virtual environment as pip gives it today."""
    venvs.mkdir(parents=True, exist_ok=True)
    for env, packages in {v: p for v, p in VENVS.values() if p}.items():
        path = venvs / env
        if not (path / "bin" / "python").exists():
            subprocess.run([sys.executable, "-m", "venv", str(path)], check=True)
        subprocess.run([str(path / "bin" / "pip"), "install", "-q", *packages], check=True)
        print(f"{env}: {', '.join(_versions(path / 'bin' / 'python'))}", flush=True)


def _versions(python: Path) -> list[str]:
    code = ("import importlib.metadata as m\n"
            "for p in ('pandas','numpy','ecomplexity','economic-complexity','econcomplex'):\n"
            "    try: print(p, m.version(p))\n"
            "    except m.PackageNotFoundError: pass")
    out = subprocess.run([str(python), "-c", code], capture_output=True, text=True).stdout
    return out.strip().splitlines()


def commands(tool: str, data: Path, out: Path, args: argparse.Namespace) -> list[str]:
    if tool == "innesto":
        return [sys.executable, "-c", "from innesto.cli.app import main; main()", "pipeline",
                str(data), "-o", str(out), "-q", "--workers", args.threads]
    if tool == "numpy":
        return [sys.executable, __file__, "--numpy", str(data), str(out)]
    if tool == "compute":
        return [sys.executable, __file__, "--compute", str(data), args.threads]
    env = Path(args.venvs) / VENVS[tool][0] / "bin" / "python"
    peer = "economic-complexity" if tool == "economic-complexity-pandas3" else tool
    return [str(env), str(ROOT / "bench" / "peer_tools.py"), peer, str(data), str(out)]


def run_one(tool: str, data: Path, out: Path, args: argparse.Namespace) -> dict[str, Any]:
    shutil.rmtree(out, ignore_errors=True)
    load = os.getloadavg()[0]
    proc = subprocess.run([sys.executable, __file__, "--launch",
                           *commands(tool, data, out, args)], capture_output=True, text=True)
    r = json.loads(proc.stdout.strip().splitlines()[-1])
    r["load"] = load
    if tool == "compute" and not r["returncode"]:
        r["wall"] = json.loads(r["stdout"].strip().splitlines()[-1])["compute"]
    return r


def bench(name: str, data: Path, work: Path, tools: list[str], args: argparse.Namespace
          ) -> str:
    print(f"\n{name}", flush=True)
    times: dict[str, list[float]] = {t: [] for t in tools}
    peaks: dict[str, float] = {}
    loads: dict[str, list[float]] = {t: [] for t in tools}
    failed: dict[str, str] = {}
    verdict: dict[str, str] = {}
    ref, ref_unit = work / "out-innesto", work / "out-innesto-unit"
    for k in range(args.rounds):
        order = tools[k % len(tools):] + tools[:k % len(tools)]
        for tool in order:
            if tool in failed or (tool == "economic-complexity-pandas3" and k):
                continue
            out = work / f"out-{tool}"
            r = run_one(tool, data, out, args)
            if r["returncode"]:
                failed[tool] = f"crashed: {' '.join(r['error'])[:160]}"
                print(f"    round {k + 1} {tool}: {failed[tool]}", flush=True)
                continue
            print(f"    round {k + 1} {tool}: {r['wall']:.2f} s, peak "
                  f"{r['maxrss_kib'] / 1024**2:.2f} GiB, load {r['load']:.1f}", flush=True)
            times[tool].append(r["wall"])
            loads[tool].append(r["load"])
            peaks[tool] = max(peaks.get(tool, 0.0), r["maxrss_kib"] / 1024**2)
        if k == 0 and "innesto" not in failed:
            subprocess.run([*commands("innesto", data, ref_unit, args), "--diagonal", "1"],
                           check=True, capture_output=True)
            for tool in tools:
                if tool in ("innesto", "compute") or tool in failed:
                    continue
                ok, how = check(tool, ref, ref_unit, work / f"out-{tool}")
                verdict[tool] = how
                print(f"    check {tool}: {'equal within 1e-6' if ok else 'DIFFERS'} ({how})",
                      flush=True)
                if not ok:
                    why = f" ({METHOD_NOTES[tool]})" if tool in METHOD_NOTES else ""
                    failed[tool] = f"differs from innesto: {how}{why}"
        print(f"  round {k + 1} done, load {os.getloadavg()[0]:.1f}", flush=True)
    med = {t: statistics.median(v) for t, v in times.items() if v and t not in failed}
    for tool in tools:
        label = {"compute": "innesto computation in memory (not a whole process)",
                 "economic-complexity-patched": "economic-complexity PATCHED (pandas 3)",
                 "economic-complexity-pandas3": "economic-complexity pandas 3 (unpatched)"
                 }.get(tool, tool)
        if tool in failed:
            seen = f" (first run {times[tool][0]:.2f} s, not counted)" if times[tool] else ""
            print(f"  {label:55s} FAILED, {failed[tool]}{seen}", flush=True)
            continue
        if tool not in med:
            continue
        extra = f"  checks: {verdict[tool]}" if tool in verdict else ""
        print(f"  {label:55s} {med[tool]:8.2f} s (median of {len(times[tool])}, runs "
              f"{', '.join(f'{x:.2f}' for x in times[tool])}; load "
              f"{', '.join(f'{x:.1f}' for x in loads[tool])})  peak {peaks[tool]:5.2f} GiB"
              f"{extra}", flush=True)
    if "innesto" not in med:
        return ""
    ours = med["innesto"]
    if "compute" in med:
        print(f"  innesto whole process / in-memory computation: {ours / med['compute']:.2f}x (target: at most 2)",
              flush=True)
    peers = [med[p] for p in INSTALLABLE if p in med]
    fastest = min(peers) if peers else float("nan")
    vs_numpy = med["numpy"] / ours if "numpy" in med else float("nan")
    line = f"speedup vs fastest peer: {fastest / ours:.1f}x; vs numpy: {vs_numpy:.1f}x"
    print(f"  {line}", flush=True)
    return line


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="(a) at 600 x 300 x 3")
    ap.add_argument("--rounds", type=int, default=3, help="rounds (at least 3)")
    ap.add_argument("--threads", default=str(os.cpu_count() or 1),
                    help="BLAS threads of every tool, and innesto's --workers")
    ap.add_argument("--only", default=None, help="data set letters, e.g. a,c (a0: with zeros)")
    ap.add_argument("--tools", default="innesto,compute,numpy," + ",".join(INSTALLABLE)
                    + "," + ",".join(PATCHED), help="comma-separated tools")
    ap.add_argument("--venvs", default=str(Path.home() / ".cache" / "innesto-bench"),
                    help="where the peers' virtual environments are")
    ap.add_argument("--setup", action="store_true", help="create the peers' environments")
    ap.add_argument("--numpy", nargs=2, help=argparse.SUPPRESS)
    ap.add_argument("--compute", nargs=2, help=argparse.SUPPRESS)
    ap.add_argument("--launch", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.launch:
        return launch(args.launch)
    if args.numpy:
        return numpy_main(Path(args.numpy[0]), Path(args.numpy[1]))
    if args.compute:
        return compute_main(Path(args.compute[0]), int(args.compute[1]))
    if args.setup:
        return setup(Path(args.venvs))
    if args.rounds < 3:
        ap.error("--rounds must be at least 3")
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = args.threads
    os.environ["PYTHONPATH"] = str(ROOT / "src")  # innesto, numpy and compute only use it
    print(f"machine: {os.cpu_count()} cores, python {sys.version.split()[0]}, "
          f"threads {args.threads}, load {os.getloadavg()[0]:.1f}, "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}", flush=True)
    tools = args.tools.split(",")
    for tool in tools:
        if tool in VENVS:
            python = Path(args.venvs) / VENVS[tool][0] / "bin" / "python"
            if not python.exists():
                sys.exit(f"{python} not found: run python bench/peers.py --setup first")
            print(f"  {tool}: {', '.join(_versions(python))}", flush=True)
    headline = ""
    with tempfile.TemporaryDirectory(prefix="innesto-bench-") as tmp:
        work = Path(tmp)
        only = args.only.split(",") if args.only else None
        for name, data in prepare(work, args.quick, only).items():
            key = name[1:name.index(")")]
            if args.only and key not in args.only.split(","):
                continue
            run = tools if key != "a0" else [t for t in tools if t in ("innesto", "compute")]
            line = bench(name, data, work, run, args)
            if key == "a":
                headline = line
    if headline:
        print(headline)


if __name__ == "__main__":
    main()
