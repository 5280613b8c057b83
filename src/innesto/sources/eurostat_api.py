"""Download a dataset from Eurostat's dissemination API as SDMX-CSV, cache it, read it.

The query is the SDMX 3.0 form Eurostat documents::

    {base}/sdmx/3.0/data/dataflow/ESTAT/{dataset}/1.0?c[geo]=ITC11,ITC1,IT
        &c[TIME_PERIOD]=ge:2008+le:2017&format=csvdata&formatVersion=2.0&compress=false

(``c[dim]=a,b`` keeps the codes a or b of a dimension; ``ge:``/``le:`` bound the time).
``base`` is ``https://ec.europa.eu/eurostat/api/dissemination`` unless the environment
variable ``INNESTO_EUROSTAT_URL`` or the ``base_url`` argument says otherwise (tests point
it at a local server). The response is stored in a cache folder with a JSON sidecar that
records the URL, the retrieval date and the dataset's release date; later calls reuse it
unless ``refresh=True``.

The release date of the data vintage is the dataset's "last update of data" in Eurostat's
table of contents (``{base}/catalogue/toc/txt?lang=en``, a tab-separated file with the
columns ``title``, ``code``, ``type``, ``last update of data`` as ``DD.MM.YYYY``, ...),
read when the data are downloaded: values bound from the panel are dated by it, so an
as-of report shows them from the day Eurostat published them (see
:func:`innesto.plan.binding.resolve`).
HTTP and API failures (unknown dataset, bad filter, too large, server errors, time-outs,
Eurostat's JSON or XML error bodies) raise :class:`~innesto.errors.FetchError` naming the
URL.
"""

from __future__ import annotations

import datetime as _dt
import gzip
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

from innesto._progress import Progress
from innesto.errors import FetchError, SourceError
from innesto.i18n import N_, Message, msg
from innesto.panel import Panel
from innesto.sources import _http, limits
from innesto.sources import _parse as P
from innesto.sources._http import stream_download
from innesto.sources.report import ReadReport
from innesto.sources.sdmx_csv import read_sdmx_csv

DEFAULT_BASE_URL = "https://ec.europa.eu/eurostat/api/dissemination"
ENV_BASE_URL = "INNESTO_EUROSTAT_URL"
ENV_CACHE_DIR = _http.ENV_CACHE_DIR
MAX_BYTES = 512 * 1024 * 1024
_ID = re.compile(r"[A-Za-z][A-Za-z0-9_$]{0,63}")
_CODE = re.compile(r"[A-Za-z0-9_.\-:+]{1,64}")
_HTTP_MEANING = {
    400: N_("bad request: check the filter's dimension names and codes"),
    401: N_("not authorised"),
    403: N_("forbidden"),
    404: N_("not found: unknown dataset, or no data for these filters"),
    406: N_("the requested format is not available"),
    413: N_("the request is too large: narrow it with --filter"),
    429: N_("too many requests: wait and try again"),
    500: N_("Eurostat's server failed"),
    502: N_("bad gateway"),
    503: N_("Eurostat's service is unavailable (maintenance?)"),
    504: N_("Eurostat's gateway timed out"),
}


@dataclass(frozen=True)
class Download:
    """A cached download: the data file, the URL, when it was retrieved, from cache or not."""

    path: Path
    url: str
    dataset: str
    retrieved: str
    from_cache: bool
    bytes: int
    sha256: str
    #: the dataset's "last update of data" at Eurostat (ISO date), "" when unknown
    released: str = ""
    #: why ``released`` is unknown (the table of contents could not be read)
    released_note: str = ""


def base_url(url: str | None = None) -> str:
    """The API base: ``url``, else ``$INNESTO_EUROSTAT_URL``, else Eurostat's."""
    return _http.base_url(url, ENV_BASE_URL, DEFAULT_BASE_URL)


def default_cache_dir() -> Path:
    """Where downloads are cached (see :func:`innesto.sources._http.cache_dir`)."""
    return _http.cache_dir("eurostat")


