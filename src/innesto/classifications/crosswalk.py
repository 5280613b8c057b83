"""Correspondence tables between classifications, loaded lazily from the package data.

- NACE Rev. 2 to NACE Rev. 2.1: Eurostat's aggregate correspondence table (from the
  ``correspondenceTables`` R package). It lists the codes whose content is **the same** in both
  revisions at each level (one-to-one links: 22 sections, 79 divisions, 230 groups, 505
  classes); a code that is absent was split, merged or moved, and has no one-to-one
  counterpart.
- NAICS 2017 to NACE Rev. 2 (US Census Bureau concordance; many-to-many).

Examples
--------
>>> nace_r2_to_r21("33.16")
['33.16']
>>> nace_r2_to_r21("30.30")
[]
>>> sorted(naics2017_to_nace_r2("336411"))
['30.30']
"""

from __future__ import annotations

import csv
import gzip
import io
from functools import cache
from importlib import resources

from innesto.classifications.hierarchy import get


@cache
def _pairs(name: str) -> tuple[tuple[str, str], ...]:
    raw = resources.files("innesto.classifications").joinpath("data", name).read_bytes()
    rows = csv.reader(io.StringIO(gzip.decompress(raw).decode("utf-8")))
    next(rows)
    return tuple((r[0], r[1]) for r in rows)


def nace_r2_to_r21(code: str) -> list[str]:
    """The NACE Rev. 2.1 code(s) with the same content as the Rev. 2 ``code`` (may be empty)."""
    c = get("NACE_R2").normalise(code)
    return [b for a, b in _pairs("nace_r2_r21.csv.gz") if a == c]


def nace_r21_to_r2(code: str) -> list[str]:
    """The NACE Rev. 2 code(s) with the same content as the Rev. 2.1 ``code`` (may be empty)."""
    c = get("NACE_R21").normalise(code)
    return [a for a, b in _pairs("nace_r2_r21.csv.gz") if b == c]


def naics2017_to_nace_r2(code: str) -> set[str]:
    """The NACE Rev. 2 classes that a NAICS 2017 code (any level) corresponds to."""
    naics = get("NAICS2017")
    c = naics.normalise(code)
    leaves = {c, *naics.descendants(c)}
    return {b for a, b in _pairs("naics2017_nace_r2.csv.gz") if a in leaves}
