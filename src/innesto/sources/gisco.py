"""Download NUTS boundaries (GeoJSON) from Eurostat GISCO's distribution service and cache them.

The file layout is GISCO's::

    {base}/distribution/v2/nuts/geojson/NUTS_RG_60M_2021_4326_LEVL_3.geojson

(``RG`` regions; ``LB`` label points, whose names carry no scale:
``NUTS_LB_2021_4326_LEVL_3.geojson``). ``base`` is ``https://gisco-services.ec.europa.eu``
unless the ``url`` argument or ``$INNESTO_GISCO_URL`` says otherwise. Files are cached in
``$INNESTO_CACHE_DIR/gisco`` (else ``~/.cache/innesto/gisco``) with a JSON sidecar (URL,
options, retrieval date, size, sha256) and reused unless ``refresh=True``.
Attribution required by GISCO: "© EuroGeographics for the administrative boundaries".
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from innesto._progress import Progress
from innesto.errors import FetchError
from innesto.i18n import msg
from innesto.sources import _http, limits
from innesto.sources._geojson import FeatureStream, NotJSON
from innesto.sources._http import stream_download

DEFAULT_BASE_URL = "https://gisco-services.ec.europa.eu"
ENV_BASE_URL = "INNESTO_GISCO_URL"
ENV_CACHE_DIR = _http.ENV_CACHE_DIR
ATTRIBUTION = "© EuroGeographics for the administrative boundaries"
SCALES = ("01M", "03M", "10M", "20M", "60M")
YEARS = (2003, 2006, 2010, 2013, 2016, 2021, 2024)
LEVELS = (0, 1, 2, 3)
KINDS = ("RG", "LB")
CRSS = (3035, 3857, 4326)
MAX_BYTES = 1024 * 1024 * 1024


@dataclass(frozen=True)
class NutsDownload:
    """A cached GISCO file: where it is, its URL, when retrieved, size and sha256."""

    path: Path
    url: str
    retrieved: str
    from_cache: bool
    bytes: int
    sha256: str


def base_url(url: str | None = None) -> str:
    """The service base: ``url``, else ``$INNESTO_GISCO_URL``, else GISCO's."""
    return _http.base_url(url, ENV_BASE_URL, DEFAULT_BASE_URL)


def default_cache_dir() -> Path:
    """Where downloads are cached (see :func:`innesto.sources._http.cache_dir`)."""
    return _http.cache_dir("gisco")


def nuts_filename(*, year: int = 2021, scale: str = "60M", level: int = 3,
                  crs: int = 4326, kind: str = "RG") -> str:
    """GISCO's file name for these options (validated).

    >>> nuts_filename()
    'NUTS_RG_60M_2021_4326_LEVL_3.geojson'
    >>> nuts_filename(kind="LB", level=2)
    'NUTS_LB_2021_4326_LEVL_2.geojson'
    """
    def bad(name: str, value: Any, allowed: tuple[Any, ...]) -> FetchError:
        return FetchError(msg("unknown NUTS %(name)s %(value)s", name=name, value=repr(value)),
                          path="GISCO NUTS",
                          expected=msg("one of %(items)s", items=", ".join(map(str, allowed))))
    scale = str(scale).upper()
    kind = str(kind).upper()
    if scale not in SCALES:
        raise bad("scale", scale, SCALES)
    if kind not in KINDS:
        raise bad("kind", kind, KINDS)
    if year not in YEARS:
        raise bad("year", year, YEARS)
    if level not in LEVELS:
        raise bad("level", level, LEVELS)
    if crs not in CRSS:
        raise bad("crs", crs, CRSS)
    middle = f"{year}_{crs}" if kind == "LB" else f"{scale}_{year}_{crs}"
    return f"NUTS_{kind}_{middle}_LEVL_{level}.geojson"


def nuts_url(*, url: str | None = None, **options: Any) -> str:
    """The full download URL for :func:`nuts_filename`'s options.

    >>> nuts_url(url="http://127.0.0.1:8000/", level=0)
    'http://127.0.0.1:8000/distribution/v2/nuts/geojson/NUTS_RG_60M_2021_4326_LEVL_0.geojson'
    """
    return f"{base_url(url)}/distribution/v2/nuts/geojson/{nuts_filename(**options)}"


def fetch_nuts(
    *,
    year: int = 2021,
    scale: str = "60M",
    level: int = 3,
    crs: int = 4326,
    kind: str = "RG",
    cache_dir: str | Path | None = None,
    refresh: bool = False,
    url: str | None = None,
    timeout: float = 60.0,
    progress: Progress | None = None,
) -> NutsDownload:
    """Download (or take from the cache) a GISCO NUTS GeoJSON file.

    Raises :class:`~innesto.errors.FetchError` for bad options, HTTP errors, time-outs
    and answers that are not a FeatureCollection of features with ``NUTS_ID``.
    ``progress(step, bytes so far, total or None)`` is called while downloading.
    """
    options: dict[str, Any] = {"year": year, "scale": str(scale).upper(), "level": level,
                               "crs": crs, "kind": str(kind).upper()}
    name = nuts_filename(**options)
    query = nuts_url(url=url, **options)
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    stem = f"{name.removesuffix('.geojson')}-{hashlib.sha256(query.encode()).hexdigest()[:12]}"
    got = _http.cached_download(
        query, folder / f"{stem}.geojson", refresh=refresh,
        download=lambda data: stream_download(
            query, data, timeout=timeout, max_bytes=MAX_BYTES,
            check=lambda p: check_geojson(p, query), progress=progress),
        record={"options": options, "attribution": ATTRIBUTION})
    return NutsDownload(path=got["path"], url=query, retrieved=got["retrieved"],
                        from_cache=got["from_cache"], bytes=got["bytes"], sha256=got["sha256"])


def check_geojson(path: Path, source: str) -> None:
    """Raise :class:`FetchError` (naming ``source``) unless ``path`` is a GeoJSON
    FeatureCollection whose features all have a ``NUTS_ID`` property; a
    :class:`SourceError` past the limits: the file is read feature by feature
    (:class:`~innesto.sources._geojson.FeatureStream`, gunzipped on the fly if it is gzip,
    within ``INNESTO_MAX_DECOMPRESSED_BYTES`` and ``INNESTO_MAX_GZIP_RATIO``), and a feature
    is a row of the row and cell budgets, each of its properties a cell."""
    doc = FeatureStream(path)
    budget = limits.Budget(path)
    n = 0
    try:
        for n, f in enumerate(doc.features(), 1):
            props = f.get("properties") if isinstance(f, dict) else None
            budget.row(len(props) if isinstance(props, dict) else 1, line=None)
            if not isinstance(props, dict) or not props.get("NUTS_ID"):
                raise FetchError(msg("feature %(what)s has no NUTS_ID property", what=n - 1), path=source,
                                 expected=msg("GISCO NUTS features with NUTS_ID"))
    except NotJSON:
        raise FetchError(msg("the answer is not JSON"), path=source,
                         expected=msg("a GeoJSON FeatureCollection")) from None
    if doc.members.get("type") != "FeatureCollection" or not n:
        raise FetchError(msg("the answer is not a non-empty GeoJSON FeatureCollection"),
                         path=source, expected=msg("a GeoJSON FeatureCollection"))


