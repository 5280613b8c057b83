"""Shared fixtures, and what makes the suite safe to run in parallel (pytest-xdist).

``shared_data`` points at ``../shared/data`` (the project's real data, never copied into the
repository). Tests that need it skip with a reason when it is absent, and fail instead when
``INNESTO_REQUIRE_SHARED_DATA=1`` (set by ``.ci/run``).

Under ``pytest -n N --dist loadgroup`` (pytest-xdist) each worker has its own
PostgreSQL test database (pytest-django suffixes its name with the worker id), its own Redis
database (worker ``gwN`` uses database ``base + N`` of ``REDIS_URL``: tests clear the
cache), its own temporary folders, and every test that needs Spark runs on one worker
(``xdist_group("spark")`` with ``--dist loadgroup``), in the one Spark session of the run.
The skip budget counts the skips of all workers (on the controller).
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The CLI writes in the language of the locale (innesto.i18n.user_lang): the suite runs in
# English whatever the developer's locale, and the tests of the Italian messages set the
# locale of the commands they run.
for _var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
    os.environ.pop(_var, None)
os.environ["LANG"] = "C.UTF-8"
SHARED_DATA = Path(os.environ.get("INNESTO_SHARED_DATA", ROOT.parent / "shared" / "data"))


def require_shared(*parts: str) -> Path:
    """Path to a file or folder under ../shared/data, or skip (fail under CI) if absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        msg = f"shared data not found: {path}"
        if os.environ.get("INNESTO_REQUIRE_SHARED_DATA") == "1":
            pytest.fail(msg + " (INNESTO_REQUIRE_SHARED_DATA=1)")
        pytest.skip(msg)
    return path


@pytest.fixture
def shared_data() -> Path:
    """The ../shared/data folder (skips, or fails under CI, when absent)."""
    return require_shared()


def worker_redis_url(url: str, worker: str) -> str:
    """``url`` with the database number moved up by the xdist worker's number.

    >>> worker_redis_url("redis://127.0.0.1:6379/7", "gw1")
    'redis://127.0.0.1:6379/8'
    >>> worker_redis_url("redis://127.0.0.1:6379", "gw0")
    'redis://127.0.0.1:6379/0'
    """
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{base + int(worker.removeprefix('gw'))}"))


def pytest_configure(config: pytest.Config) -> None:
    """On an xdist worker, give the portal its own Redis database (tests clear the cache, and
    rate limits count per client address: two workers sharing one would see each other's).

    Django read its settings before this conftest was loaded, so the cache settings are
    rebuilt from the changed environment (``override_settings`` also resets the cache
    handler); subprocesses inherit the changed ``REDIS_URL``."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    url = os.environ.get("REDIS_URL")
    if not worker or not url:
        return
    os.environ["REDIS_URL"] = worker_redis_url(url, worker)
    from django.test.utils import override_settings

    from innesto.portal.security_conf import caches

    override_settings(CACHES=caches()).enable()


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(config: pytest.Config,
                                  items: list[pytest.Item]) -> Iterator[None]:
    """Every test that needs Spark goes to one xdist worker (``--dist loadgroup``), so the
    run starts one Spark session, not one per worker; and the longest tests are handed
    out first (:func:`_start_rank`), so that no worker is left with a long one at the
    end while the other is idle. (Without xdist, ``-p no:xdist``, the marker is not
    registered and there is one process: nothing changes.)

    Transactional tests stay after all the others, as pytest-django (whose sort runs
    before this one) and Django order them: their flush empties what the migrations wrote
    (the mailing lists, the consent text), so a slow transactional test handed out first
    made every later test of its worker fail."""
    if not config.pluginmanager.hasplugin("xdist"):
        return (yield)
    for item in items:
        if _needs_spark(item):
            item.add_marker(pytest.mark.xdist_group("spark"))
    result = yield  # the other hooks: xdist tags the groups, pytest-django sorts
    items.sort(key=lambda item: (_transactional(item), _start_rank(item)))  # stable
    _check_groups(config, items)
    return result


_GROUP_LOST = pytest.StashKey[str]()


def _check_groups(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Fail every Spark test of a parallel run that is not tagged for its xdist group.

    pytest-xdist tags a grouped test by appending ``@group`` to its node id, and schedules
    by that tag; with pytest 9.2 the tag was silently lost (the id moved to ``_id``), so the
    Spark tests were spread over both workers and each started a JVM of its own. This
    check makes such an upgrade fail the run instead of costing minutes unseen.
    """
    if not hasattr(config, "workerinput") or not config.getvalue("loadgroup"):
        return
    for item in items:
        if _needs_spark(item) and not item.nodeid.endswith("@spark"):
            item.stash[_GROUP_LOST] = (
                "this test lacks its xdist group tag (@spark): this pytest-xdist does not "
                "tag groups under this pytest, so the Spark tests would start a JVM on "
                "every worker; pin versions that do (pyproject.toml)")


