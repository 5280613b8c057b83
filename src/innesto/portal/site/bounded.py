"""A per-process memo store bounded in bytes, evicting the least recently used entry.

The evidence behind the sector pages and the API's measures is computed once per key and
kept in the worker (:func:`innesto.portal.sectors.evidence.memo`). Keys come from the
request (``/api/measures/<sector>?region=...&reference=...``), so without a bound a client
walking every region pair grows each worker without limit (about 350 MiB per worker was
measured). :class:`BoundedStore` keeps at most ``settings.MEASURE_CACHE_BYTES`` (environment
``INNESTO_MEASURE_CACHE_BYTES``, default 64 MiB) per process, sized with :func:`deep_size`;
an entry larger than the whole cap is returned but not kept.

>>> store = BoundedStore(lambda: 1000)
>>> store.put("a", "x" * 400); store.put("b", "y" * 400)
>>> store.get("a") is not None       # "a" is now the most recently used
True
>>> store.put("c", "z" * 400)        # over 1000 bytes: "b", the least recent, goes
>>> sorted(store.keys()), store.nbytes <= 1000
(['a', 'c'], True)
"""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

_MISSING = object()


def deep_size(obj: Any, _seen: set[int] | None = None) -> int:
    """Bytes held by ``obj`` and the containers, strings and numbers inside it
    (``sys.getsizeof`` summed over dicts, lists, tuples and sets, each object once).

    >>> deep_size([]) < deep_size(["a" * 100])
    True
    """
    seen = set() if _seen is None else _seen
    if id(obj) in seen:
        return 0
    seen.add(id(obj))
    size = sys.getsizeof(obj)
    if isinstance(obj, dict):
        size += sum(deep_size(k, seen) + deep_size(v, seen) for k, v in obj.items())
    elif isinstance(obj, list | tuple | set | frozenset):
        size += sum(deep_size(v, seen) for v in obj)
    return size


class BoundedStore:
    """Least-recently-used mapping whose values' :func:`deep_size` sum stays within
    ``cap()`` bytes (read at each insertion, so a changed setting applies at once)."""

    def __init__(self, cap: Callable[[], int]) -> None:
        self._cap = cap
        self._items: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()
        self.nbytes = 0

    def get(self, key: Hashable) -> Any:
        """The value under ``key`` (now the most recently used), or None."""
        with self._lock:
            found = self._items.get(key, _MISSING)
            if found is _MISSING:
                return None
            self._items.move_to_end(key)
            return found[0]  # type: ignore[index]

    def put(self, key: Hashable, value: Any) -> None:
        """Keep ``value`` under ``key``, evicting the least recently used entries until the
        total fits the cap (a value larger than the cap alone is not kept)."""
        size = deep_size(value) + deep_size(key)
        cap = self._cap()
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.nbytes -= old[1]
            if size > cap:
                return
            while self._items and self.nbytes + size > cap:
                _, (_, freed) = self._items.popitem(last=False)
                self.nbytes -= freed
            self._items[key] = (value, size)
            self.nbytes += size

    def keys(self) -> list[Hashable]:
        with self._lock:
            return list(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.nbytes = 0
