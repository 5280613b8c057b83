"""``innesto plan``: validate, explain the status of, export and import strategic plans."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from innesto.cli.common import LANG, handle_errors
from innesto.errors import PlanError
from innesto.i18n import msg, nmsg, nplural, tr, user_lang

plan_app = typer.Typer(help=tr(LANG, "Strategic plans as code: validate, status, export, import, "
                               "schema."), no_args_is_help=True)

PathArg = Annotated[str, typer.Argument(help=tr(LANG, "A plan file (.yaml) or folder, e.g. "
                                                "examples/<name>."))]


def _date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise PlanError(msg("%(option)s '%(value)s': expected a date such as 2015-12-31",
                            option="--as-of", value=value)) from None


@plan_app.command("validate", help=tr(LANG, "Check a plan: fields, ids, cross-references, "
                                      "sector codes and mandatory translations."))
@handle_errors
def validate(path: PathArg) -> None:
    from innesto.plan.references import dotted, translation_gaps
    from innesto.plan.yaml_io import validate_plan

    ps = validate_plan(path)
    nodes = sum(1 for plan in ps.editions for _ in plan.iter_nodes())
    inds = sum(len(plan.indicators) for plan in ps.editions)
    lang = user_lang()
    counts = ", ".join((
        nplural(lang, "%(n)d edition (%(years)s)", "%(n)d editions (%(years)s)",
                len(ps.editions), years=", ".join(str(plan.edition) for plan in ps.editions)),
        nplural(lang, "%(n)d node", "%(n)d nodes", nodes),
        nplural(lang, "%(n)d indicator", "%(n)d indicators", inds),
        nplural(lang, "%(n)d actor", "%(n)d actors", len(ps.actors)),
        nplural(lang, "%(n)d sector", "%(n)d sectors", len(ps.sectors))))
    typer.echo(tr(lang, "%(path)s: valid plan set '%(id)s': %(counts)s", path=path, id=ps.id,
                  counts=counts))
    gaps = translation_gaps(ps)
    if gaps:
        typer.echo(nplural(lang, "%(n)d text lacks an optional translation, e.g. %(examples)s",
                           "%(n)d texts lack an optional translation, e.g. %(examples)s",
                           len(gaps), examples="; ".join(f"{dotted(loc)} ({lang})"
                                                         for loc, lang in gaps[:5])))


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


@plan_app.command("status", help=tr(LANG, "The status of every node and indicator, with the "
                                    "explanation of each."))
@handle_errors
def status(
    path: PathArg,
    as_of: Annotated[str | None, typer.Option("--as-of", help=tr(
        LANG, "Report date (YYYY-MM-DD): use only the values published by then."))] = None,
    as_json: Annotated[bool, typer.Option("--json", help=tr(
        LANG, "Print JSON instead of a tree."))] = False,
    edition: Annotated[int | None, typer.Option(help=tr(
        LANG, "Only this edition (e.g. 2006)."))] = None,
    lang: Annotated[str | None, typer.Option(help=tr(
        LANG, "it, en or both (default: the language of your locale)."))] = None,
) -> None:
    from innesto.plan import compute_all, compute_status, load_plan

    lang = lang or user_lang()
    if lang not in ("it", "en", "both"):
        raise PlanError(msg("%(option)s '%(value)s': expected %(choices)s", option="--lang",
                            value=lang, choices="it, en, both"))
    ps = load_plan(path)
    when = _date(as_of)
    statuses = [compute_status(ps, when, edition=edition)] if edition else compute_all(ps, when)
    if as_json:
        typer.echo(json.dumps({"planset": ps.id, "as_of": as_of,
                               "editions": [s.to_dict() for s in statuses]},
                              ensure_ascii=False, indent=2))
        return
    if not statuses:
        typer.echo(tr(user_lang(), "no edition approved by %(date)s", date=as_of))
    for st in statuses:
        _print_status(st, lang)


@plan_app.command("export", help=tr(LANG, "Export a plan as a spreadsheet (XLSX or CSV) or "
                                    "JSON; import reads the same formats."))
@handle_errors
def export(
    path: PathArg,
    fmt: Annotated[str, typer.Option("--format", help=tr(LANG, "xlsx, csv or json."))] = "json",
    output: Annotated[Path | None, typer.Option("-o", "--output", help=tr(
        LANG, "Output file (stdout for csv and json when omitted)."))] = None,
) -> None:
    from innesto._atomic import write_bytes
    from innesto.plan import load_plan
    from innesto.plan.spreadsheet import export_plan

    if fmt not in ("xlsx", "csv", "json"):
        raise PlanError(msg("%(option)s '%(value)s': expected %(choices)s", option="--format",
                            value=fmt, choices="xlsx, csv, json"))
    if fmt == "xlsx" and output is None:
        raise PlanError(msg("--format xlsx needs -o FILE (a workbook is not text)"))
    data = export_plan(load_plan(path), fmt)
    if output is None:
        sys.stdout.write(data.decode("utf-8"))
        sys.stdout.flush()
        return
    write_bytes(output, data)
    typer.echo(nplural(user_lang(), "wrote %(path)s (%(n)d byte)", "wrote %(path)s (%(n)d bytes)",
                       len(data), path=output), err=True)


@plan_app.command("import", help=tr(
    LANG, "Merge a spreadsheet into a plan, three-way against the plan it was exported from: "
    "edits made to the plan files since the export are kept, conflicts are refused unless "
    "--overwrite; nothing is written if a row is bad."))
@handle_errors
def import_(
    file: Annotated[Path, typer.Argument(help=tr(
        LANG, "An XLSX, CSV or JSON file made by export."))],
    into: Annotated[str, typer.Option("--into", help=tr(
        LANG, "The plan file or folder to update (created when absent)."))],
    dry_run: Annotated[bool, typer.Option("--dry-run", help=tr(
        LANG, "Show the per-row diff; write nothing."))] = False,
    overwrite: Annotated[bool, typer.Option("--overwrite", help=tr(
        LANG, "Take the spreadsheet's version of conflicts with edits made to the plan files "
        "since the export."))] = False,
) -> None:
    from innesto.plan.spreadsheet import import_plan, read_export

    lang = user_lang()
    exported = read_export(file).exported
    typer.echo(tr(lang, "spreadsheet: %(file)s, exported %(when)s", file=file, when=exported)
               if exported else tr(lang, "spreadsheet: %(file)s, no export base recorded",
                                   file=file))
    typer.echo(_modified(Path(into), lang))
    result = import_plan(file, into, dry_run=dry_run, overwrite=overwrite)
    for change in result.changes:
        if change.kind not in ("unchanged",) and (change.kind != "kept" or change.reason):
            typer.echo(str(change))
    summary = _import_summary(result.summary(), lang)
    if dry_run:
        typer.echo(tr(lang, "dry run: %(summary)s; nothing written", summary=summary))
    else:
        typer.echo(nplural(lang, "imported into %(plan)s: %(summary)s; wrote %(n)d file",
                           "imported into %(plan)s: %(summary)s; wrote %(n)d files",
                           len(result.written), plan=into, summary=summary))
    if result.history is not None:
        typer.echo(tr(lang, "the plan files as they were before this import are in %(folder)s "
                      "(copy them back to restore the values overwritten)",
                      folder=result.history))
    if result.conflicts and not overwrite:
        listed = "; ".join(_conflict(c) for c in result.conflicts[:10]) + (
            "; ..." if len(result.conflicts) > 10 else "")
        if dry_run:
            raise PlanError(nmsg(
                "%(n)d conflict refused, the plan files keep their version (%(listed)s); the "
                "rest would be imported. Edit the spreadsheet or the plan files, or import "
                "again with --overwrite to take the spreadsheet's version",
                "%(n)d conflicts refused, the plan files keep their version (%(listed)s); the "
                "rest would be imported. Edit the spreadsheet or the plan files, or import "
                "again with --overwrite to take the spreadsheet's version",
                len(result.conflicts), listed=listed))
        raise PlanError(nmsg(
            "%(n)d conflict refused, the plan files keep their version (%(listed)s); the rest "
            "was imported. Edit the spreadsheet or the plan files, or import again with "
            "--overwrite to take the spreadsheet's version",
            "%(n)d conflicts refused, the plan files keep their version (%(listed)s); the rest "
            "was imported. Edit the spreadsheet or the plan files, or import again with "
            "--overwrite to take the spreadsheet's version",
            len(result.conflicts), listed=listed))


def _import_summary(counts: dict[str, int], lang: str) -> str:
    """``3 added, 1 changed, ...`` in ``lang``."""
    return ", ".join((
        nplural(lang, "%(n)d added", "%(n)d added", counts.get("added", 0)),
        nplural(lang, "%(n)d changed", "%(n)d changed", counts.get("changed", 0)),
        nplural(lang, "%(n)d removed", "%(n)d removed", counts.get("removed", 0)),
        nplural(lang, "%(n)d unchanged", "%(n)d unchanged", counts.get("unchanged", 0)),
        nplural(lang, "%(n)d kept", "%(n)d kept", counts.get("kept", 0)),
        nplural(lang, "%(n)d conflict", "%(n)d conflicts", counts.get("conflict", 0))))


def _conflict(c: Any) -> str:
    key = "/".join(k for k in c.key if k)
    fields = ", ".join(c.changes) if c.changes else c.reason
    return f"{c.table} {key}: {fields}"


def _modified(path: Path, lang: str) -> str:
    """The plan files and when they were last changed (the newest file), in words."""
    from datetime import datetime

    files = [p for p in ([path] if path.is_file() else path.rglob("*")) if p.is_file()
             and not p.name.startswith(".innesto-")] if path.exists() else []
    if not files:
        return tr(lang, "plan files: %(plan)s, new", plan=path)
    when = datetime.fromtimestamp(max(p.stat().st_mtime for p in files))
    return tr(lang, "plan files: %(plan)s, last modified %(when)s", plan=path,
              when=f"{when:%Y-%m-%d %H:%M}")


@plan_app.command("schema", help=tr(LANG, "Print the JSON Schema of plan files."))
@handle_errors
def schema() -> None:
    from innesto.plan import plan_json_schema

    typer.echo(json.dumps(plan_json_schema(), ensure_ascii=False, indent=2))


@plan_app.command("refresh", help=tr(
    LANG, "Recompute bound indicators from the evidence engine and record new or revised "
    "values as a vintage published on the given date. It only adds vintages: no value is "
    "changed or removed, so earlier reports stay unchanged; load_plan then merges them into "
    "the portal, beside the values entered in the back office."))
@handle_errors
def refresh(
    path: PathArg,
    published: Annotated[str | None, typer.Option(help=tr(
        LANG, "Release date of this data vintage (YYYY-MM-DD; default: the dataset's own "
        "release date, else today)."))] = None,
    edition: Annotated[int | None, typer.Option(help=tr(LANG, "Only this edition."))] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help=tr(
        LANG, "List the new values; write nothing."))] = False,
    panel: Annotated[Path | None, typer.Option("--panel", help=tr(
        LANG, "Panel (Parquet) to bind instead of the bindings' datasets, e.g. written by "
        "'innesto fetch eurostat -o'; its release date (Eurostat's last update of the dataset) "
        "dates the new values."))] = None,
) -> None:
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
    lang = user_lang()
    for line in _new_vintages(old, ps, lang):
        typer.echo(line)
    for key, n in added.items():
        typer.echo(nplural(lang, "%(key)s: %(n)d new or revised value",
                           "%(key)s: %(n)d new or revised values", n, key=key))
    total = sum(added.values())
    if dry_run or total == 0:
        typer.echo(nplural(lang, "%(n)d value to record; nothing written",
                           "%(n)d values to record; nothing written", total))
        return
    files = save_plan(ps, path)
    typer.echo(nplural(lang, "recorded %(n)d value released on %(date)s",
                       "recorded %(n)d values released on %(date)s", total,
                       date=when or tr(lang, "the dataset release date"))
               + "; " + nplural(lang, "wrote %(n)d file", "wrote %(n)d files", len(files)))


def _new_vintages(old: Any, new: Any, lang: str) -> list[str]:
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
                if prev is not None and prev.value is not None:
                    was = tr(lang, "was %(value)s, published %(date)s", value=f"{prev.value:g}",
                             date=prev.published) + (f", {prev.source}" if prev.source else "")
                else:
                    was = tr(lang, "new period")
                value = tr(lang, "without a value") if o.value is None else f"{o.value:g}"
                out.append("+ " + tr(lang, "value %(key)s %(period)s: %(value)s published "
                                     "%(date)s (%(was)s)", key=f"{plan.edition}/{ind.id}",
                                     period=o.period, value=value, date=o.published, was=was))
    return out


@plan_app.command("datapackage", help=tr(LANG, "Write indicator data as Open SDG tidy CSV "
                                         "with a Frictionless Data Package."))
@handle_errors
def datapackage(
    path: PathArg,
    output: Annotated[Path, typer.Option("-o", "--output", help=tr(LANG, "Folder to write."))],
    as_of: Annotated[str | None, typer.Option("--as-of", help=tr(
        LANG, "Values published by then."))] = None,
) -> None:
    from innesto.plan import load_plan
    from innesto.plan.frictionless import write_datapackage

    files = write_datapackage(load_plan(path), output, as_of=_date(as_of))
    typer.echo(nplural(user_lang(), "wrote %(n)d file to %(folder)s",
                       "wrote %(n)d files to %(folder)s", len(files), folder=output))


def register(app: typer.Typer) -> None:
    app.add_typer(plan_app, name="plan")