def pytest_runtest_setup(item: pytest.Item) -> None:
    if _GROUP_LOST in item.stash:
        pytest.fail(item.stash[_GROUP_LOST], pytrace=False)


def _transactional(item: pytest.Item) -> bool:
    """Whether ``item`` runs outside a rolled-back transaction (pytest-django's rule)."""
    import django.test

    cls = getattr(item, "cls", None)
    if cls is not None and issubclass(cls, django.test.TransactionTestCase):
        return not issubclass(cls, django.test.TestCase)
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction")
                               or marker.kwargs.get("reset_sequences")):
        return True
    fixtures = getattr(item, "fixturenames", ())
    return "transactional_db" in fixtures or "live_server" in fixtures


def _needs_spark(item: pytest.Item) -> bool:
    return bool(item.get_closest_marker("spark")) or "spark" in getattr(item, "fixturenames", ())


def _start_rank(item: pytest.Item) -> int:
    """0 for the browser crawl (minutes of CPU in one test), 1 for the Spark tests (one
    group, one worker), 2 for the other ``slow`` tests, 3 for the other browser tests
    (each starts a live server and Chromium), 4 for the rest."""
    slow, browser = item.get_closest_marker("slow"), item.get_closest_marker("browser")
    if slow and browser:
        return 0
    if _needs_spark(item):
        return 1
    return 2 if slow else 3 if browser else 4


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """The run's one Spark session: local[2], 2 shuffle partitions, no UI, bound to
    127.0.0.1, its JVM with the C1 compiler and serial GC (tests marked ``spark``; all on
    one xdist worker)."""
    import pyspark  # noqa: F401  (a test extra: missing means a broken install, not a skip)

    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        msg = "Spark needs Java (java not on PATH, JAVA_HOME unset)"
        if os.environ.get("INNESTO_REQUIRE_JAVA") == "1":
            pytest.fail(msg + " (INNESTO_REQUIRE_JAVA=1)")
        pytest.skip(msg)
    os.environ["PYSPARK_PYTHON"] = sys.executable  # workers run this interpreter
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("innesto-tests")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        # The JVM's C2 compiler and parallel GC threads cost more CPU than they save in
        # a test run of a few minutes: C1 only and the serial collector took the Spark
        # tests from 82-88 s of the JVM's CPU to 45-51 s (docs/testing.md), same results.
        .config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


# How many tests may skip in a whole run. CI (``INNESTO_MAX_SKIPS=0`` in .ci/run) allows
# none; a run without ../shared/data allows only the tests that truly need its files
# (everything Torino-specific runs on the packaged Eurostat table instead).
SKIP_BUDGET_WITHOUT_SHARED_DATA = 80
_skipped: list[str] = []


def _skip_budget() -> int | None:
    if os.environ.get("INNESTO_MAX_SKIPS"):
        return int(os.environ["INNESTO_MAX_SKIPS"])
    if not SHARED_DATA.exists():
        return SKIP_BUDGET_WITHOUT_SHARED_DATA
    return None


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and not hasattr(report, "wasxfail"):
        _skipped.append(report.nodeid)


def _over_budget(config: pytest.Config) -> int | None:
    budget = _skip_budget()
    if hasattr(config, "workerinput") or budget is None or len(_skipped) <= budget:
        return None
    return budget


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run when more tests skipped than the budget allows (a skip must never hide
    a failure, so their number is watched too)."""
    if _over_budget(session.config) is not None and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: object, exitstatus: int,
                            config: pytest.Config) -> None:
    budget = _over_budget(config)
    if budget is not None:
        print(f"error: {len(_skipped)} tests skipped, more than the budget of {budget} "
              "(INNESTO_MAX_SKIPS); the reasons are listed above")
