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
from collections.abc import Iterator
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


# -- GeoJSON and gzip answers: counted while they stream, never decoded whole first --------

FEATURE = b'{"type": "Feature", "properties": {"NUTS_ID": "IT"}, "geometry": null}'


def _geojson_gzip_stream(mib: int) -> bytes:
    """One gzip stream of a FeatureCollection of ``mib`` MiB of small features: about 3.5
    KiB per MiB compressed (a ratio near 290)."""
    block = b",".join([FEATURE] * ((1 << 20) // (len(FEATURE) + 1)))
    z = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    parts = [z.compress(b'{"type": "FeatureCollection", "features": [' + block)]
    parts += [z.compress(b"," + block) for _ in range(mib - 1)]
    return b"".join([*parts, z.compress(b"]}"), z.flush()])


@pytest.fixture
def gzip_geojson_server() -> Iterator[tuple[str, bytes]]:
    """A server answering every GET with a 768 MiB FeatureCollection sent as
    ``Content-Encoding: gzip`` (under 3 MiB on the wire), as a hostile mirror could."""
    from tests.local_http import QuietHandler, serve

    body = _geojson_gzip_stream(768)

    class GzipGeoJSON(QuietHandler):
        def do_GET(self) -> None:
            self.answer(200, body, {"Content-Type": "application/geo+json",
                                    "Content-Encoding": "gzip"})

    with serve(GzipGeoJSON) as url:
        yield url, body


def test_a_gzip_encoded_geojson_answer_is_stopped_while_it_streams(
        gzip_geojson_server: tuple[str, bytes], tmp_path: Path) -> None:
    """Before: the decoded 768 MiB were written to the cache, then ``json.loads`` of the
    whole file took the process past its 3 GiB cap. Now the download stops a little past
    16 MiB, where the ratio limit applies."""
    url, body = gzip_geojson_server
    assert len(body) < 3 << 20
    cache = tmp_path / "cache"
    out = _in_child(f"from innesto.sources.gisco import fetch_nuts\n"
                    f"fetch_nuts(level=0, cache_dir={str(cache)!r}, url={url!r})")
    error = str(out["error"])
    assert error.startswith("FetchError: " + url), out
    assert "INNESTO_MAX_GZIP_RATIO" in error, out
    assert float(out["peak_mib"]) < PEAK_MIB  # type: ignore[arg-type]
    assert not [p for p in cache.rglob("*") if p.is_file()]  # nothing half-written kept


def test_the_decompressed_limit_of_an_answer_is_a_setting(
        gzip_geojson_server: tuple[str, bytes], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Under the 16 MiB where the ratio starts to count, the decompressed-bytes limit
    stops the download, and the error names the answer and the setting."""
    from innesto.errors import FetchError
    from innesto.sources.gisco import fetch_nuts

    url, _ = gzip_geojson_server
    monkeypatch.setenv("INNESTO_MAX_DECOMPRESSED_BYTES", str(8 << 20))
    with pytest.raises(FetchError, match=r"passes the 8 MiB allowed "
                                         r"\(INNESTO_MAX_DECOMPRESSED_BYTES\)") as err:
        fetch_nuts(level=0, cache_dir=tmp_path, url=url)
    assert str(err.value).startswith(url)


def test_a_gzip_geojson_file_is_refused_at_the_limit_naming_the_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from innesto.sources.gisco import check_geojson

    bomb = tmp_path / "nuts.geojson.gz"
    bomb.write_bytes(_geojson_gzip_stream(64))
    with pytest.raises(SourceError, match=r"INNESTO_MAX_GZIP_RATIO") as err:
        check_geojson(bomb, "the cache")
    assert str(err.value).startswith(str(bomb))
    monkeypatch.setenv("INNESTO_MAX_GZIP_RATIO", "100000")
    monkeypatch.setenv("INNESTO_MAX_DECOMPRESSED_BYTES", str(32 << 20))
    with pytest.raises(SourceError, match=r"passes the 32 MiB allowed "
                                          r"\(INNESTO_MAX_DECOMPRESSED_BYTES\)"):
        check_geojson(bomb, "the cache")
    small = tmp_path / "small.geojson.gz"
    small.write_bytes(_geojson_gzip_stream(2))
    check_geojson(small, "the cache")          # an ordinary gzip'd file reads


@pytest.mark.slow
def test_a_large_geojson_file_is_checked_feature_by_feature(tmp_path: Path) -> None:
    """200 outlines of about 256 KiB of coordinates each (50 MiB): ``json.loads`` of the
    whole file built every feature at once, some 600 MiB of lists (12 bytes of objects per
    byte of ``[1,2],``); read one feature at a time, the process grows by about two
    features' worth. The growth is measured from the child's resident size once its
    imports are done."""
    ring = b"[" + b",".join([b"[1,2]"] * 44_000) + b"]"
    feature = b'{"type": "Feature", "properties": {"NUTS_ID": "IT"}, ' \
              b'"geometry": {"type": "Polygon", "coordinates": [' + ring + b"]}}"
    big = tmp_path / "outlines.geojson"
    with big.open("wb") as fh:
        fh.write(b'{"type": "FeatureCollection", "features": [')
        fh.write(b",\n".join([feature] * 200))
        fh.write(b"]}")
    assert big.stat().st_size > 50 << 20
    out = _in_child(f"from pathlib import Path\n"
                    f"from innesto.sources.gisco import check_geojson\n"
                    f"with open('/proc/self/status') as status:\n"
                    f"    rss = next(ln for ln in status if ln.startswith('VmRSS:'))\n"
                    f"out['base_mib'] = int(rss.split()[1]) / 1024\n"
                    f"check_geojson(Path({str(big)!r}), 'the cache')")
    assert out["error"] is None, out
    growth = float(out["peak_mib"]) - float(out["base_mib"])  # type: ignore[arg-type]
    assert growth < 150, out


@pytest.mark.parametrize(("text", "problem"), [
    (b'{"type": "FeatureCollection", "features": [{"properties": {"NUTS_ID": "IT"}}', "JSON"),
    (b'{"type": "FeatureCollection", "features": []}', "non-empty"),
    (b'{"type": "FeatureCollection", "features": [{"properties": {"NUTS_ID": "IT"}}]} x',
     "JSON"),
    (b'{"features": [{"properties": {"NUTS_ID": "IT"}}], "type": "Feature"}', "non-empty"),
    (b'[{"properties": {"NUTS_ID": "IT"}}]', "JSON"),
    (b'{"type": "FeatureCollection", "features": [{"properties": {"NUTS_ID": "IT"}}, 7]}',
     "feature 1 has no NUTS_ID"),
])
def test_a_streamed_geojson_is_judged_as_the_whole_document(tmp_path: Path, text: bytes,
                                                           problem: str) -> None:
    """Cut short, empty, followed by junk, of another type, or with a bad feature: each is
    refused as it was when the file was decoded whole; members may come in any order, and
    the pieces the file is read in never split a verdict (1-byte pieces here)."""
    from innesto.errors import FetchError
    from innesto.sources._geojson import FeatureStream, NotJSON
    from innesto.sources.gisco import check_geojson

    p = tmp_path / "x.geojson"
    p.write_bytes(text)
    with pytest.raises(FetchError, match=problem):
        check_geojson(p, "the answer")
    if problem == "JSON":
        with pytest.raises(NotJSON):
            list(FeatureStream(p, chunk=1).features())


def test_a_geojson_read_in_one_byte_pieces_gives_every_feature(tmp_path: Path) -> None:
    """White space anywhere, members in any order, a number that a piece could cut."""
    from innesto.sources._geojson import FeatureStream

    ok = tmp_path / "ok.geojson"
    ok.write_bytes(b' {"features" : [ {"properties": {"NUTS_ID": "IT", "n": 12.5e1}} ,'
                   b'{"properties": {"NUTS_ID": "FR"}}] , "count": 1234, '
                   b'"type":"FeatureCollection"} \n')
    for chunk in (1, 3, 1 << 20):
        doc = FeatureStream(ok, chunk=chunk)
        features = list(doc.features())
        assert [f["properties"]["NUTS_ID"] for f in features] == ["IT", "FR"]
        assert features[0]["properties"]["n"] == 125.0
        assert doc.members == {"count": 1234, "type": "FeatureCollection"}
