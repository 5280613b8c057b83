"""Issue 14, input limits: decompression and alias bombs are refused with a clear error and
bounded memory; an XLSX whose ``<dimension>`` understates its data loses no row.

Every bomb is generated here. Each is read in a subprocess that caps its own address space
with ``resource.setrlimit`` (so a regression fails instead of eating the machine) and
reports its peak resident memory (``VmHWM``), which must stay far below what the bomb
expands to."""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest

from innesto.errors import SourceError
from innesto.sources import limits

ROOT = Path(__file__).resolve().parents[2]
CAP = 3 << 30          # address-space cap of the reading subprocess (bytes)
PEAK_MIB = 700         # what a bounded read may reach (interpreter + pyarrow + one chunk)

_CHILD = """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({cap}, {cap}))
out = {{"error": None}}
try:
{body}
except MemoryError:
    out["error"] = "MemoryError"
except Exception as exc:  # what the reader raised, to check it names the limit
    out["error"] = type(exc).__name__ + ": " + str(exc)
# VmHWM is this address space's own peak; ru_maxrss would carry over the peak of the
# forked parent (Linux keeps it across exec), i.e. whatever the test run grew to before
with open("/proc/self/status") as status:
    hwm = next(ln for ln in status if ln.startswith("VmHWM:"))
out["peak_mib"] = int(hwm.split()[1]) / 1024
print(json.dumps(out))
"""


def _in_child(body: str, **env: str) -> dict[str, object]:
    code = _CHILD.format(cap=CAP, body="\n".join("    " + ln for ln in body.splitlines()))
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       timeout=600, env={**os.environ, "PYTHONPATH": str(ROOT / "src"), **env})
    assert r.returncode == 0, r.stderr[-2000:]
    result: dict[str, object] = json.loads(r.stdout.strip().splitlines()[-1])
    return result


def _gzip_bomb(path: Path, gib: int) -> Path:
    """``gib`` GiB of zeros as gzip members of 64 MiB each (about 64 KiB per member)."""
    member = gzip.compress(b"\0" * (64 << 20), compresslevel=9)
    with path.open("wb") as fh:
        for _ in range(16 * gib):
            fh.write(member)
    return path


def test_a_gzip_bomb_is_refused_with_bounded_memory(tmp_path: Path) -> None:
    bomb = _gzip_bomb(tmp_path / "bomb.tsv.gz", 4)  # 4 GiB from about 4 MiB
    assert bomb.stat().st_size < 8 << 20
    out = _in_child(f"from innesto.sources._parse import read_text\n"
                    f"read_text(__import__('pathlib').Path({str(bomb)!r}))")
    assert "INNESTO_MAX_GZIP_RATIO" in str(out["error"]), out
    assert float(out["peak_mib"]) < PEAK_MIB  # type: ignore[arg-type]


def test_the_delimited_readers_read_through_the_same_limit(tmp_path: Path) -> None:
    bomb = _gzip_bomb(tmp_path / "bomb.csv.gz", 2)
    with pytest.raises(SourceError, match="INNESTO_MAX_GZIP_RATIO"):
        from innesto.sources._tabular import read_bytes

        read_bytes(bomb)


def test_ordinary_gzip_and_several_members_still_read(tmp_path: Path) -> None:
    text = "geo\\time\t2019\nITC1\t12\n" * 1000
    p = tmp_path / "ok.tsv.gz"
    p.write_bytes(gzip.compress(text[:5000].encode()) + gzip.compress(text[5000:].encode()))
    assert limits.read_bytes(p).decode() == text
    broken = tmp_path / "broken.gz"
    broken.write_bytes(gzip.compress(text.encode())[:-20])
    with pytest.raises(SourceError, match="broken gzip"):
        limits.read_bytes(broken)


def test_limits_are_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = tmp_path / "big.csv"
    p.write_bytes(b"a,b\n" + b"1,2\n" * 1000)
    assert limits.read_raw(p)[:4] == b"a,b\n"
    monkeypatch.setenv("INNESTO_MAX_FILE_BYTES", "1000")
    with pytest.raises(SourceError, match="INNESTO_MAX_FILE_BYTES"):
        limits.read_raw(p)
    monkeypatch.setenv("INNESTO_MAX_ROWS", "2")
    budget = limits.Budget(p)
    budget.row(2)
    budget.row(2)
    with pytest.raises(SourceError, match="INNESTO_MAX_ROWS"):
        budget.row(2, line=4)


