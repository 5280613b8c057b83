"""``innesto demo``: load an example plan into SQLite, print a short analysis, serve it."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Annotated

import typer

from innesto import examples
from innesto.cli.common import ProgressBars, Quiet, console, handle_errors
from innesto.cli.failures import require_extra
from innesto.cli.serve import SETTINGS, port_is_free, prepare_database, serve_forever


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

    from innesto.portal.plans.models import Sector
    from innesto.portal.sectors import evidence

    translation.activate("en")  # the terminal's summary is in English
    try:
        where = evidence.places()
        focus, bench = where[0], where[-1]
        table = Table(title=escape(f"{focus.name} ({focus.code}) against {bench.name}: "
                                   "location quotient by sector"))
        for col in ("sector", "codes", "first year", "LQ", "latest year", "LQ "):
            table.add_column(col, justify="right" if col.startswith(("LQ", "first", "lat"))
                             else "left")
        for s in Sector.objects.all():
            rows = [r for r in evidence.lq_rows(s.industries)
                    if r["region"] == focus.code and r["lq"] is not None]
            if rows:
                table.add_row(escape(s.title_en), escape(",".join(s.industries)),
                              rows[0]["time"], f"{rows[0]['lq']:.3f}", rows[-1]["time"],
                              f"{rows[-1]['lq']:.3f}")
        console.print(table)
        start, end, ss = evidence.shift_share_rows([])
    except evidence.EvidenceUnavailable as exc:
        console.print(f"no evidence for this plan's regions here: {exc}", highlight=False,
                      markup=False)
        return
    total = next(r for r in ss if r["industry"] == evidence.total())
    quantity = evidence.site_regions().quantity.get("en")
    console.print(
        f"Shift-share of {focus.name} {start}-{end} against {bench.name} (classic, "
        f"{quantity}): change {total['total']:+,.0f} = national {total['national']:+,.0f} "
        f"+ industry mix {total['industry_mix']:+,.0f} "
        f"+ competitive {total['competitive']:+,.0f}.", highlight=False, markup=False)


def register(app: typer.Typer) -> None:
    @app.command("demo")
    @handle_errors
    def demo(
        plan: Annotated[str, typer.Option(
            help="The plan to load: a plan folder or file, or the name of a shipped example "
                 f"({', '.join(examples.names())}).")] = examples.DEFAULT,
        data_dir: Annotated[Path, typer.Option(
            envvar="INNESTO_DATA_DIR", help="Where the SQLite database lives.")] = Path("var"),
        port: Annotated[int, typer.Option(help="Port to serve on.")] = 8000,
        serve: Annotated[bool, typer.Option(help="Start the site after loading.")] = True,
        quiet: Quiet = False,
    ) -> None:
        """Load a plan (by default the first shipped example), print a short analysis and
        open the site at http://127.0.0.1:PORT (``--no-serve`` stops after the analysis)."""
        require_extra("portal", "innesto demo")
        folder = examples.resolve(plan)
        if serve:
            port_is_free("127.0.0.1", port)
        _environment(data_dir.resolve())
        with ProgressBars(quiet) as bars:
            with bars.step(f"database {data_dir}"):
                prepare_database()
            from django.core.cache import cache

            from innesto.portal.plans.adapter import load_into_database

            with bars.step(f"load {folder.name}"):
                editions = load_into_database(folder)
        for ed in editions:
            console.print(f"loaded edition {ed.slug}: {ed.title_en}", highlight=False)
        cache.clear()
        summary()
        if serve:
            console.print(f"innesto portal at http://127.0.0.1:{port}/ (Ctrl-C to stop)")
            serve_forever("127.0.0.1", port, 2)
