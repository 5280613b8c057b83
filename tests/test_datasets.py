"""The shipped demo data equals what the wide reader makes of ../shared/data."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
from pandas.testing import assert_frame_equal

from innesto.datasets import PIEMONTE_REGIONS, employment_italy, employment_piemonte
from innesto.panel import Panel
from innesto.sources.wide import read_wide
from tests.conftest import require_shared

ITALY = ("eurostat-employment-italy", "Eurostats_NUTS3_Empers_italy_subset.csv")
PIEMONTE = ("eurostat-employment-piemonte-nuts3", "Eurostats_NUTS3_Empers_piemonte_subset.csv")


def frame(panel: Panel) -> pd.DataFrame:
    df = panel.to_pandas()
    return df.sort_values(["region", "industry", "time"]).reset_index(drop=True)


def test_shipped_italy_equals_reader_output() -> None:
    expected, _ = read_wide(require_shared(*ITALY))
    got = employment_italy()
    assert_frame_equal(frame(got), frame(expected))
    # The reader knows the attribution line; the shipped panel adds the table code and
    # Eurostat's licence (its reuse policy), which the provenance of bound values carries.
    assert replace(got.meta, dataset="", licence="") == expected.meta
    assert (got.meta.dataset, got.meta.licence) == ("nama_10r_3empers", "CC BY 4.0")


def test_shipped_piemonte_equals_the_piemonte_file() -> None:
    expected, _ = read_wide(require_shared(*PIEMONTE))
    assert_frame_equal(frame(employment_piemonte()), frame(expected))


def test_shape_and_metadata_without_shared_data() -> None:
    italy = employment_italy()
    assert italy.n_rows == 2_699 * 15 and italy.n_missing == 29 * 14
    assert len(italy.regions) == 140 and len(italy.industries) == 15
    assert italy.times[0] == "1995" and italy.times[-1] == "2018"
    assert italy.meta.region_classification == "NUTS2016"
    assert italy.meta.industry_classification == "NACE_R2"
    assert italy.meta.measure == "employment"
    assert italy.meta.attribution == "Source: Eurostat, nama_10r_3empers"
    piemonte = employment_piemonte()
    assert piemonte.regions == sorted(PIEMONTE_REGIONS) and piemonte.n_rows == 216 * 15
    # provinces add up to Piemonte (identity stated in the data's SOURCE.md)
    df = piemonte.to_pandas()
    prov = df[df.region.str.len() == 5].groupby(["industry", "time"])["value"].sum()
    itc1 = df[(df.region == "ITC1") & df.time.between("2000", "2017")]
    assert (itc1.set_index(["industry", "time"])["value"] - prov).abs().max() < 1e-6
