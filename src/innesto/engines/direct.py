"""The relational stage of a plain Parquet panel, read by Arrow with its keys as dictionaries.

A Parquet file that is already a panel (text or integer keys, a numeric value; what
``innesto ingest`` and most statistics tools write) needs no query: its rows only have to
be read, their keys cleaned and their values checked. Arrow reads the key columns
dictionary-encoded (as Parquet stores them: each label once per row group), the labels are
cleaned once each by the rule of :mod:`innesto.engines.keys` (not once per row), and the
rows go to :func:`innesto.engines.periods.encode_batches` as integer codes, in batches, so
the long table is never whole in memory and neither Ibis nor DuckDB is started.

Everything else (CSV files, text values, microdata, levels, flags, several files, remote
paths, other key types) takes the engine route (:func:`innesto.engines.flow.relational_stage`):
:func:`encode` answers None and costs nothing but reading the file's schema. Both routes
give the same codes and the same counts (``rows``, ``missing``, ``corrupt``, ``no_key``, as
:func:`innesto.engines.relational.clean` counts a numeric value column); the pipeline's
files are compared bit for bit in ``tests/engines/test_direct.py``.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from innesto import _arrow as arrow
from innesto.engines import keys, periods

#: rows per batch read from the file
BATCH_ROWS = 1 << 20


class _Refused(Exception):
    """The file holds something only the engine route reads (raised mid-stream)."""


def _usable(schema: pa.Schema, names: dict[str, str | None]) -> bool:
    """Whether every column is there with a type this route reads as the engines do."""
    for role, name in names.items():
        if name is None:
            continue
        if name not in schema.names:
            return False
        t = schema.field(name).type
        if pa.types.is_dictionary(t):
            t = t.value_type
        if role in ("value", "flag"):
            ok = (pa.types.is_floating(t) or pa.types.is_integer(t)) if role == "value" \
                else pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_null(t)
        else:
            ok = pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_integer(t)
        if not ok:
            return False
    return True


def _names(source: Any, columns: dict[str, str | None] | None) -> dict[str, str | None]:
    cols = {"region": "region", "industry": "industry", "time": "time", "value": "value",
            **(columns or {})}
    return {k: cols[k] for k in ("region", "industry", "time", "value")}


def encode(source: Any, columns: dict[str, str | None] | None = None
           ) -> tuple[periods.EncodedPanel, dict[str, int]] | None:
    """The encoded panel and the cleaning counts of a local Parquet panel ``source``, or
    None when the file is for the engine route (see the module's docstring).

    Examples
    --------
    >>> import tempfile, pyarrow.parquet as pq
    >>> t = pa.table({"region": [" a", "b", ""], "industry": ["x", "x", "y"],
    ...               "time": ["2000.0", "2000", "2000"], "value": [1.0, None, 2.0]})
    >>> with tempfile.TemporaryDirectory() as d:
    ...     pq.write_table(t, f"{d}/p.parquet")
    ...     enc, counts = encode(f"{d}/p.parquet")
    >>> enc.times, enc.matrix("2000").regions.tolist(), counts
    (['2000'], ['a'], {'rows': 3, 'missing': 1, 'corrupt': 0, 'no_key': 1})
    """
    if not isinstance(source, (str, Path)) or "://" in str(source) \
            or not str(source).lower().endswith(".parquet") or not Path(source).is_file():
        return None
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(source)
    except (OSError, pa.ArrowException):
        return None  # the engine route reports what is wrong with the file
    names = _names(source, columns)
    if names["time"] is not None and names["time"] not in schema.names:
        names["time"] = None  # a single-period table
    if "flag" in schema.names:
        names["flag"] = "flag"
    if not _usable(schema, names):
        return None
    text = [n for n in names.values() if n is not None and (
        pa.types.is_string(schema.field(n).type) or pa.types.is_large_string(schema.field(n).type))]
    counts = {"rows": 0, "missing": 0, "corrupt": 0, "no_key": 0}
    try:
        file = pq.ParquetFile(source, read_dictionary=text)
        enc = periods.encode_batches(_ahead(_batches(file, names, counts)))
    except _Refused:
        return None
    return enc, counts


def _batches(file: Any, names: dict[str, str | None], counts: dict[str, int]
             ) -> Iterator[pa.RecordBatch]:
    """The file's rows as batches of cleaned dictionary keys and float64 values, the rows
    without a region or industry left out and counted."""
    import pyarrow.compute as pc

    cols = [n for n in names.values() if n is not None]
    labels = {role: _Cleaner(period=role == "time") for role in ("region", "industry", "time")}
    for batch in file.iter_batches(batch_size=BATCH_ROWS, columns=list(dict.fromkeys(cols))):
        n = batch.num_rows
        if names.get("flag") and _has_flags(batch.column(names["flag"])):
            raise _Refused("flags are counted by the engine route")
        keys_ = {role: labels[role].column(batch.column(names[role]))
                 if names[role] is not None else _constant("", n)
                 for role in ("region", "industry", "time")}
        value = batch.column(names["value"]).cast(pa.float64())
        if pc.any(pc.is_nan(value)).as_py():
            value = pc.if_else(pc.is_nan(value), pa.scalar(None, pa.float64()), value)
        keyed = labels["region"].valid(keys_["region"]) & labels["industry"].valid(keys_["industry"])
        counts["rows"] += n
        if not keyed.all():
            counts["no_key"] += int(n - keyed.sum())
            mask = arrow.array(keyed)
            keys_ = {k: v.filter(mask) for k, v in keys_.items()}
            value = value.filter(mask)
        counts["missing"] += value.null_count
        yield pa.RecordBatch.from_arrays([*keys_.values(), value],
                                         names=["region", "industry", "time", "value"])


def _ahead(batches: Iterator[pa.RecordBatch], depth: int = 2) -> Iterator[pa.RecordBatch]:
    """``batches`` produced by a reader thread at most ``depth`` batches ahead, so that
    reading and decoding the file (Arrow, without the GIL) overlap with encoding the
    batches already read; an error of the reader is raised here, in order."""
    box: queue.Queue[tuple[str, Any]] = queue.Queue(depth)
    stop = threading.Event()

    def read() -> None:
        try:
            for batch in batches:
                if stop.is_set():
                    return
                box.put(("batch", batch))
            box.put(("end", None))
        except BaseException as exc:  # handed to the consumer
            box.put(("error", exc))

    reader = threading.Thread(target=read, name="innesto-reader", daemon=True)
    reader.start()
    try:
        while True:
            kind, item = box.get()
            if kind == "end":
                return
            if kind == "error":
                raise item
            yield item
    finally:
        stop.set()
        while reader.is_alive():  # unblock a reader waiting on a full queue
            try:
                box.get(timeout=0.05)
            except queue.Empty:
                pass
        reader.join()


def _has_flags(flag: Any) -> bool:
    """Whether a flag column holds any flag (a non-empty text)."""
    import pyarrow.compute as pc

    if flag.null_count == len(flag):
        return False
    return bool(pc.any(pc.greater(pc.utf8_length(flag.cast(pa.string())), 0)).as_py())


def _constant(text: str, n: int) -> pa.DictionaryArray:
    return pa.DictionaryArray.from_arrays(arrow.array(np.zeros(n, np.int32)),
                                          arrow.array([text]))


class _Cleaner:
    """A key column's labels cleaned once each (by :func:`keys.clean_label`), kept as the
    column's new dictionary; whether each entry is a key (region and industry: not empty)."""

    def __init__(self, *, period: bool) -> None:
        self.period = period
        self._done: dict[Any, str | None] = {}

    def column(self, col: Any) -> pa.DictionaryArray:
        """``col`` (text, dictionary or integer) with its dictionary's labels cleaned."""
        import pyarrow.compute as pc

        if not pa.types.is_dictionary(col.type):
            col = pc.dictionary_encode(col)
        raw = col.dictionary.to_pylist()
        clean = [self._done[v] if v in self._done else self._clean(v) for v in raw]
        return pa.DictionaryArray.from_arrays(col.indices, arrow.array(clean))

    def _clean(self, v: Any) -> str | None:
        self._done[v] = out = keys.clean_label(v, period=self.period)
        return out

    @staticmethod
    def valid(col: pa.DictionaryArray) -> np.ndarray:
        """Rows whose label is a key (not null, not empty)."""
        entry = np.array([bool(v) for v in col.dictionary.to_pylist()] + [False])
        return entry[arrow.numpy(col.indices, null=len(col.dictionary))]
