"""``innesto fetch eurostat DATASET``: download from Eurostat's API, cache, read, write.

Other sources can add their commands to :data:`fetch_app`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from innesto.cli.common import LANG, ProgressBars, Quiet, console, handle_errors
from innesto.cli.ingest import parse_options, write_json_atomic
from innesto.errors import InnestoError
from innesto.i18n import msg, tr, user_lang

fetch_app = typer.Typer(
    name="fetch",
    help=tr(LANG, "Download data from a statistics office's API (cached on disk with its "
            "date)."),
    no_args_is_help=True,
)


@fetch_app.command("eurostat", help=tr(
    LANG, "Download DATASET as SDMX-CSV, cache it with its retrieval date, read it."))
@handle_errors
def eurostat_command(
    dataset: Annotated[str, typer.Argument(help=tr(LANG, "Eurostat dataset code, e.g. nama_10r_3empers."))],
    filter: Annotated[list[str] | None, typer.Option(
        "--filter", "-f", metavar="DIM=CODES",
        help=tr(LANG, "Keep these codes of a dimension, repeatable: --filter geo=DE21,DE2,DE "
        "--filter unit=THS."))] = None,
    start: Annotated[str | None, typer.Option("--start", help=tr(LANG, "First period, e.g. 2008."))] = None,
    end: Annotated[str | None, typer.Option("--end", help=tr(LANG, "Last period, e.g. 2017."))] = None,
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", help=tr(LANG, "Panel (Parquet) to write; without it, only download and "
        "report."))] = None,
    cache_dir: Annotated[Path | None, typer.Option(
        "--cache-dir", help=tr(LANG, "Cache folder (default: $INNESTO_CACHE_DIR/eurostat or "
        "~/.cache/innesto/eurostat)."))] = None,
    refresh: Annotated[bool, typer.Option(
        "--refresh", help=tr(LANG, "Download again even if a cached copy exists."))] = False,
    url: Annotated[str | None, typer.Option(
        "--url", help=tr(LANG, "API base URL (default: $INNESTO_EUROSTAT_URL or Eurostat's)."))] = None,
    timeout: Annotated[float, typer.Option("--timeout", help=tr(LANG, "Seconds to wait."))] = 120.0,
    region: Annotated[str | None, typer.Option(
        "--region", help=tr(LANG, "Dimension that becomes the region (default geo)."))] = None,
    industry: Annotated[str | None, typer.Option(
        "--industry", help=tr(LANG, "Dimension that becomes the industry (default nace_r2)."))] = None,
    option: Annotated[list[str] | None, typer.Option(
        "--option", "-O", metavar="KEY=VALUE", help=tr(LANG, "Other reader option, repeatable."))] = None,
    report_json: Annotated[Path | None, typer.Option(
        "--report-json", help=tr(LANG, "Also write the read report as JSON here."))] = None,
    quiet: Quiet = False,
) -> None:
    from innesto.sources.eurostat_api import fetch_eurostat, read_download

    filters = parse_filters(filter)
    opts: dict[str, Any] = parse_options(option)
    opts.update({k: v for k, v in (("region", region), ("industry", industry)) if v})
    with ProgressBars(quiet) as bars:
        got = fetch_eurostat(dataset, filters, start=start, end=end, cache_dir=cache_dir,
                             refresh=refresh, url=url, timeout=timeout, progress=bars)
    # said before reading, so that a file that cannot be read is named with its cache path
    lang = user_lang()
    console.print(got_line(got, lang), highlight=False, soft_wrap=True)
    with ProgressBars(quiet) as bars, bars.step(tr(lang, "read %(file)s", file=got.path.name)):
        panel, report = read_download(got, **opts)
    console.print(report.summary(lang), highlight=False, soft_wrap=True)
    try:
        if output is not None:
            panel.write_parquet(output)
        if report_json is not None:
            write_json_atomic({**report.to_dict(), "url": got.url, "retrieved": got.retrieved,
                               "released": got.released or None, "cache": str(got.path)},
                              report_json)
    except OSError as exc:
        raise InnestoError(msg("cannot write %(file)s: %(reason)s", file=exc.filename or output,
                               reason=exc.strerror)) from None
    if output is not None:
        console.print(tr(lang, "wrote %(file)s: %(panel)s", file=output, panel=repr(panel)),
                      highlight=False, soft_wrap=True)
    console.print(panel.meta.attribution, highlight=False)


def got_line(got: Any, lang: str) -> str:
    """What was downloaded (or found in the cache), when, how big, and where it is."""
    values = {"url": got.url, "date": got.retrieved, "size": f"{got.bytes:,}", "path": got.path}
    if got.from_cache:
        return tr(lang, "cached copy of %(url)s (retrieved %(date)s, %(size)s bytes) -> %(path)s",
                  **values)
    return tr(lang, "downloaded %(url)s (retrieved %(date)s, %(size)s bytes) -> %(path)s",
              **values)


def parse_filters(pairs: list[str] | None) -> dict[str, str]:
    """``["geo=ITC11,IT", "unit=THS"]`` -> ``{"geo": "ITC11,IT", "unit": "THS"}``."""
    out: dict[str, str] = {}
    for pair in pairs or []:
        dim, sep, codes = pair.partition("=")
        if not sep or not dim.strip() or not codes.strip():
            raise InnestoError(msg("--filter '%(pair)s' is not DIM=CODES (e.g. "
                                   "geo=DE21,DE2,DE)", pair=pair))
        out[dim.strip()] = ",".join(c for c in (out.get(dim.strip(), ""), codes.strip()) if c)
    return out


def register(app: typer.Typer) -> None:
    """Add ``innesto fetch`` (with ``eurostat`` and ``nuts``) to the root app."""
    from innesto.cli import fetch_nuts
    fetch_nuts.register(fetch_app)
    app.add_typer(fetch_app)
