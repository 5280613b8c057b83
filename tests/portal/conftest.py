"""Portal fixtures: a database holding a plan, page caching off.

``tiny_plan`` loads the three-node plan of :mod:`innesto.plan.examples` (fast, always
available); ``torino_plan`` loads the Torino example (``examples/torino``) once it exists;
``site`` serves it on a live server for the browser tests.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.portal.browser import chromium_page  # noqa: F401  (fixture for browser tests)
from tests.portal.engage.instance import instance  # noqa: F401  (a separate instance)

ROOT = Path(__file__).resolve().parents[2]
TORINO = ROOT / "examples" / "torino"


@pytest.fixture(autouse=True)
def _no_page_cache(settings: Any) -> None:
    # Each test starts with an empty shared store, as with an empty database: with
    # REDIS_URL (CI) the store outlives a test's rolled-back transaction, so a report
    # body, lock or counter of one test would otherwise meet the next.
    # (The database cache needs no clearing: it is rolled back with the test.)
    from django.core.cache import caches

    if "redis" in settings.CACHES:
        caches["redis"].clear()
    settings.CACHE_SECONDS = 0
    # The worker's last read of the content version may be of a rolled-back test's row.
    from innesto.portal.site.cache import VERSION

    VERSION.expire()
    # The test database is not visible to another process: reports render in the test's
    # (tests/portal/reports/test_report_background.py runs the background jobs for real).
    settings.REPORT_RENDER_BACKGROUND = False


@pytest.fixture
def tiny_plan(db: None) -> Any:
    """The plan of ``innesto.plan.examples.tiny_planset`` stored with its statuses."""
    from innesto.plan.examples import tiny_planset
    from innesto.portal.plans.loader import load_planset

    ps = tiny_planset()
    media = [{"id": "message", "edition": 2006, "node": "axis", "kind": "audio",
              "filename": "message.wav", "file_available": False, "speaker": "A. Speaker",
              "title": {"it": "Messaggio", "en": "Message"},
              "transcript": {"it": "Trascrizione di prova", "en": "Test transcript"}}]
    load_planset(ps, media=media)
    return ps


@pytest.fixture
def torino_site(db: None) -> Any:
    """Only the Torino example's site (its identity and evidence regions), no plan."""
    from innesto.plan.site import load_site
    from innesto.portal.site import identity

    site = load_site(TORINO)
    identity.store("torino", site)
    return site


@pytest.fixture
def torino_plan(db: None) -> Any:
    """The Torino example loaded as ``manage.py load_plan examples/torino`` does."""
    from innesto.portal.plans.adapter import load_into_database

    return load_into_database(TORINO)


@pytest.fixture
def site(transactional_db: None, live_server: Any, settings: Any) -> str:
    """The Torino example on a live server (for browser tests); its base URL.

    A transactional test's flush also empties what data migrations put in a fresh site (the
    consent text, the whole-plan list), so they are put back as the migration does."""
    from importlib import import_module

    from django.apps import apps

    from innesto.portal.plans.adapter import load_into_database

    import_module("innesto.portal.engage.migrations.0002_consent_text_v1").forwards(apps, None)
    settings.CACHE_SECONDS = 0
    load_into_database(TORINO)
    return str(live_server.url)
