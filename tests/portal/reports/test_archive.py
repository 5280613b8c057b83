"""``innesto archive``: a static copy of one edition that works without a server: every
link between archived files resolves, pages keep their language and text alternatives."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from innesto.portal.plans.models import Edition
from innesto.portal.reports.archive import ArchiveError, build, file_for

pytestmark = pytest.mark.django_db

HREF = re.compile(r"""\b(?:href|src)=["']([^"'#]*)""")


def test_urls_map_to_files() -> None:
    assert file_for("/it/piano/2006/", "text/html") == "it/piano/2006/index.html"
    assert file_for("/en/plan/2006/plan.json", "application/json") == "en/plan/2006/plan.json"
    assert file_for("/it/piano/2006/asse/?tab=project", "text/html") == \
        "it/piano/2006/asse/index--tab-project.html"


def _check_folder(root: Path) -> list[Path]:
    pages = sorted(root.rglob("*.html"))
    broken = []
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert re.search(r'<html lang="(it|en)"', text), page
        for img in re.findall(r"<img\b[^>]*>", text):
            assert " alt=" in img, (page, img)
        for link in HREF.findall(text):
            if not link or link.startswith(("http://", "https://", "mailto:", "data:")):
                continue
            assert not link.startswith("/"), (page, link)  # nothing needs the server
            if not (page.parent / unquote(link.split("?")[0])).exists():
                broken.append((page.relative_to(root), link))
    assert broken == []
    return pages


@pytest.mark.slow
def test_the_archive_of_an_edition_is_self_contained(tiny_plan: Any, tmp_path: Path) -> None:
    ed = Edition.objects.order_by("year").first()
    assert ed is not None
    out = tmp_path / "archive"
    result = build(ed.slug, out)
    pages = _check_folder(out)
    assert (out / "index.html").exists()
    assert (out / "it" / "piano" / ed.slug / "index.html").exists()
    assert (out / "en" / "plan" / ed.slug / "index.html").exists()
    pdfs = list(out.rglob("*.pdf"))
    assert len(pdfs) == 2 and all(p.read_bytes().startswith(b"%PDF") for p in pdfs)
    assert any(p.suffix == ".css" for p in out.rglob("*.css"))
    assert any(out.rglob("*.csv")) and any(out.rglob("*.json"))
    assert len(pages) >= 5
    assert "/it/piano/" + ed.slug + "/" in result.files
    assert not list(tmp_path.glob(".archive.*"))  # the temporary folder was renamed


def test_an_unknown_edition_is_an_error_naming_the_known_ones(tiny_plan: Any,
                                                              tmp_path: Path) -> None:
    with pytest.raises(ArchiveError, match="no edition '1999'"):
        build("1999", tmp_path / "x")
    assert not (tmp_path / "x").exists()


def test_the_cli_writes_the_archive(tiny_plan: Any, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from innesto.cli.app import _register, app

    _register()
    ed = Edition.objects.order_by("year").first()
    assert ed is not None
    result = CliRunner().invoke(app, ["archive", ed.slug, "-o", str(tmp_path / "site")])
    assert result.exit_code == 0, result.output
    assert "archive of edition" in result.output
    _check_folder(tmp_path / "site")
