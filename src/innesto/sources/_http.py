"""Stream an HTTP GET into a file atomically, with plain errors (a shared private helper).

Used by the downloaders in :mod:`innesto.sources` that need nothing source-specific while
streaming: the body goes to a temporary file beside the target and is renamed into place
only after ``check`` accepted it; HTTP statuses, time-outs and network failures become
:class:`~innesto.errors.FetchError` naming the URL.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from innesto._atomic import atomic_path, write_bytes
from innesto._progress import Progress
from innesto.errors import FetchError, SourceError
from innesto.i18n import N_, Message, Number, msg
from innesto.sources import limits

ENV_CACHE_DIR = "INNESTO_CACHE_DIR"


def base_url(url: str | None, env: str, default: str) -> str:
    """A service's base URL: ``url``, else ``$<env>``, else ``default`` (no final slash)."""
    return (url or os.environ.get(env) or default).rstrip("/")


def cached_download(query: str, data: Path, *, refresh: bool,
                    download: Callable[[Path], tuple[str, int]],
                    record: Mapping[str, Any]) -> dict[str, Any]:
    """The cached copy of ``query`` in the file ``data``, downloading it when needed.

    A sidecar ``data`` with suffix ``.json`` records the URL, the retrieval date (UTC), the
    size, the sha256 and ``record``; the cached copy is used (unless ``refresh``) only when
    the sidecar names the same URL and the file still has that sha256. ``download(data)``
    fetches into ``data`` and returns (sha256, size). Returns the record with ``path``
    (a :class:`Path`), ``url``, ``retrieved``, ``from_cache``, ``bytes`` and ``sha256``.
    """
    sidecar = data.with_suffix(".json")
    if not refresh:
        cached = _from_cache(data, sidecar, query)
        if cached is not None and all(k in cached for k in record):
            return {**cached, "path": data, "from_cache": True}
    try:
        data.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FetchError(msg("cannot create the cache folder %(folder)s: %(reason)s",
                             folder=data.parent, reason=exc.strerror),
                         path=query) from None
    digest, size = download(data)
    meta = {"path": str(data), "url": query, **record,
            "retrieved": datetime.now(UTC).isoformat(timespec="seconds"),
            "bytes": size, "sha256": digest}
    try:
        write_bytes(sidecar, json.dumps(meta, indent=2, ensure_ascii=False).encode())
    except OSError as exc:
        raise FetchError(msg("cannot write the cache: %(reason)s", reason=exc.strerror),
                         path=query) from None
    return {**meta, "path": data, "from_cache": False}


def _from_cache(data: Path, sidecar: Path, query: str) -> dict[str, Any] | None:
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
        if meta.get("url") != query or not data.is_file():
            return None
        if hashlib.sha256(data.read_bytes()).hexdigest() != meta.get("sha256"):
            return None
        return {**meta, "retrieved": str(meta["retrieved"]), "bytes": int(meta["bytes"]),
                "sha256": str(meta["sha256"])}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def cache_dir(service: str) -> Path:
    """Where downloads from ``service`` are cached: ``$INNESTO_CACHE_DIR/<service>``, else
    ``$XDG_CACHE_HOME/innesto/<service>`` (or ``~/.cache/innesto/<service>``)."""
    if os.environ.get(ENV_CACHE_DIR):
        return Path(os.environ[ENV_CACHE_DIR]) / service
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg) / "innesto" / service


_MEANING = {
    400: N_("bad request"), 401: N_("not authorised"), 403: N_("forbidden"),
    404: N_("not found"), 429: N_("too many requests: wait and try again"),
    500: N_("the server failed"), 502: N_("bad gateway"),
    503: N_("the service is unavailable"), 504: N_("the gateway timed out"),
}


def status_meaning(status: int) -> Message:
    """A few words on an HTTP status.

    >>> status_meaning(404), status_meaning(599)
    ('not found', 'the server failed')
    """
    return Message(_MEANING.get(status) or (
        N_("the server failed") if status >= 500 else N_("the request was refused")))


def _check_expansion(url: str, size: int, wire: int, lim: limits.Limits) -> None:
    """Stop a download whose decoded body (a ``Content-Encoding: gzip`` answer is
    decompressed as it arrives) passes ``INNESTO_MAX_DECOMPRESSED_BYTES`` or
    ``INNESTO_MAX_GZIP_RATIO`` times the ``wire`` bytes received."""
    try:
        limits.check_expansion(url, size, wire, lim)
    except SourceError as exc:
        raise FetchError(exc.message, path=url, expected=exc.expected) from None


def stream_download(
    url: str,
    target: Path,
    *,
    timeout: float,
    max_bytes: int,
    check: Callable[[Path], None] | None = None,
    headers: dict[str, str] | None = None,
    on_error: Callable[[int, bytes], FetchError] | None = None,
    too_big_hint: str = "",
    progress: Progress | None = None,
) -> tuple[str, int]:
    """GET ``url`` into ``target`` atomically; return (sha256, size).

    ``check(tmp_path)`` may raise to reject a 200 answer; ``target`` is then untouched.
    ``headers`` are sent besides the User-Agent; ``on_error(status, first 64 KiB of the
    body)`` turns a status other than 200 into the error to raise (default: the status and
    its meaning); ``too_big_hint`` is appended to the message when ``max_bytes`` is exceeded.
    ``progress("download <url>", bytes so far, Content-Length or None)`` is called as the
    body arrives, for progress bars.
    """
    lim = limits.current()
    try:
        with atomic_path(target, suffix=".part") as tmp:
            h, size = hashlib.sha256(), 0
            with tmp.open("wb") as fh, httpx.Client(
                timeout=timeout, follow_redirects=True,
                headers={"User-Agent": "innesto", **(headers or {})},
            ) as client, client.stream("GET", url) as resp:
                if resp.status_code != 200:
                    if on_error is not None:
                        raise on_error(resp.status_code, resp.read()[:65536])
                    raise FetchError(msg("HTTP %(status_code)s, %(what)s",
                                     status_code=resp.status_code,
                                     what=status_meaning(resp.status_code)), path=url)
                length = resp.headers.get("Content-Length")
                total = int(length) if length and length.isdigit() else None
                step = f"download {url}"
                if progress is not None:
                    progress(step, 0, total)
                for chunk in resp.iter_bytes():
                    size += len(chunk)
                    _check_expansion(url, size, resp.num_bytes_downloaded, lim)
                    if progress is not None:
                        progress(step, resp.num_bytes_downloaded, total)
                    if size > max_bytes:
                        raise FetchError(msg("the response exceeds %(size)s bytes%(hint)s",
                                             size=Number(max_bytes), hint=too_big_hint),
                                         path=url)
                    h.update(chunk)
                    fh.write(chunk)
            if check is not None:
                check(tmp)
        return h.hexdigest(), size
    except httpx.TimeoutException:
        raise FetchError(msg("no answer within %(seconds)s s (timed out)",
                             seconds=f"{timeout:g}"), path=url) from None
    except httpx.HTTPError as exc:
        raise FetchError(msg("network error: %(reason)s", reason=exc), path=url) from None
    except OSError as exc:
        raise FetchError(msg("cannot write %(file)s: %(reason)s", file=target,
                             reason=exc.strerror), path=url) from None
