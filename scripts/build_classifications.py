"""Convert the classification tables in ``../shared/data/classifications`` into package data.

Run once (and again only when the source tables change)::

    .venv/bin/python scripts/build_classifications.py [SOURCE_DIR]

It writes small gzip CSV files to ``src/innesto/classifications/data/``, keeping only what
the package needs (code, level, parent, English label) and dropping the long explanatory
notes. Every file is written to a temporary name and renamed, and the script checks the
level counts it knows (NACE Rev.2: 21 sections, 88 divisions, 272 groups, 615 classes).

Sources (see ``../shared/data/classifications/SOURCE.md``): Eurostat's
``correspondenceTables`` R package (EUPL-1.2) for NACE Rev.2, NACE Rev.2.1 and the Rev.2 to
Rev.2.1 table; US Census Bureau for NAICS 2017/2022 and NAICS 2017 to NACE Rev.2; UN
Statistics Division for ISIC Rev.4.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "innesto" / "classifications" / "data"
DEFAULT_SRC = ROOT.parent / "shared" / "data" / "classifications"

NACE_LEVELS = {1: "section", 2: "division", 4: "group", 5: "class"}
NAICS_LEVELS = {2: "sector", 3: "subsector", 4: "industry_group", 5: "naics_industry",
                6: "national_industry"}
ISIC_LEVELS = {1: "section", 2: "division", 3: "group", 4: "class"}


def _write(name: str, header: list[str], rows: list[list[str]]) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    tmp = OUT / f".{name}.tmp"
    # mtime=0 keeps the output byte-identical between runs
    with open(tmp, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", mtime=0) as gz:
        gz.write(buf.getvalue().encode("utf-8"))
    os.replace(tmp, OUT / name)
    print(f"{name}: {len(rows)} rows, {(OUT / name).stat().st_size} bytes")


def _read(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def nace(src: Path, name: str, out: str, expect: dict[str, int]) -> None:
    rows = _read(src / name)[1:]
    out_rows = []
    for code, label, parent, *_ in rows:
        level = NACE_LEVELS[len(code)]
        out_rows.append([code, level, "" if parent == "NA" else parent, label.strip()])
    counts = Counter(r[1] for r in out_rows)
    if dict(counts) != expect:
        raise SystemExit(f"{name}: level counts {dict(counts)} != expected {expect}")
    _write(out, ["code", "level", "parent", "label"], out_rows)


def nace_correspondence(src: Path) -> None:
    rows = _read(src / "AggregateCorrespondenceTable_NACE_Rev2_to_NACE_Rev21.csv")[1:]
    names = {"1": "section", "2": "division", "3": "group", "4": "class"}
    out = [[r[2], r[3], names[r[0]]] for r in rows if r[0] == r[1]]
    _write("nace_r2_r21.csv.gz", ["nace_r2", "nace_r21", "level"], out)


def naics(src: Path, name: str, out: str) -> None:
    rows = [r for r in _read(src / name)[1:] if r and r[0].strip()]
    # sectors such as 31-33 span several 2-digit prefixes; 3-digit codes hang under them
    sector_of: dict[str, str] = {}
    for code, *_ in rows:
        code = code.strip()
        if "-" in code:
            lo, hi = code.split("-")
            for two in range(int(lo), int(hi) + 1):
                sector_of[str(two)] = code
        elif len(code) == 2:
            sector_of[code] = code
    out_rows: list[list[str]] = []
    for code, label, *_ in rows:
        code = code.strip()
        if "-" in code or len(code) == 2:
            level, parent = "sector", ""
        else:
            level = NAICS_LEVELS[len(code)]
            parent = sector_of[code[:2]] if len(code) == 3 else code[:-1]
        out_rows.append([code, level, parent, label.strip()])
    _write(out, ["code", "level", "parent", "label"], out_rows)


def naics_nace(src: Path) -> None:
    rows = _read(src / "NAICS2017_NACE_Rev2.csv")[1:]
    out = [[r[0].strip(), r[1].strip()] for r in rows if r[0].strip() and r[1].strip()]
    _write("naics2017_nace_r2.csv.gz", ["naics2017", "nace_r2"], out)


def isic(src: Path) -> None:
    rows = _read(src / "ISIC4.csv")[1:]
    out = []
    section_of_division: dict[str, str] = {}
    current_section = ""
    for code, label in rows:
        code = code.strip()
        if code.isalpha():
            current_section = code
            parent = ""
        elif len(code) == 2:
            section_of_division[code] = current_section
            parent = current_section
        else:
            parent = code[:-1]
        out.append([code, ISIC_LEVELS[len(code)], parent, label.strip()])
    counts = Counter(r[1] for r in out)
    print("ISIC4 levels:", dict(counts))
    _write("isic4.csv.gz", ["code", "level", "parent", "label"], out)


def main(argv: list[str]) -> None:
    src = Path(argv[1]) if len(argv) > 1 else DEFAULT_SRC
    if not src.exists():
        raise SystemExit(f"source folder not found: {src}")
    OUT.mkdir(parents=True, exist_ok=True)
    nace(src, "nace2_en.csv", "nace_r2.csv.gz",
         {"section": 21, "division": 88, "group": 272, "class": 615})
    nace(src, "nace21_en.csv", "nace_r21.csv.gz",
         {"section": 22, "division": 87, "group": 287, "class": 651})
    nace_correspondence(src)
    naics(src, "NAICS2017.csv", "naics2017.csv.gz")
    naics(src, "NAICS2022.csv", "naics2022.csv.gz")
    naics_nace(src)
    isic(src)


if __name__ == "__main__":
    main(sys.argv)
