"""The Torino test table: the packaged copy (used when ../shared/data is absent) holds the
same Eurostat cells as the published file."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.conftest import require_shared
from tests.measures._torino import FILE, packaged_wide


def test_packaged_table_equals_shared_file() -> None:
    """Every Piemonte cell of ``src/innesto/data`` equals the published CSV's (Eurostat
    nama_10r_3empers as shipped in ../shared/data), so the Torino pins mean the same thing
    on either source."""
    shared = pd.read_csv(require_shared(*FILE))
    shared["GeoId"] = shared["GeoId"].str.replace("dcid:nuts/", "", regex=False)
    shared.columns = [c.replace("Count_Person_Employed_NACE/", "") for c in shared.columns]
    shared = shared.rename(columns={"Count_Person_Employed": "TOTAL"})
    packaged = packaged_wide()
    keys = ["GeoId", "Date"]
    merged = shared.merge(packaged, on=keys, suffixes=("_csv", "_pkg"), how="outer",
                          indicator=True)
    assert (merged["_merge"] == "both").all()
    sectors = [c for c in shared.columns if c not in keys]
    assert len(sectors) == 15
    for c in sectors:
        a, b = merged[f"{c}_csv"].to_numpy(float), merged[f"{c}_pkg"].to_numpy(float)
        assert np.array_equal(np.isnan(a), np.isnan(b)), c
        np.testing.assert_array_equal(a[~np.isnan(a)], b[~np.isnan(b)], err_msg=c)