def data_url(
    dataset: str,
    filters: Mapping[str, str | Sequence[str]] | None = None,
    *,
    start: str | None = None,
    end: str | None = None,
    url: str | None = None,
) -> str:
    """The SDMX 3.0 data query for ``dataset`` with ``c[dim]=codes`` filters.

    >>> data_url("nama_10r_3empers", {"geo": "ITC11,IT", "unit": ["THS"]}, start="2008",
    ...          url="http://127.0.0.1:8000")  # doctest: +NORMALIZE_WHITESPACE
    'http://127.0.0.1:8000/sdmx/3.0/data/dataflow/ESTAT/nama_10r_3empers/1.0?c[geo]=ITC11,IT&c[unit]=THS&c[TIME_PERIOD]=ge:2008&format=csvdata&formatVersion=2.0&compress=false'
    """
    where = f"{base_url(url)}/sdmx/3.0/data/dataflow/ESTAT/{dataset}/1.0"
    if not _ID.fullmatch(dataset):
        raise FetchError(msg("bad dataset code %(dataset)s", dataset=repr(dataset)), path=where,
                         expected=msg("a Eurostat code such as nama_10r_3empers"))
    params = [_filter_param(where, dim, want) for dim, want in (filters or {}).items()]
    params += _period_param(where, start, end)
    params += ["format=csvdata", "formatVersion=2.0", "compress=false"]
    return where + "?" + "&".join(params)


def _filter_param(where: str, dim: str, want: str | Sequence[str]) -> str:
    """``c[geo]=ITC11,IT`` for the filter ``geo="ITC11,IT"`` (checked codes only)."""
    codes = P.split_values(want)
    if not _ID.fullmatch(dim) or not codes or not all(_CODE.fullmatch(c) for c in codes):
        raise FetchError(msg("bad filter %(dim)s=%(want)s", dim=dim, want=repr(want)), path=where,
                         expected=msg("dimension=code[,code...], e.g. geo=DE21,DE2,DE"))
    return f"c[{dim}]={quote(','.join(codes), safe=',:+')}"


def _period_param(where: str, start: str | None, end: str | None) -> list[str]:
    """``["c[TIME_PERIOD]=ge:2008+le:2017"]`` for the bounds given (none: ``[]``)."""
    bounds = [b for b in (f"ge:{start}" if start else "", f"le:{end}" if end else "") if b]
    for b in bounds:
        if not _CODE.fullmatch(b):
            raise FetchError(msg("bad period bound %(b)s", b=repr(b)), path=where, expected=msg("e.g. 2008"))
    return ["c[TIME_PERIOD]=" + "+".join(bounds)] if bounds else []


def fetch_eurostat(
    dataset: str,
    filters: Mapping[str, str | Sequence[str]] | None = None,
    *,
    start: str | None = None,
    end: str | None = None,
    cache_dir: str | Path | None = None,
    refresh: bool = False,
    url: str | None = None,
    timeout: float = 120.0,
    max_bytes: int = MAX_BYTES,
    progress: Progress | None = None,
) -> Download:
    """Download (or take from the cache) a Eurostat dataset as SDMX-CSV 2.0.

    Returns a :class:`Download` naming the cached file and its retrieval date (UTC).
    ``progress(step, bytes so far, total or None)`` is called while downloading.
    """
    query = data_url(dataset, filters, start=start, end=end, url=url)
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    stem = f"{dataset}-{hashlib.sha256(query.encode()).hexdigest()[:16]}"
    record: dict[str, Any] = {
        "dataset": dataset,
        "filters": {k: P.split_values(v) for k, v in (filters or {}).items()},
        "released": "", "released_note": ""}

    def fetch(data: Path) -> tuple[str, int]:
        out = _download(query, data, timeout=timeout, max_bytes=max_bytes, progress=progress)
        try:  # the vintage's release date, read with the data (kept in the sidecar)
            record["released"] = last_update(dataset, url=url, timeout=timeout)
        except FetchError as exc:
            record["released_note"] = str(exc)
        return out

    got = _http.cached_download(query, folder / f"{stem}.csv", refresh=refresh,
                                download=fetch, record=record)
    return Download(path=got["path"], url=query, dataset=str(got["dataset"]),
                    retrieved=got["retrieved"], from_cache=got["from_cache"],
                    bytes=got["bytes"], sha256=got["sha256"],
                    released=str(got["released"]), released_note=str(got["released_note"]))