def _xlsx(path: Path, rows: int = 3) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["geo", "time", "value"])
    for k in range(rows):
        ws.append([f"R{k}", "2020", k])
    wb.save(path)
    return path


def _replace_sheet(src: Path, dst: Path, write_sheet: object) -> Path:
    """Copy an XLSX, writing ``xl/worksheets/sheet1.xml`` with ``write_sheet(fh)``."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED,
                                                       compresslevel=9) as zout:
        for info in zin.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                with zout.open(info.filename, "w", force_zip64=True) as fh:
                    write_sheet(fh)  # type: ignore[operator]
            else:
                zout.writestr(info, zin.read(info))
    return dst


def test_an_xlsx_bomb_is_refused_before_inflating(tmp_path: Path) -> None:
    """A sheet of 2.5 million tiny rows: about 150 MiB of XML in a few hundred KB."""
    row = b"".join(b'<c r="%s1" t="n"><v>1</v></c>' % c for c in (b"A", b"B", b"C", b"D"))

    def write(fh: object) -> None:
        fh.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats'  # type: ignore[attr-defined]
                 b'.org/spreadsheetml/2006/main"><sheetData>')
        block = b"<row>" + row + b"</row>"
        for _ in range(2500):
            fh.write(block * 1000)  # type: ignore[attr-defined]
        fh.write(b"</sheetData></worksheet>")  # type: ignore[attr-defined]

    bomb = _replace_sheet(_xlsx(tmp_path / "t.xlsx"), tmp_path / "bomb.xlsx", write)
    assert bomb.stat().st_size < 2 << 20
    out = _in_child(f"from innesto.sources._excel import excel_rows\n"
                    f"excel_rows(__import__('pathlib').Path({str(bomb)!r}))")
    assert "INNESTO_MAX_GZIP_RATIO" in str(out["error"]), out
    assert float(out["peak_mib"]) < PEAK_MIB  # type: ignore[arg-type]


def test_an_xlsx_with_an_understated_dimension_loses_no_row(tmp_path: Path) -> None:
    """Ten data rows, but ``<dimension ref="A1:B3"/>`` claims two rows and two columns."""
    good = _xlsx(tmp_path / "good.xlsx", rows=10)
    with zipfile.ZipFile(good) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
    lying = re.sub(rb'<dimension ref="[^"]+"\s*/>', b'<dimension ref="A1:B3"/>', sheet)
    assert lying != sheet
    bad = _replace_sheet(good, tmp_path / "lying.xlsx", lambda fh: fh.write(lying))
    from innesto.sources._excel import excel_rows

    header, rows, lines = excel_rows(bad)
    assert header == ["geo", "time", "value"]
    assert len(rows) == 10 and rows[-1] == ["R9", "2020", "9"]
    assert lines == list(range(2, 12))


BILLION_LAUGHS = """\
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
editions: [*i, *i, *i, *i, *i, *i, *i, *i, *i]
"""


def test_a_yaml_alias_bomb_is_refused_quickly_with_bounded_memory(tmp_path: Path) -> None:
    """Ten lines expanding to 9**10 (3.5 billion) strings."""
    bomb = tmp_path / "plan.yaml"
    bomb.write_text(BILLION_LAUGHS, encoding="utf-8")
    out = _in_child(f"from innesto.plan.yaml_io import load_plan\nload_plan({str(bomb)!r})")
    assert "INNESTO_MAX_YAML_NODES" in str(out["error"]), out
    assert float(out["peak_mib"]) < PEAK_MIB  # type: ignore[arg-type]


def test_a_recursive_yaml_alias_is_refused(tmp_path: Path) -> None:
    import yaml

    node = yaml.compose("a: &x [1, *x]")
    with pytest.raises(SourceError, match="contains it"):
        limits.check_yaml(node, "r.yaml")


def test_ordinary_aliases_are_fine() -> None:
    import yaml

    limits.check_yaml(yaml.compose("base: &b {x: 1}\nother: *b\nthird: *b\n"), "ok.yaml")


def test_a_zip_declaring_huge_members_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "z.xlsx"
    with zipfile.ZipFile(p, "w") as z:
        info = zipfile.ZipInfo("xl/worksheets/sheet1.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, zlib.compress(b"0" * 1000))
    assert zipfile.ZipFile(p).infolist()[0].file_size < 100_000
    limits.check_zip(p)  # an honest small member passes
