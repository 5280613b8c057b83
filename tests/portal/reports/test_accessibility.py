"""The pages of the issue-6 apps pass the same axe-core WCAG 2.2 A/AA checks as the rest
of the live site, in both languages, and so do the pages of a static archive opened from
disk (``file://``, no server)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.portal.browser import axe_violations

pytestmark = pytest.mark.browser

PAGES = {
    "it": ["/it/iscriviti/", "/it/iscriviti/controlla-la-posta/", "/it/contatti/",
           "/it/contatti/inviato/", "/it/cancella-iscrizione/1:forged/",
           "/it/rapporto/2006/", "/it/storico/2006/industrial-transformation/"],
    "en": ["/en/subscribe/", "/en/subscribe/check-your-inbox/", "/en/contact/",
           "/en/contact/sent/", "/en/unsubscribe/1:forged/",
           "/en/report/2006/", "/en/history/2006/industrial-transformation/"],
}


def _violations(page: Any, where: str) -> list[str]:
    return [f"{where}: {v['id']} ({v['impact']}): "
            + "; ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:3])
            for v in axe_violations(page)]


def test_engage_report_and_history_pages_have_no_axe_violation(
        site: str, chromium_page: Any) -> None:
    failures = []
    for lang, urls in PAGES.items():
        for url in urls:
            response = chromium_page.goto(site + url, wait_until="networkidle")
            for _ in range(60):  # a report being prepared: 503 (or 429) with Retry-After
                if response is not None and response.status not in (429, 503):
                    break
                chromium_page.wait_for_timeout(2000)
                response = chromium_page.goto(site + url, wait_until="networkidle")
            assert response is not None and response.status in (200, 400), url
            assert chromium_page.get_attribute("html", "lang") == lang
            failures += _violations(chromium_page, url)
    assert failures == []


@pytest.fixture
def archived(transactional_db: None, tiny_plan: Any, tmp_path: Path) -> list[Path]:
    """An archive of the tiny plan's edition, built before the browser starts (Playwright's
    event loop would make the ORM refuse to run)."""
    from innesto.portal.plans.models import Edition
    from innesto.portal.reports.archive import build

    ed = Edition.objects.order_by("year").first()
    assert ed is not None
    out = tmp_path / "archive"
    build(ed.slug, out)
    return [out / "index.html"] + sorted(out.glob("it/**/index.html"))[:6] \
        + sorted(out.glob("en/**/index.html"))[:6]


def test_the_static_archive_opened_from_disk_has_no_axe_violation(
        archived: list[Path], chromium_page: Any) -> None:
    failures = []
    root = archived[0].parent
    for path in archived:
        chromium_page.goto(path.as_uri(), wait_until="load")
        failures += _violations(chromium_page, str(path.relative_to(root)))
    assert len(archived) >= 5
    assert failures == []
