"""Shared fixtures.

``shared_data`` points at ``../shared/data`` (the project's real data, never copied into the
repository). Tests that need it skip with a reason when it is absent, and fail instead when
``INNESTO_REQUIRE_SHARED_DATA=1`` (set by ``.ci/run``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
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
