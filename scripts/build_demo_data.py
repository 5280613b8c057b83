#!/usr/bin/env python3
"""Build the demo data shipped in ``src/innesto/data/`` from ``../shared/data``.

    .venv/bin/python scripts/build_demo_data.py [--shared ../shared/data]

Reads Eurostat's ``nama_10r_3empers`` table for Italy (the Data Commons wide export in
``eurostat-employment-italy``) with innesto's own wide reader and writes it as a tidy
panel (region, industry, time, value) in compressed Parquet, with the panel's metadata
(NUTS 2016 x NACE Rev. 2, persons employed, "Source: Eurostat, nama_10r_3empers"). The
shared data README allows shipping exactly this table, reshaped, with the attribution.
``tests/test_datasets.py`` checks that the shipped file equals what the reader gives.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from innesto.datasets import DATA_DIR, ITALY_FILE  # noqa: E402
from innesto.sources.wide import read_wide  # noqa: E402

SOURCE = ("eurostat-employment-italy", "Eurostats_NUTS3_Empers_italy_subset.csv")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    panel, report = read_wide(args.shared.joinpath(*SOURCE))
    print(report.summary())
    table = panel.to_arrow()
    order = pc.sort_indices(table, [("region", "ascending"), ("industry", "ascending"),
                                    ("time", "ascending")])
    table = table.take(order)
    out = DATA_DIR / ITALY_FILE
    fd, tmp = tempfile.mkstemp(dir=DATA_DIR, suffix=".parquet")
    os.close(fd)
    try:
        pq.write_table(table, tmp, compression="zstd", compression_level=19,
                       use_dictionary=True, write_statistics=False)
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    finally:
        Path(tmp).unlink(missing_ok=True)
    print(f"wrote {out} ({out.stat().st_size:,} bytes, {table.num_rows:,} rows)")


if __name__ == "__main__":
    main()
