"""``innesto plan``: validate, explain the status of, export and import strategic plans."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from innesto.cli.common import handle_errors
from innesto.errors import PlanError

plan_app = typer.Typer(help="Strategic plans as code: validate, status, export, import, schema.",
                       no_args_is_help=True)

PathArg = Annotated[str, typer.Argument(help="A plan file (.yaml) or folder, e.g. examples/<name>.")]


def _date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise PlanError(f"--as-of {value!r}: expected a date such as 2015-12-31") from None


@plan_app.command("validate")
@handle_errors
def validate(path: PathArg) -> None:
    """Check a plan: fields, ids, cross-references, sector codes and mandatory translations."""
    from innesto.plan.references import dotted, translation_gaps
    from innesto.plan.yaml_io import validate_plan

    ps = validate_plan(path)
    nodes = sum(1 for plan in ps.editions for _ in plan.iter_nodes())
    inds = sum(len(plan.indicators) for plan in ps.editions)
    typer.echo(f"{path}: valid plan set '{ps.id}': {len(ps.editions)} edition(s) "
               f"({', '.join(str(plan.edition) for plan in ps.editions)}), {nodes} nodes, "
               f"{inds} indicators, {len(ps.actors)} actors, {len(ps.sectors)} sectors")
    gaps = translation_gaps(ps)
    if gaps:
        typer.echo(f"{len(gaps)} text(s) lack an optional translation, e.g. "
                   + "; ".join(f"{dotted(loc)} ({lang})" for loc, lang in gaps[:5]))


def _flags(illustrative: bool, provisional: bool = False, lang: str = "en") -> str:
    from innesto.plan.i18n import both

    out = []
    if illustrative:
        out.append(_text(both("illustrative"), lang))
    if provisional:
        out.append(_text(both("provisional"), lang))
    return f" [{', '.join(out)}]" if out else ""


def _text(t: Any, lang: str) -> str:
    if lang == "both":
        return f"{t.get('it')} | {t.get('en')}"
    return str(t.get(lang))


def _print_status(st: Any, lang: str) -> None:
    from innesto.plan.delivery import DELIVERY_LABELS
    from innesto.plan.i18n import both

    if st.as_of:
        when = both("as of %(date)s", date=st.as_of.isoformat())
    else:
        when = both("all published values")
    typer.echo(f"{_text(st.title, lang)} ({st.edition}) — {_text(when, lang)}")
    for node in st.tree():
        pad = "  " * (node.depth + 1)
        typer.echo(f"{pad}{_text(node.title, lang)} [{_text(node.level_name, lang)}] "
                   f"/{node.url}{_flags(node.illustrative, lang=lang)}")
        typer.echo(f"{pad}  {_text(both('outcome'), lang)}: "
                   f"{_text(node.label, lang)} — {_text(node.explanation, lang)}")
        d = node.delivery
        typer.echo(f"{pad}  {_text(both('delivery'), lang)}: "
                   f"{_text(DELIVERY_LABELS[d.status], lang)} — {_text(d.explanation, lang)}"
                   f"{_flags(d.illustrative, lang=lang)}")
        for part in node.parts:
            if part.kind != "indicator":
                continue
            ind = st.indicators[part.id]
            w = "" if part.weight == 1 else f" (w={part.weight:g})"
            typer.echo(f"{pad}  • {_text(ind.name, lang)}{w}: {_text(ind.label, lang)}"
                       f"{_flags(ind.illustrative, ind.provisional, lang)} — {_text(ind.explanation, lang)}")


@plan_app.command("status")
@handle_errors
def status(
    path: PathArg,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Report date (YYYY-MM-DD): "
                                              "use only the values published by then.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a tree.")] = False,
    edition: Annotated[int | None, typer.Option(help="Only this edition (e.g. 2006).")] = None,
    lang: Annotated[str, typer.Option(help="it, en or both.")] = "en",
) -> None:
    """The status of every node and indicator, with the explanation of each."""
    from innesto.plan import compute_all, compute_status, load_plan

    if lang not in ("it", "en", "both"):
        raise PlanError(f"--lang {lang!r}: expected it, en or both")
    ps = load_plan(path)
    when = _date(as_of)
    statuses = [compute_status(ps, when, edition=edition)] if edition else compute_all(ps, when)
    if as_json:
        typer.echo(json.dumps({"planset": ps.id, "as_of": as_of,
                               "editions": [s.to_dict() for s in statuses]},
                              ensure_ascii=False, indent=2))
        return
    if not statuses:
        typer.echo(f"no edition approved by {as_of}")
    for st in statuses:
        _print_status(st, lang)


@plan_app.command("export")
@handle_errors
def export(
    path: PathArg,
    fmt: Annotated[str, typer.Option("--format", help="xlsx, csv or json.")] = "json",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Output file "
                                                "(stdout for csv and json when omitted).")] = None,
) -> None:
    """Export a plan as a spreadsheet (XLSX or CSV) or JSON; import reads the same formats."""
    from innesto._atomic import write_bytes
    from innesto.plan import load_plan
    from innesto.plan.spreadsheet import export_plan

    if fmt not in ("xlsx", "csv", "json"):
        raise PlanError(f"--format {fmt!r}: expected xlsx, csv or json")
    if fmt == "xlsx" and output is None:
        raise PlanError("--format xlsx needs -o FILE (a workbook is not text)")
    data = export_plan(load_plan(path), fmt)
    if output is None:
        sys.stdout.write(data.decode("utf-8"))
        sys.stdout.flush()
        return
    write_bytes(output, data)
    typer.echo(f"wrote {output} ({len(data):,} bytes)", err=True)


@plan_app.command("import")
@handle_errors
def import_(
    file: Annotated[Path, typer.Argument(help="An XLSX, CSV or JSON file made by export.")],
    into: Annotated[str, typer.Option("--into", help="The plan file or folder to update "
                                      "(created when absent).")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the per-row diff; write "
                                          "nothing.")] = False,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Take the spreadsheet's "
                                            "version of conflicts with edits made to the "
                                            "plan files since the export.")] = False,
) -> None:
    """Merge a spreadsheet into a plan, three-way against the plan it was exported from:
    edits made to the plan files since the export are kept, conflicts are refused unless
    --overwrite; nothing is written if a row is bad."""
    from innesto.plan.spreadsheet import import_plan, read_export

    exported = read_export(file).exported
    typer.echo(f"spreadsheet: {file}, "
               + (f"exported {exported}" if exported else "no export base recorded"))
    typer.echo(f"plan files: {into}, " + _modified(Path(into)))
    result = import_plan(file, into, dry_run=dry_run, overwrite=overwrite)
    for change in result.changes:
        if change.kind not in ("unchanged",) and (change.kind != "kept" or change.reason):
            typer.echo(str(change))
    counts = result.summary()
    summary = ", ".join(f"{counts.get(k, 0)} {k}" for k in
                        ("added", "changed", "removed", "unchanged", "kept", "conflict"))
    if dry_run:
        typer.echo(f"dry run: {summary}; nothing written")
    else:
        typer.echo(f"imported into {into}: {summary}; wrote {len(result.written)} file(s)")
    if result.history is not None:
        typer.echo(f"the plan files as they were before this import are in {result.history} "
                   "(copy them back to restore the values overwritten)")
    if result.conflicts and not overwrite:
        raise PlanError(
            f"{len(result.conflicts)} conflict(s) refused, the plan files keep their version "
            f"({'; '.join(_conflict(c) for c in result.conflicts[:10])}"
            f"{'; ...' if len(result.conflicts) > 10 else ''}); "
            + ("the rest would be imported" if dry_run else "the rest was imported")
            + ". Edit the spreadsheet or the plan files, or import again with --overwrite "
              "to take the spreadsheet's version")


def _conflict(c: Any) -> str:
    key = "/".join(k for k in c.key if k)
    fields = ", ".join(c.changes) if c.changes else c.reason
    return f"{c.table} {key}: {fields}"


def _modified(path: Path) -> str:
    """When the plan files were last changed (the newest file), in words."""
    from datetime import datetime

    files = [p for p in ([path] if path.is_file() else path.rglob("*")) if p.is_file()
             and not p.name.startswith(".innesto-")] if path.exists() else []
    if not files:
        return "new"
    when = datetime.fromtimestamp(max(p.stat().st_mtime for p in files))
    return f"last modified {when:%Y-%m-%d %H:%M}"


@plan_app.command("schema")
@handle_errors
def schema() -> None:
    """Print the JSON Schema of plan files."""
    from innesto.plan import plan_json_schema

    typer.echo(json.dumps(plan_json_schema(), ensure_ascii=False, indent=2))


@plan_app.command("refresh")
@handle_errors
def refresh(
    path: PathArg,
    published: Annotated[str | None, typer.Option(help="Release date of this data vintage "
                                                  "(YYYY-MM-DD; default: the dataset's own "
                                                  "release date, else today).")] = None,
    edition: Annotated[int | None, typer.Option(help="Only this edition.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List the new values; write "
                                          "nothing.")] = False,
    panel: Annotated[Path | None, typer.Option(
        "--panel", help="Panel (Parquet) to bind instead of the bindings' datasets, e.g. "
        "written by 'innesto fetch eurostat -o'; its release date (Eurostat's last update "
        "of the dataset) dates the new values.")] = None,
) -> None:
    """Recompute bound indicators from the evidence engine and record new or revised values
    as a vintage published on the given date. It only adds vintages: no value is changed or
    removed, so earlier reports stay unchanged; ``load_plan`` then merges them into the
    portal, beside the values entered in the back office."""
    from innesto.plan import load_plan, save_plan
    from innesto.plan.binding import refresh as refresh_plan

    when = _date(published)
    old = load_plan(path)
    data = None
    if panel is not None:
        from innesto.panel import Panel

        data = Panel.read_parquet(panel)
        when = when or (date.fromisoformat(data.meta.released) if data.meta.released else None)
    ps, added = refresh_plan(old, data, published=when, retrieved=date.today(),
                             edition=edition)
    for line in _new_vintages(old, ps):
        typer.echo(line)
    for key, n in added.items():
        typer.echo(f"{key}: {n} new or revised value(s)")
    total = sum(added.values())
    if dry_run or total == 0:
        typer.echo(f"{total} value(s) to record; nothing written")
        return
    files = save_plan(ps, path)
    typer.echo(f"recorded {total} value(s) released on {when or 'the dataset release date'}; "
               f"wrote {len(files)} file(s)")


def _new_vintages(old: Any, new: Any) -> list[str]:
    """One line per vintage the refresh adds, with the value it revises (and when that one
    was published, and by whom)."""
    held = {(p.edition, i.id): i.observations for p in old.editions for i in p.indicators}
    out = []
    for plan in new.editions:
        for ind in plan.indicators:
            before = held.get((plan.edition, ind.id), [])
            known = {(o.period, o.published) for o in before}
            for o in ind.observations:
                if (o.period, o.published) in known:
                    continue
                prev = max((b for b in before if b.period == o.period),
                           key=lambda b: b.published, default=None)
                was = (f" (was {prev.value:g}, published {prev.published}"
                       f"{', ' + prev.source if prev.source else ''})"
                       if prev is not None and prev.value is not None else " (new period)")
                value = "no value" if o.value is None else f"{o.value:g}"
                out.append(f"+ value {plan.edition}/{ind.id} {o.period}: {value} "
                           f"published {o.published}{was}")
    return out


@plan_app.command("datapackage")
@handle_errors
def datapackage(
    path: PathArg,
    output: Annotated[Path, typer.Option("-o", "--output", help="Folder to write.")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="Values published by then.")] = None,
) -> None:
    """Write indicator data as Open SDG tidy CSV with a Frictionless Data Package."""
    from innesto.plan import load_plan
    from innesto.plan.frictionless import write_datapackage

    files = write_datapackage(load_plan(path), output, as_of=_date(as_of))
    typer.echo(f"wrote {len(files)} file(s) to {output}")


def register(app: typer.Typer) -> None:
    app.add_typer(plan_app, name="plan")
