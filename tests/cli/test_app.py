"""The root app registers only the asked command's family (innesto.cli.app.main): the
table of families and their commands must match what each module really registers, or a
command would be missing when asked for by name."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer

from innesto.cli import app as root


def _names(app: typer.Typer) -> set[str]:
    commands = {c.name or c.callback.__name__ for c in app.registered_commands if c.callback}
    groups = {g.name or g.typer_instance.info.name for g in app.registered_groups}
    return {str(n) for n in commands | groups}


@pytest.mark.parametrize("family", sorted(root._FAMILIES))
def test_each_family_registers_exactly_its_listed_commands(family: str) -> None:
    fresh = typer.Typer()
    module = __import__(f"innesto.cli.{family}", fromlist=["register"])
    module.register(fresh)
    assert _names(fresh) == set(root._FAMILIES[family])


def test_a_command_starts_without_importing_the_other_families() -> None:
    """``innesto pipeline --help`` in a new process: the plan's and the portal's commands
    (and YAML, which only the plan reads) are not imported; ``innesto --help`` lists all."""
    code = ("import sys; from innesto.cli.app import main; sys.argv = ['innesto', *sys.argv[1:]]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('innesto.cli.') or m == 'yaml'))")
    one = subprocess.run([sys.executable, "-c", code, "pipeline", "--help"], capture_output=True,
                         text=True, check=True).stdout
    assert "'innesto.cli.pipeline'" in one
    assert "'innesto.cli.plan'" not in one and "'innesto.cli.serve'" not in one
    assert "'yaml'" not in one
    every = subprocess.run([sys.executable, "-c", code, "--help"], capture_output=True,
                           text=True, check=True).stdout
    for family in root._FAMILIES:
        assert f"'innesto.cli.{family}'" in every
    for names in root._FAMILIES.values():
        for name in names:
            assert name in every  # listed in the root help


def test_a_pipeline_run_imports_neither_pandas_nor_the_error_renderer(tmp_path) -> None:
    """``innesto pipeline`` on a Parquet table in a new process writes its tables without
    loading pandas (0.25 s of CPU: pyarrow's ``pa.array``, ``pa.scalar`` and ``to_numpy``
    would each load it; the engines use :mod:`innesto._arrow`) or Typer's error renderer
    (Rich's Markdown, 50 ms: imported only when there is an error to show)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"region": ["A", "A", "B", "B", "C"],
                             "industry": ["x", "y", "x", "z", "y"],
                             "time": ["2020"] * 5, "value": [1.0, 2.0, 3.0, 4.0, 5.0]}),
                   tmp_path / "p.parquet")
    code = ("import sys; from innesto.cli.app import main; sys.argv = ['innesto', *sys.argv[1:]]\n"
            "try:\n    main()\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
            "print(sorted(m for m in ('pandas', 'typer.rich_utils') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code, "pipeline", str(tmp_path / "p.parquet"),
                          "-o", str(tmp_path / "out"), "-q"],
                         capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"
    cells = pq.read_table(tmp_path / "out" / "cells.parquet").to_pylist()
    listed = {(c["region"], c["industry"], c["value"]) for c in cells if c["value"]}
    assert listed == {("A", "x", 1.0), ("A", "y", 2.0), ("B", "x", 3.0), ("B", "z", 4.0),
                      ("C", "y", 5.0)}
