"""A static, self-contained copy of the public site for one edition (no server needed).

The pages are fetched in-process with Django's test client, starting from the edition's
home pages in both languages, its monitoring reports (HTML and PDF) and its downloads, and
following every same-site link that stays inside the edition. Each URL becomes a file
(``/it/piano/2006/`` → ``it/piano/2006/index.html``) and links between archived files are
rewritten as relative paths, so the folder works from a USB stick or ``file://``. Links to
pages that need a server (search, forms, the API, other editions) point to the live site.
The folder is built beside the target and renamed into place when complete.
"""

from __future__ import annotations

import os
import posixpath
import re
import shutil
import tempfile
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from innesto.errors import InnestoError
from innesto.portal.plans.models import Edition

LINK = re.compile(r"""(?P<attr>\b(?:href|src|action|data-spec|data-src)=)(?P<q>["'])(?P<url>[^"'#]*)(?P<frag>#[^"']*)?(?P=q)""")
CSS_URL = re.compile(r"""url\((?P<q>["']?)(?P<url>/[^)"'#]*)(?P<frag>#[^)"']*)?(?P=q)\)""")
TEXT_TYPES = ("text/html", "text/css")


class ArchiveError(InnestoError):
    """The archive could not be built (unknown edition, page error, unwritable folder)."""


@dataclass
class Archive:
    root: Path
    files: dict[str, str] = field(default_factory=dict)  # URL → relative file path
    external: set[str] = field(default_factory=set)


def _scopes(edition: Edition) -> list[str]:
    prefixes = ["/static/", "/vendor/"]
    for lang in ("it", "en"):
        with translation.override(lang):
            prefixes.append(reverse("plans:edition", args=[edition.slug]))
            prefixes.append(reverse("reports:report", args=[edition.slug]))
    return prefixes


def _seeds(edition: Edition) -> list[str]:
    urls = []
    for lang in ("it", "en"):
        with translation.override(lang):
            urls += [reverse("plans:edition", args=[edition.slug]),
                     reverse("reports:report", args=[edition.slug]),
                     reverse("reports:report-pdf", args=[edition.slug]),
                     reverse("plans:plan-json", args=[edition.slug]),
                     reverse("plans:plan-datapackage", args=[edition.slug])]
            urls += [reverse("plans:plan-table-csv", args=[edition.slug, t])
                     for t in ("nodes", "indicators", "values")]
    return urls


def file_for(url: str, content_type: str) -> str:
    """The archive file of a site URL (query strings become part of the file name)."""
    parts = urlsplit(url)
    path = unquote(parts.path).lstrip("/")
    if not path or path.endswith("/"):
        path += "index.html"
    elif "." not in posixpath.basename(path) and content_type.startswith("text/html"):
        path += "/index.html"
    if parts.query:
        stem, ext = posixpath.splitext(path)
        safe = re.sub(r"[^A-Za-z0-9_-]+", "-", parts.query).strip("-")
        path = f"{stem}--{safe}{ext}"
    return path


def _in_scope(url: str, scopes: list[str]) -> bool:
    path = urlsplit(url).path
    return url.startswith("/") and not url.startswith("//") and any(
        path.startswith(p) for p in scopes)


def _live(url: str) -> str:
    base = str(getattr(settings, "ENGAGE_SITE_URL", "")).rstrip("/")
    return base + url


