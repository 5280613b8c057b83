"""``innesto demo``: load an example plan into SQLite, print a short analysis, serve it."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Annotated

import typer

from innesto import examples
from innesto.cli.common import LANG, ProgressBars, Quiet, console, handle_errors
from innesto.cli.failures import require_extra
from innesto.cli.serve import (
    SETTINGS,
    THREADS,
    WORKERS,
    port_is_free,
    prepare_database,
    serve_forever,
)
from innesto.i18n import localize, tr, user_lang


def _environment(data_dir: Path) -> None:
    os.environ.setdefault("INNESTO_DATA_DIR", str(data_dir))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    # A local demo: a fresh key per data folder unless one is given.
    if not os.environ.get("SECRET_KEY"):
        key_file = data_dir / "secret_key"
        data_dir.mkdir(parents=True, exist_ok=True)
        if not key_file.exists():
            key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        os.environ["SECRET_KEY"] = key_file.read_text(encoding="utf-8").strip()


def summary() -> None:
    """Location quotients of the plan's sectors and the focus region's shift-share, from
    the engine, for the regions of the plan's ``site.yaml``."""
    from django.utils import translation
    from rich.markup import escape
    from rich.table import Table

    from innesto.plan.i18n import fmt_number
    from innesto.portal.plans.models import Sector
    from innesto.portal.sectors import evidence

    lang = user_lang()
    translation.activate(lang)  # the terminal's summary is in the user's language
    try:
        where = evidence.places()
        focus, bench = where[0], where[-1]
        table = Table(title=escape(tr(lang, "%(focus)s (%(code)s) against %(benchmark)s: "
                                      "location quotient by sector", focus=focus.name,
                                      code=focus.code, benchmark=bench.name)))
        heads = (tr(lang, "sector"), tr(lang, "codes"), tr(lang, "first year"), "LQ",
                 tr(lang, "latest year"), "LQ ")
        for i, col in enumerate(heads):
            table.add_column(col, justify="right" if i >= 2 else "left")
        for s in Sector.objects.all():
            rows = [r for r in evidence.lq_rows(s.industries)
                    if r["region"] == focus.code and r["lq"] is not None]
            if rows:
                title = getattr(s, f"title_{lang}") or s.title_it
                table.add_row(escape(title), escape(",".join(s.industries)),
                              rows[0]["time"], fmt_number(rows[0]["lq"], lang, digits=3, trim=False),
                              rows[-1]["time"], fmt_number(rows[-1]["lq"], lang, digits=3, trim=False))
        console.print(table)
        start, end, ss = evidence.shift_share_rows([])
    except evidence.EvidenceUnavailable as exc:
        console.print(tr(lang, "no evidence for this plan's regions here: %(reason)s",
                         reason=localize(exc, lang)), highlight=False, markup=False)
        return
    total = next(r for r in ss if r["industry"] == evidence.total())

    def signed(key: str) -> str:
        return ("+" if total[key] >= 0 else "") + fmt_number(total[key], lang, digits=0)

    console.print(tr(
        lang, "Shift-share of %(focus)s %(start)s-%(end)s against %(benchmark)s (classic, "
        "%(quantity)s): change %(total)s = national %(national)s + industry mix %(mix)s + "
        "competitive %(competitive)s.", focus=focus.name, start=start, end=end,
        benchmark=bench.name, quantity=evidence.site_regions().quantity.get(lang),
        total=signed("total"), national=signed("national"), mix=signed("industry_mix"),
        competitive=signed("competitive")), highlight=False, markup=False)


def register(app: typer.Typer) -> None:
    @app.command("demo", help=tr(LANG, "Load a plan (by default the first shipped example), "
                                 "print a short analysis and open the site at "
                                 "http://127.0.0.1:PORT (--no-serve stops after the "
                                 "analysis)."))
    @handle_errors
    def demo(
        plan: Annotated[str, typer.Option(
            help="The plan to load: a plan folder or file, or the name of a shipped example "
                 f"({', '.join(examples.names())}).")] = examples.DEFAULT,
        data_dir: Annotated[Path, typer.Option(
            envvar="INNESTO_DATA_DIR", help=tr(LANG, "Where the SQLite database lives."))] = Path("var"),
        port: Annotated[int, typer.Option(help=tr(LANG, "Port to serve on."))] = 8000,
        serve: Annotated[bool, typer.Option(help=tr(LANG, "Start the site after loading."))] = True,
        quiet: Quiet = False,
    ) -> None:
        require_extra("portal", "innesto demo")
        folder = examples.resolve(plan)
        if serve:
            port_is_free("127.0.0.1", port)
        _environment(data_dir.resolve())
        with ProgressBars(quiet) as bars:
            with bars.step(tr(user_lang(), "database %(folder)s", folder=data_dir)):
                prepare_database()
            from django.core.cache import cache

            from innesto.portal.plans.adapter import load_into_database

            with bars.step(tr(user_lang(), "load %(plan)s", plan=folder.name)):
                editions = load_into_database(folder)
        lang = user_lang()
        for ed in editions:
            console.print(tr(lang, "loaded edition %(edition)s: %(title)s", edition=ed.slug,
                             title=getattr(ed, f"title_{lang}") or ed.title_it), highlight=False)
        cache.clear()
        summary()
        if serve:
            console.print(tr(user_lang(), "innesto portal at %(url)s (Ctrl-C to stop)",
                             url=f"http://127.0.0.1:{port}/"))
            serve_forever("127.0.0.1", port, WORKERS, THREADS)
