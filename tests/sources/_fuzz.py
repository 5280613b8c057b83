"""Shared hypothesis strategy for reader fuzzing: mutate a valid file line by line, and
the check every mutated file must pass."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from innesto.errors import SourceError

#: The settings of the line-mutation fuzz tests (300 examples; ``tmp_path`` is reused).
MUTATION_SETTINGS = settings(max_examples=300, deadline=None,
                             suppress_health_check=[HealthCheck.function_scoped_fixture])

NASTY = ['"', ",", ";", "\t", "\n", "\x00", "12:00 AM", "(D)", "-5", "", "Total", "&&&&", "à",
         ":", "NA", "1e400", "0101", "\r"]


@st.composite
def mutated(draw, text: str) -> bytes:
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
    panel with as many rows as the report says were kept."""
    path.write_bytes(data)
    try:
        panel, report = reader(path, **options)
    except SourceError as exc:
        assert exc.path == str(path)
    else:
        assert panel.n_rows == report.rows_kept
