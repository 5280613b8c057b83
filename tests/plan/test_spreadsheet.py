"""Spreadsheet round-trip: export and import formats are identical, nothing half-imported."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from innesto.errors import PlanError
from innesto.plan.assemble import TableError, assemble
from innesto.plan.examples import tiny_planset
from innesto.plan.i18n import Text
from innesto.plan.model import (
    Actor,
    BudgetLine,
    Indicator,
    IndicatorLink,
    Level,
    Milestone,
    Node,
    Observation,
    Plan,
    PlanSet,
    Point,
    Role,
)
from innesto.plan.spreadsheet import (
    import_plan,
    read_csv,
    read_xlsx,
    to_csv,
    to_xlsx_bytes,
)
from innesto.plan.tables import flatten
from innesto.plan.yaml_io import load_plan, save_plan
from tests.conftest import ROOT

TORINO = ROOT / "examples" / "torino"


def test_torino_yaml_to_xlsx_to_yaml_is_identical(tmp_path: Path) -> None:
    ps = load_plan(TORINO)
    xlsx = tmp_path / "t.xlsx"
    xlsx.write_bytes(to_xlsx_bytes(ps))
    import_plan(xlsx, tmp_path / "back")
    assert load_plan(tmp_path / "back") == ps
    # and the YAML written is the same whichever way it went
    save_plan(ps, tmp_path / "direct")
    for f in (tmp_path / "direct").rglob("*.*"):
        assert f.read_text() == (tmp_path / "back" / f.relative_to(tmp_path / "direct")).read_text()


def test_a_file_without_export_base_adds_rows_and_changes_only_with_overwrite(
        tmp_path: Path) -> None:
    """A hand-made CSV has no base: nothing says whether the plan files changed since, so
    a changed row is a conflict (kept as the files say) unless ``overwrite``; rows absent
    from the file are kept, new rows are added."""
    target = tmp_path / "p"
    save_plan(tiny_planset(), target)
    only_actor = tmp_path / "a.csv"
    lines = to_csv(tiny_planset(), base=False).splitlines()
    header = lines[0]
    actor = next(line for line in lines if line.startswith("actors,"))
    planset = next(line for line in lines if line.startswith("planset,"))
    only_actor.write_text("\n".join([header, planset, actor.replace("City", "Town"),
                                     actor.replace("city", "region").replace("City", "Region")]))
    result = import_plan(only_actor, target)
    kinds = {(c.table, c.kind) for c in result.changes}
    assert ("actors", "conflict") in kinds and ("actors", "added") in kinds
    assert "no export base" in str(result.conflicts[0])
    ps = load_plan(target)
    assert [a.id for a in ps.actors] == ["city", "region"]
    assert ps.actor("city").name.en == "City"
    assert ps.edition(2006).node("proj").actors[0].actor == "city"  # untouched rows kept
    import_plan(only_actor, target, overwrite=True)
    assert load_plan(target).actor("city").name.en == "Town"


def test_csv_encodings_and_delimiters_are_detected(tmp_path: Path) -> None:
    ps = tiny_planset()
    plan = ps.edition(2006).model_copy(update={"title": Text(it="Città più bella", en="City")})
    ps = ps.model_copy(update={"editions": [plan]})
    text = to_csv(ps)
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\r\n").writerows(csv.reader(io.StringIO(text)))
    for name, data in {
        "bom.csv": b"\xef\xbb\xbf" + text.encode("utf-8"),
        "excel-italian.csv": buf.getvalue().encode("cp1252"),
    }.items():
        (tmp_path / name).write_bytes(data)
        tables = read_csv(tmp_path / name)
        assert assemble(tables)[0] == ps, name


def test_bad_rows_name_table_row_and_column() -> None:
    tables = flatten(tiny_planset())
    tables["milestones"][0]["due"] = "next spring"
    tables["roles"][0]["actor"] = "ghost"
    with pytest.raises(TableError) as info:
        assemble(tables)
    p = info.value.problems[0]
    assert (p.table, p.row, p.column) == ("milestones", 2, "due")
    tables["milestones"][0]["due"] = "2007-01-01"
    with pytest.raises(TableError, match=r"table 'roles', row 2, column 'actor': unknown actor"):
        assemble(tables)


def test_unknown_columns_and_sheets_are_refused(tmp_path: Path) -> None:
    f = tmp_path / "x.csv"
    f.write_text("table,id,colour\nplanset,a,red\n")
    with pytest.raises(PlanError, match=r"unknown column\(s\) \['colour'\]"):
        read_csv(f)
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "budgets"
    wb.save(tmp_path / "x.xlsx")
    with pytest.raises(PlanError, match="unknown sheet 'budgets'"):
        read_xlsx(tmp_path / "x.xlsx")


# ---------------------------------------------------------------------- random plans
SLUG = st.from_regex(r"[a-z][a-z0-9-]{0,6}", fullmatch=True)
WORDS = st.text(alphabet=st.characters(categories=("L", "N"), include_characters=" ,.;'\"=-€àè\n"),
                min_size=1, max_size=15).map(str.strip).filter(bool)
TEXT = st.builds(Text, it=WORDS, en=WORDS)
NUM = st.floats(min_value=0, max_value=1e12, allow_nan=False)
DAY = st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31))


@st.composite
def plansets(draw: st.DrawFn) -> PlanSet:
    actors = [Actor(id=a, name=draw(TEXT), member=draw(st.booleans()))
              for a in draw(st.lists(SLUG, min_size=1, max_size=3, unique=True))]
    ind_ids = draw(st.lists(SLUG, max_size=3, unique=True))
    indicators = []
    for i in ind_ids:
        obs = [Observation(period=str(y), value=draw(st.none() | NUM), published=d)
               for y, d in draw(st.dictionaries(st.integers(2000, 2020), DAY, max_size=4)).items()]
        indicators.append(Indicator(
            id=i, name=draw(TEXT), unit=draw(TEXT), direction=draw(st.sampled_from(["increase", "decrease"])),
            baseline=draw(st.none() | st.builds(Point, value=NUM, period=st.just("2000"))),
            target=draw(st.none() | st.builds(Point, value=NUM, period=st.just("2030"))),
            observations=obs, illustrative=draw(st.booleans())))
    node_ids = draw(st.lists(SLUG, min_size=1, max_size=6, unique=True))
    parents: dict[str, str | None] = {}
    depth: dict[str, int] = {}
    for k, n in enumerate(node_ids):
        options = [p for p in node_ids[:k] if depth[p] < 2]
        parent = draw(st.none() | st.sampled_from(options)) if options else None
        parents[n] = parent
        depth[n] = 0 if parent is None else depth[parent] + 1
    built: dict[str, Node] = {}
    for n in reversed(node_ids):
        kids = [built[c] for c in node_ids if parents[c] == n]
        built[n] = Node(
            id=n, level=f"l{depth[n]}", title=draw(TEXT), children=kids,
            rollup=draw(st.sampled_from(["weighted_mean", "worst_of", "share_on_track"])),
            indicators=[IndicatorLink(indicator=i, weight=draw(NUM)) for i in
                        draw(st.lists(st.sampled_from(ind_ids), unique=True)) ] if ind_ids else [],
            actors=[Role(actor=draw(st.sampled_from([a.id for a in actors])),
                         role=draw(st.sampled_from(["lead", "partner", "funder"])))],
            budget=[BudgetLine(planned=draw(st.none() | NUM), spent=draw(st.none() | NUM),
                               label=draw(st.none() | TEXT)) for _ in range(draw(st.integers(0, 2)))],
            milestones=[Milestone(id=m, title=draw(TEXT), due=draw(st.none() | DAY))
                        for m in draw(st.lists(SLUG, max_size=2, unique=True))],
        )
    plan = Plan(edition=2006, id="p", title=draw(TEXT),
                levels=[Level(id=f"l{d}", name=draw(TEXT)) for d in range(3)],
                indicators=indicators, nodes=[built[n] for n in node_ids if parents[n] is None])
    return PlanSet(id="ps", title=draw(TEXT), actors=actors, editions=[plan])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plansets())
def test_random_plans_round_trip_through_csv_and_xlsx(ps: PlanSet) -> None:
    assert assemble(flatten(ps))[0] == ps
    tables = read_csv_text(to_csv(ps))
    assert assemble(tables)[0] == ps
    assert assemble(read_xlsx_bytes(to_xlsx_bytes(ps)))[0] == ps
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        save_plan(ps, Path(d) / "plan")
        assert load_plan(Path(d) / "plan") == ps


def read_csv_text(text: str):  # type: ignore[no-untyped-def]
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "x.csv"
        p.write_text(text, encoding="utf-8")
        return read_csv(p)


def read_xlsx_bytes(data: bytes):  # type: ignore[no-untyped-def]
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "x.xlsx"
        p.write_bytes(data)
        return read_xlsx(p)


