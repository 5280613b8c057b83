"""A session-scoped Spark session in local mode (tests marked ``spark`` use it)."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """Spark local[2], 2 shuffle partitions, no UI, bound to 127.0.0.1."""
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
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
