"""``innesto.datasets.us_metro_gdp``: the BEA table as the Worcester example reads it,
pinned against sums taken from the raw CSV with the csv module (no innesto code)."""

from __future__ import annotations

import csv
from collections import defaultdict

import pytest

from innesto.datasets import US_METROS, US_PARTITION, us_metro_gdp
from tests.conftest import require_shared


def _raw() -> dict[tuple[str, str, str], float]:
    path = require_shared("us-metro-gdp-2001-2008", "gdp-summary.csv")
    with path.open(newline="", encoding="utf-8") as f:
        return {(r["fips"].zfill(5), r["indust"], r["year"]): float(r["gdp"])
                for r in csv.DictReader(f) if r["gdp"] not in ("", "NA")}


def _value(region: str, industry: str, year: str) -> float:
    df = us_metro_gdp().to_pandas()
    row = df[(df.region == region) & (df.industry == industry) & (df.time.astype(str) == year)]
    assert len(row) == 1
    return float(row["value"].iloc[0])


def test_worcesters_total_and_health_lq_match_the_raw_table() -> None:
    raw = _raw()
    total = sum(raw[("49340", line, "2008")] for line in US_PARTITION)
    assert total == 27656.0  # the 18 lines of Worcester in 2008, summed by hand above
    assert _value("49340", "TOTAL", "2008") == total
    bench = defaultdict(float)
    for (_fips, line, year), v in raw.items():
        if year == "2008" and line in US_PARTITION:
            bench[line] += v
    assert _value(US_METROS, "67", "2008") == pytest.approx(bench["67"])
    lq = (raw[("49340", "67", "2008")] / total) / (bench["67"] / sum(bench.values()))
    from innesto.measures.specialisation import location_quotient

    p = us_metro_gdp().filter(region=["49340", US_METROS], industry=["67", "TOTAL"],
                              time="2008")
    got = location_quotient(p, reference_region=US_METROS, total_industry="TOTAL")
    got = got[(got.region == "49340") & (got.industry == "67")]["lq"].iloc[0]
    assert got == pytest.approx(lq, rel=1e-12)


def test_a_metro_with_a_suppressed_line_has_no_total() -> None:
    raw = _raw()
    gaps = {(f, y) for (f, _l, y) in raw
            if any((f, line, y) not in raw for line in US_PARTITION) and f != "00998"}
    fips, year = sorted(gaps)[0]
    df = us_metro_gdp().to_pandas()
    assert df[(df.region == fips) & (df.industry == "TOTAL")
              & (df.time.astype(str) == year)].empty
