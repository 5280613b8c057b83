"""``innesto fetch nuts``: download GISCO's NUTS boundaries (GeoJSON) into the cache."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from innesto.cli.common import LANG, ProgressBars, Quiet, console, handle_errors
from innesto.errors import InnestoError
from innesto.i18n import msg, tr, user_lang


@handle_errors
def nuts_command(
    year: Annotated[int, typer.Option("--year", help=tr(LANG, "NUTS version: 2003 ... 2024."))] = 2021,
    scale: Annotated[str, typer.Option(
        "--scale", help=tr(LANG, "01M, 03M, 10M, 20M or 60M (1:1 million ... 1:60 million)."))] = "60M",
    level: Annotated[int, typer.Option("--level", help=tr(LANG, "NUTS level 0-3."))] = 3,
    crs: Annotated[int, typer.Option("--crs", help=tr(LANG, "EPSG code: 4326, 3035 or 3857."))] = 4326,
    kind: Annotated[str, typer.Option(
        "--kind", help=tr(LANG, "RG (region polygons) or LB (label points)."))] = "RG",
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", help=tr(LANG, "Also copy the GeoJSON here."))] = None,
    cache_dir: Annotated[Path | None, typer.Option(
        "--cache-dir", help=tr(LANG, "Cache folder (default: $INNESTO_CACHE_DIR/gisco or "
        "~/.cache/innesto/gisco)."))] = None,
    refresh: Annotated[bool, typer.Option(
        "--refresh", help=tr(LANG, "Download again even if a cached copy exists."))] = False,
    url: Annotated[str | None, typer.Option(
        "--url", help=tr(LANG, "Service base URL (default: $INNESTO_GISCO_URL or GISCO's)."))] = None,
    timeout: Annotated[float, typer.Option("--timeout", help=tr(LANG, "Seconds to wait."))] = 60.0,
    quiet: Quiet = False,
) -> None:
    from innesto._atomic import write_bytes
    from innesto.cli.fetch import got_line
    from innesto.sources.gisco import ATTRIBUTION, fetch_nuts

    with ProgressBars(quiet) as bars:
        got = fetch_nuts(year=year, scale=scale, level=level, crs=crs, kind=kind,
                         cache_dir=cache_dir, refresh=refresh, url=url, timeout=timeout,
                         progress=bars)
    lang = user_lang()
    console.print(got_line(got, lang), highlight=False, soft_wrap=True)
    if output is not None:
        try:
            write_bytes(output, got.path.read_bytes())
        except OSError as exc:
            raise InnestoError(msg("cannot write %(file)s: %(reason)s", file=output,
                                   reason=exc.strerror)) from None
        console.print(tr(lang, "wrote %(file)s", file=output), highlight=False, soft_wrap=True)
    console.print(ATTRIBUTION, highlight=False)


def register(fetch_app: typer.Typer) -> None:
    """Add ``nuts`` to ``innesto fetch``."""
    fetch_app.command("nuts", help=tr(LANG, "Download NUTS boundaries from Eurostat GISCO "
                                      "(GeoJSON), cached with their date."))(nuts_command)