def read_eurostat(
    dataset: str,
    filters: Mapping[str, str | Sequence[str]] | None = None,
    *,
    start: str | None = None,
    end: str | None = None,
    cache_dir: str | Path | None = None,
    refresh: bool = False,
    url: str | None = None,
    timeout: float = 120.0,
    **reader_options: Any,
) -> tuple[Panel, ReadReport]:
    """Fetch ``dataset`` (see :func:`fetch_eurostat`) and read it with
    :func:`~innesto.sources.sdmx_csv.read_sdmx_csv`; the report notes the URL and the
    retrieval date, and the attribution names the dataset and the date."""
    got = fetch_eurostat(dataset, filters, start=start, end=end, cache_dir=cache_dir,
                         refresh=refresh, url=url, timeout=timeout)
    return read_download(got, **reader_options)


def read_download(got: Download, **reader_options: Any) -> tuple[Panel, ReadReport]:
    """Read a :class:`Download` with the SDMX-CSV reader, noting its URL and date."""
    panel, report = read_sdmx_csv(got.path, **reader_options)
    report.notes.insert(0, f"retrieved {got.retrieved} from {got.url}"
                        + (" (cached copy)" if got.from_cache else ""))
    report.notes.insert(1, f"released {got.released} (last update of data in Eurostat's "
                        "table of contents)" if got.released else
                        "release date unknown (" + (got.released_note or "not recorded")
                        + "): values bound from this panel are dated by their retrieval")
    attribution = f"Source: Eurostat, {got.dataset} (retrieved {got.retrieved[:10]})"
    meta = replace(panel.meta, attribution=attribution, dataset=got.dataset,
                   released=got.released or panel.meta.released)
    return Panel(panel.table, meta), report


def toc_url(url: str | None = None) -> str:
    """The English table of contents (TXT) of the API at ``url``.

    >>> toc_url("http://127.0.0.1:8000")
    'http://127.0.0.1:8000/catalogue/toc/txt?lang=en'
    """
    return f"{base_url(url)}/catalogue/toc/txt?lang=en"


def last_update(dataset: str, *, url: str | None = None, timeout: float = 120.0,
                max_bytes: int = 64 * 1024 * 1024) -> str:
    """The "last update of data" of ``dataset`` in Eurostat's table of contents, as an ISO
    date: the release date of the data the API serves now.

    Raises :class:`~innesto.errors.FetchError` naming the URL when the table cannot be
    read or does not list the dataset.
    """
    import tempfile

    where = toc_url(url)
    with tempfile.TemporaryDirectory(prefix="innesto-toc-") as tmp:
        target = Path(tmp) / "toc.txt"
        stream_download(where, target, timeout=timeout, max_bytes=max_bytes,
                        on_error=lambda status, body: _http_error(where, status, body))
        raw = target.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = limits.gunzip(raw, where)
    return toc_last_update(raw.decode("utf-8-sig", errors="replace"), dataset, where)


def toc_last_update(text: str, dataset: str, where: str = "the table of contents") -> str:
    """``dataset``'s "last update of data" in the text of a TOC file, as an ISO date.

    >>> toc = ('"title"\\t"code"\\t"type"\\t"last update of data"\\t"last table structure '
    ...        'change"\\t"data start"\\t"data end"\\t"values"\\n"    Employment"\\t'
    ...        '"nama_10r_3empers"\\t"dataset"\\t"16.04.2024"\\t"16.04.2024"\\t"1995"\\t'
    ...        '"2022"\\t"1187542"\\n')
    >>> toc_last_update(toc, "nama_10r_3empers")
    '2024-04-16'
    """
    import csv
    import io

    rows = csv.reader(io.StringIO(text), delimiter="\t", quotechar='"')
    header = [h.strip().lower() for h in next(rows, [])]
    if "code" not in header or "last update of data" not in header:
        raise FetchError(msg("not Eurostat's table of contents (no columns code and 'last update "
                         "of data')"), path=where, expected=msg("the TOC in TXT format"))
    code, upd = header.index("code"), header.index("last update of data")
    for row in rows:
        if len(row) > max(code, upd) and row[code].strip().lower() == dataset.lower():
            day = row[upd].strip()
            try:
                return _dt.datetime.strptime(day, "%d.%m.%Y").date().isoformat()
            except ValueError:
                raise FetchError(msg("%(dataset)s: last update %(day)s is not a date",
                                 dataset=dataset, day=repr(day)), path=where,
                                 expected=msg("DD.MM.YYYY")) from None
    raise FetchError(msg("%(dataset)s is not in Eurostat's table of contents", dataset=dataset), path=where)


