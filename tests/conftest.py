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