def build(edition_slug: str, target: Path) -> Archive:
    """Write the archive of one edition to ``target`` (replaced atomically if it exists)."""
    edition = Edition.objects.filter(slug=edition_slug).first()
    if edition is None:
        known = ", ".join(Edition.objects.values_list("slug", flat=True)) or "none loaded"
        raise ArchiveError(f"no edition {edition_slug!r} in the portal (editions: {known})")
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        # The archive needs every report now: rendered here, not by background jobs.
        with override_settings(REPORT_RENDER_BACKGROUND=False):
            archive = _crawl(edition, tmp)
        if target.exists():
            old = target.with_name(f".{target.name}.old-{os.getpid()}")
            target.rename(old)
            tmp.rename(target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    archive.root = target
    return archive


def _host() -> str:
    """A host name the settings allow (the crawl's requests never leave the process, but
    production settings refuse Django's default ``testserver``)."""
    from django.conf import settings

    for h in settings.ALLOWED_HOSTS:
        name = h.lstrip(".")
        if name and name != "*":
            return name
    return "localhost"


def _crawl(edition: Edition, out: Path) -> Archive:
    client = Client(SERVER_NAME=_host())
    scopes = _scopes(edition)
    archive = Archive(out)
    bodies: dict[str, tuple[bytes, str]] = {}
    queue = deque(_seeds(edition))
    seen = set(queue)
    while queue:
        url = queue.popleft()
        resp = client.get(url)
        if resp.status_code in (301, 302):
            location = resp["Location"]
            if _in_scope(location, scopes) and location not in seen:
                seen.add(location)
                queue.append(location)
            continue
        if resp.status_code != 200:
            raise ArchiveError(f"{url}: the site answered {resp.status_code}")
        ctype = resp.get("Content-Type", "application/octet-stream")
        body = b"".join(resp.streaming_content) if resp.streaming else resp.content  # type: ignore[attr-defined]
        archive.files[url] = file_for(url, ctype)
        bodies[url] = (body, ctype)
        if ctype.startswith(TEXT_TYPES):
            text = body.decode("utf-8", errors="replace")
            for link in _links(text, ctype):
                if _in_scope(link, scopes) and link not in seen:
                    seen.add(link)
                    queue.append(link)
    _write_index(edition, out, archive)
    for url, (body, ctype) in bodies.items():
        dest = out / archive.files[url]
        dest.parent.mkdir(parents=True, exist_ok=True)
        if ctype.startswith(TEXT_TYPES):
            body = _rewrite(body.decode("utf-8"), ctype, url, archive).encode("utf-8")
        dest.write_bytes(body)
    return archive


def _write_index(edition: Edition, out: Path, archive: Archive) -> None:
    """A bilingual entry page at the top of the folder."""
    links = []
    for lang, label, report in (("it", "Il piano in italiano", "Rapporto di monitoraggio"),
                                ("en", "The plan in English", "Monitoring report")):
        with translation.override(lang):
            home = archive.files.get(reverse("plans:edition", args=[edition.slug]), "")
            rep = archive.files.get(reverse("reports:report", args=[edition.slug]), "")
        links.append(f'<li lang="{lang}"><a href="{home}">{label}</a> · '
                     f'<a href="{rep}">{report}</a></li>')
    title = f"{edition.title_it} ({edition.year})"
    (out / "index.html").write_text(
        '<!DOCTYPE html>\n<html lang="it">\n<head><meta charset="utf-8">'
        f"<title>{_esc(title)} – archivio / archive</title></head>\n"
        f"<body><main><h1>{_esc(title)}</h1>\n<ul>{''.join(links)}</ul></main></body>\n"
        "</html>\n", encoding="utf-8")


def _esc(text: str) -> str:
    from html import escape

    return escape(text)


def _links(text: str, ctype: str) -> list[str]:
    pattern = LINK if ctype.startswith("text/html") else CSS_URL
    return [m.group("url").replace("&amp;", "&") for m in pattern.finditer(text)
            if m.group("url")]


def _rewrite(text: str, ctype: str, url: str, archive: Archive) -> str:
    here = posixpath.dirname(archive.files[url])

    def repl(m: re.Match[str]) -> str:
        link = m.group("url").replace("&amp;", "&")
        frag = m.group("frag") or ""
        if link in archive.files:
            new = posixpath.relpath(archive.files[link], here or ".")
        elif link.startswith("/") and not link.startswith("//"):
            archive.external.add(link)
            new = _live(link)
        else:
            return m.group(0)
        if ctype.startswith("text/html"):
            return f"{m.group('attr')}{m.group('q')}{new}{frag}{m.group('q')}"
        return f"url({m.group('q')}{new}{frag}{m.group('q')})"

    pattern = LINK if ctype.startswith("text/html") else CSS_URL
    return pattern.sub(repl, text)