# ---------------------------------------------------------------------------- helpers
def _download(
    query: str, target: Path, *, timeout: float, max_bytes: int,
    progress: Progress | None = None,
) -> tuple[str, int]:
    """Stream ``query`` into ``target`` atomically; return (sha256, size)."""
    return stream_download(
        query, target, timeout=timeout, max_bytes=max_bytes,
        check=lambda tmp: _check_body(query, tmp), headers={"Accept-Encoding": "gzip"},
        on_error=lambda status, body: _http_error(query, status, body),
        too_big_hint=msg("; narrow it with --filter"), progress=progress)


def _check_body(query: str, path: Path) -> None:
    """A 200 answer must be SDMX-CSV; Eurostat sometimes answers 200 with a message."""
    with path.open("rb") as fh:
        head = fh.read(65536)
    if head[:2] == b"\x1f\x8b":
        try:
            with gzip.open(path) as gz:
                head = gz.read(65536)
        except (OSError, EOFError) as exc:
            raise FetchError(msg("broken gzip response (%(exc)s)", exc=exc), path=query) from None
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff \r\n\t")
    if text.startswith(("STRUCTURE,", "DATAFLOW,", '"STRUCTURE"', '"DATAFLOW"')):
        return
    if not text:
        raise FetchError(msg("empty response"), path=query, expected=msg("SDMX-CSV"))
    message = _api_message(head)
    if re.search(r"SUBMITTED|PROCESSING|QUEUED|asynchronous", text, re.I):
        raise FetchError(msg(
            "Eurostat is preparing this extraction asynchronously; try again in a few "
            "minutes, or narrow it with --filter%(api)s",
            api=f" (API: {message})" if message else ""), path=query)
    raise FetchError(msg("the answer is not SDMX-CSV (API: %(what)s)",
                     what=repr(message or text[:200])),
                     path=query, expected=msg("SDMX-CSV"))


def _http_error(query: str, status: int, body: bytes) -> FetchError:
    meaning = Message(_HTTP_MEANING.get(status) or (
        N_("Eurostat's server failed") if status >= 500 else N_("the request was refused")))
    message = _api_message(body)
    return FetchError(msg("HTTP %(status)s, %(meaning)s%(api)s", status=status, meaning=meaning,
                          api=f" (API: {message})" if message else ""), path=query)


def _api_message(body: bytes) -> str:
    """The message in Eurostat's JSON (``{"error": [{"label": ...}]}``) or XML error body
    (``<faultstring>``, ``<com:Text>``, ``ErrorMessage``), or its text, shortened."""
    if body[:2] == b"\x1f\x8b":
        try:
            body = limits.gunzip(body, "the response")
        except SourceError:
            return ""
    text = body.decode("utf-8", errors="replace").strip()
    if not text:
        return ""
    try:
        found = _json_labels(json.loads(text))
        if found:
            return "; ".join(found)[:500]
    except ValueError:
        pass
    parts = re.findall(
        r"<(?:\w+:)?(?:Text|faultstring|ErrorMessage|message|title)\b[^>]*>([^<]+)<", text)
    if parts:
        return "; ".join(p.strip() for p in parts if p.strip())[:500]
    plain = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\s+", " ", plain).strip()[:300]


def _json_labels(obj: Any) -> list[str]:
    out: list[str] = []
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k.lower() in {"label", "message", "detail", "title", "text"} and isinstance(
                    v, str | int):
                code = obj.get("id") or obj.get("code")
                out.append(f"{code} {v}" if code is not None else str(v))
            else:
                out.extend(_json_labels(v))
    elif isinstance(obj, list):
        for v in obj:
            out.extend(_json_labels(v))
    return out
