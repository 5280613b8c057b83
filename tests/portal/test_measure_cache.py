"""Issue 14, the API's measure cache could grow to about 350 MiB per worker: every
``/api/measures/<sector>?region=...`` answer was kept in the process for ever, one entry per
region asked for. The store is now bounded in bytes (``MEASURE_CACHE_BYTES``) and evicts
the least recently used entry; these tests walk many regions under a small cap."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from innesto.portal.plans.models import Sector
from innesto.portal.sectors import evidence
from innesto.portal.site.bounded import BoundedStore, deep_size
from tests.portal.test_sectors import ict  # noqa: F401  (the fixture)

CAP = 60_000


def test_the_measure_cache_never_grows_past_its_cap(ict: Sector,  # noqa: F811
                                                    client: Client, settings: Any) -> None:
    settings.CACHE_SECONDS = 0  # no page cache in front: every answer reaches the store
    settings.MEASURE_CACHE_BYTES = CAP
    evidence.STORE.clear()
    regions = evidence.peers()[:30]
    assert len(regions) == 30
    for region in regions:
        assert client.get(f"/api/measures/ict?region={region}").status_code == 200
        assert evidence.STORE.nbytes <= CAP
        # the bookkeeping is the real size of what is kept, not a running guess
        kept = evidence.STORE.keys()
        assert evidence.STORE.nbytes == sum(
            deep_size(evidence.STORE.get(k)) + deep_size(k) for k in kept)
    kept_regions = [k[-2] for k in evidence.STORE.keys() if k[0] == "region_measures"]
    assert 1 <= len(kept_regions) < len(regions)  # evicted, yet still caching
    assert kept_regions == regions[-len(kept_regions):]  # the most recent ones stay
    # a cached answer is the same as a freshly computed one
    last = client.get(f"/api/measures/ict?region={regions[-1]}").json()
    evidence.STORE.clear()
    assert client.get(f"/api/measures/ict?region={regions[-1]}").json() == last


def test_least_recently_used_goes_first_and_oversized_values_are_not_kept() -> None:
    store = BoundedStore(lambda: 3 * deep_size("k0") + 3 * deep_size("v" * 1000))
    for i in range(3):
        store.put(f"k{i}", "v" * 1000)
    assert store.get("k0") is not None  # k0 is now more recent than k1
    store.put("k3", "v" * 1000)
    assert store.keys() == ["k2", "k0", "k3"]
    store.put("huge", "v" * 10_000)  # larger than the whole cap: returned, never kept
    assert "huge" not in store.keys() and store.keys() == ["k2", "k0", "k3"]


@pytest.mark.parametrize(("value", "at_least"), [
    ([float(i) for i in range(1000)], 1000 * (8 + 24)),  # a pointer and a float each
    ({"k": "x" * 10_000}, 10_000),
    ([{"time": str(y), "lq": 1.0} for y in range(100)], 100 * 200),
])
def test_deep_size_counts_what_is_inside(value: Any, at_least: int) -> None:
    """The bounds are CPython's object sizes (8-byte pointers, 24-byte floats, a str's
    characters): more than the container's own ``sys.getsizeof``."""
    import sys

    assert deep_size(value) >= at_least > sys.getsizeof(value)
