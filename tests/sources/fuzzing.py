"""The one fuzz toolkit of the reader tests: Hypothesis strategies that mutate a valid
file (:func:`mutated`: bytes, tokens, lines, gzip; :func:`mutated_lines`: whole lines and
nasty cells) and the checks every mutated file must pass (:func:`check_reader`,
:func:`check_mutated`).

A mutated file must give either a panel and a report, or a :class:`SourceError` that names
the file and a line or column; any other exception is a bug in the reader.
"""

from __future__ import annotations

import atexit
import functools
import gzip
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from innesto.errors import SourceError
from innesto.panel import Panel
from innesto.sources.report import ReadReport

# Fragments that matter to the readers: separators, flags, quoting, broken encodings.
TOKENS: list[bytes] = [
    b"\t", b",", b";", b":", b": c", b" ", b"\n", b"\r\n", b"\r", b'"', b"\\", b"c", b"p",
    b" d", b"12:00 AM", b"NaN", b"-", b"1e999", b"1.5E3", b"\xff\xfe", b"\x00", b"\x1f\x8b",
    b"TIME_PERIOD", b"geo", b"nace_r2", b"unit", b"OBS_VALUE", b"\xef\xbb\xbf", b"\xe2\x82",
    b"dcid:nuts/", b"Count_Person_Employed", b"n2015", b"D", b"0", b"-0.5", b".",
]

FUZZ = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)


@st.composite
def mutated(draw: st.DrawFn, bases: list[bytes]) -> bytes:
    """One of ``bases`` with one to four random edits (byte, token or line level), maybe
    gzipped. (Fixed bases keep each example cheap, so a test runs thousands.)"""
    data = bytearray(draw(st.sampled_from(bases)))
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(
            ["delete", "insert", "replace", "dupline", "dropline", "truncate", "swap"]))
        pos = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "delete" and data:
            del data[pos:pos + draw(st.integers(1, 8))]
        elif op == "insert":
            tok = draw(st.sampled_from(TOKENS) | st.binary(min_size=1, max_size=4))
            data[pos:pos] = tok
        elif op == "replace" and data:
            data[pos] = draw(st.integers(0, 255))
        elif op in ("dupline", "dropline"):
            lines = bytes(data).split(b"\n")
            i = draw(st.integers(0, len(lines) - 1))
            if op == "dupline":
                lines.insert(i, lines[i])
            else:
                del lines[i]
            data = bytearray(b"\n".join(lines))
        elif op == "truncate":
            del data[pos:]
        elif op == "swap":
            a, b = draw(st.sampled_from([(b"\t", b","), (b",", b";"), (b";", b"\t"),
                                         (b" ", b""), (b"\n", b"\r\n")]))
            data = bytearray(bytes(data).replace(a, b, 1))
    out = bytes(data)
    how = draw(st.sampled_from(["plain", "plain", "plain", "gzip", "gzip-cut"]))
    if how == "gzip":
        out = gzip.compress(out)
    elif how == "gzip-cut":
        z = gzip.compress(out)
        out = z[: draw(st.integers(2, max(len(z) - 1, 2)))]
    return out


@functools.cache
def scratch_dir() -> Path:
    """One scratch folder per test process (creating and removing one per example is slow
    on this file system); files in it are overwritten by each example."""
    shm = Path("/dev/shm")
    path = Path(tempfile.mkdtemp(prefix="innesto-fuzz-", dir=shm if shm.is_dir() else None))
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


def check_reader(
    reader: Callable[..., tuple[Panel, ReadReport]], content: bytes, name: str, **opts: Any
) -> tuple[Panel, ReadReport] | SourceError:
    """Run ``reader`` on ``content``: a (panel, report), or a located SourceError."""
    path = scratch_dir() / name
    path.write_bytes(content)
    try:
        panel, report = reader(path, **opts)
    except SourceError as exc:
        assert exc.path == str(path), exc
        assert exc.line is not None or exc.column is not None, exc
        return exc
    assert isinstance(panel, Panel) and isinstance(report, ReadReport)
    # every null value is accounted for in the report
    nulls = sum(report.counts.get(k, 0) for k in ("missing", "confidential", "corrupt"))
    assert panel.n_missing <= nulls, (panel.n_missing, report.counts)
    assert panel.n_rows == report.cells_read
    return panel, report


def check_round_trip(
    reader: Callable[..., tuple[Panel, ReadReport]], text: str, name: str,
    expected: Sequence[tuple[str, str, str, float | None, str]],
) -> ReadReport:
    """Read a generated file that must parse: each ``(region, industry, time, value,
    reason)`` has that value (null when ``None``) and the report counts each null reason
    (missing, confidential, corrupt) as often as ``expected`` does. Returns the report."""
    out = check_reader(reader, text.encode(), name)
    assert not isinstance(out, SourceError), out
    panel, report = out
    df = panel.to_pandas().set_index(["region", "industry", "time"])
    for region, industry, time, value, _reason in expected:
        got = df.loc[(region, industry, time), "value"]
        assert got == value if value is not None else got != got
    for reason in ("missing", "confidential", "corrupt"):
        assert report.counts.get(reason, 0) == sum(e[4] == reason for e in expected)
    return report


# ------------------------------------------------ line-level mutations
#: The settings of the line-mutation fuzz tests (300 examples; ``tmp_path`` is reused).
MUTATION_SETTINGS = settings(max_examples=300, deadline=None,
                             suppress_health_check=[HealthCheck.function_scoped_fixture])

NASTY = ['"', ",", ";", "\t", "\n", "\x00", "12:00 AM", "(D)", "-5", "", "Total", "&&&&", "à",
         ":", "NA", "1e400", "0101", "\r"]


@st.composite
def mutated_lines(draw: st.DrawFn, text: str) -> bytes:
    """``text`` with a few lines deleted, duplicated, cut or spliced with nasty tokens."""
    lines = text.splitlines()
    for _ in range(draw(st.integers(0, 4))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["delete", "duplicate", "cut", "splice", "swap"]))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "cut":
            lines[i] = lines[i][: draw(st.integers(0, max(len(lines[i]) - 1, 0)))]
        elif op == "splice":
            pos = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:pos] + draw(st.sampled_from(NASTY)) + lines[i][pos:]
        else:
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
    enc = draw(st.sampled_from(["utf-8", "latin-1"]))
    return "\n".join(lines).encode(enc, errors="replace")


def check_mutated(reader: Callable[..., Any], path: Path, data: bytes, **options: Any) -> None:
    """Write ``data`` to ``path`` and read it: either a SourceError naming ``path``, or a
    panel with as many rows as the report says were kept, and no more than were read."""
    path.write_bytes(data)
    try:
        panel, report = reader(path, **options)
    except SourceError as exc:
        assert exc.path == str(path)
    else:
        assert panel.n_rows == report.rows_kept <= report.rows_read
