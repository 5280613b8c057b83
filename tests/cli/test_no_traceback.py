"""Every command, run in an empty folder with no environment, ends in one ``error:`` line
(with a documented exit code) or succeeds: never a traceback (issue 13, item 3)."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-c", "from innesto.cli.app import main; main()"]
MANAGE = [sys.executable, "-m", "innesto.portal"]
CODES = {1, 2, 3, 4, 5}
KEY = secrets.token_urlsafe(50)  # the settings refuse a weak key


def run(argv: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """``argv`` in ``cwd`` with only PATH, HOME and the source on the path."""
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(cwd),
            "PYTHONPATH": str(ROOT / "src"), "LANG": "C.UTF-8"}
    return subprocess.run(argv, cwd=cwd, env={**base, **env}, capture_output=True,
                          text=True, timeout=300)


def assert_one_error_line(res: subprocess.CompletedProcess[str], *words: str) -> str:
    out = res.stdout + res.stderr
    assert "Traceback" not in out, out
    assert res.returncode in CODES, (res.returncode, out)
    errors = [ln for ln in res.stderr.splitlines() if ln.startswith("error:")]
    assert len(errors) == 1, res.stderr
    for w in words:
        assert w in errors[0], errors[0]
    return errors[0]


CLI_CASES = {
    "ingest": (["ingest", "missing.csv", "-o", "p.parquet"], 1, "missing.csv"),
    "measure lq on a corrupt Parquet": (["measure", "lq", "corrupt.parquet", "-o", "lq.csv"],
                                        1, "corrupt.parquet"),
    "measure shift-share": (["measure", "shift-share", "missing.parquet", "-o", "s.csv",
                             "--focus", "R1", "--reference", "R", "--start", "1",
                             "--end", "2"], 1, "missing.parquet"),
    "measure complexity": (["measure", "complexity", "missing.parquet", "-o", "out"], 1,
                           "missing.parquet"),
    "pipeline": (["pipeline", "missing.csv", "-o", "out"], 1, "missing.csv"),
    "plan validate": (["plan", "validate", "nowhere"], 1, "nowhere"),
    "plan status": (["plan", "status", "nowhere"], 1, "nowhere"),
    "plan export": (["plan", "export", "nowhere", "-o", "x.xlsx"], 1, "nowhere"),
    "plan import": (["plan", "import", "missing.xlsx", "--into", "plan"], 1, "missing.xlsx"),
    "plan refresh": (["plan", "refresh", "nowhere"], 1, "nowhere"),
    "plan datapackage": (["plan", "datapackage", "nowhere", "-o", "dp"], 1, "nowhere"),
    "fetch eurostat, server down": (["fetch", "eurostat", "nama_10r_3empers",
                                     "--url", "http://127.0.0.1:9"], None, ""),
    "fetch nuts, server down": (["fetch", "nuts", "--url", "http://127.0.0.1:9"], None, ""),
    "serve without a secret": (["serve", "--port", "0"], 3, "SECRET_KEY"),
    "backup outside an instance": (["backup", "-o", "b.tar.gz"], 3, "no portal database"),
    "restore a missing archive": (["restore", "missing.tar.gz"], None, "missing.tar.gz"),
    "archive of an unknown edition": (["archive", "1999", "-o", "site"], 3,
                                      "no portal database"),
    "a file named with Rich markup": (["ingest", "data[/]x.csv", "-o", "p.parquet"], 1,
                                      "data[/]x.csv"),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", list(CLI_CASES))
def test_each_cli_command_fails_in_one_line(case: str, tmp_path: Path) -> None:
    argv, code, words = CLI_CASES[case]
    (tmp_path / "corrupt.parquet").write_bytes(b"PAR1 not really a parquet file")
    res = run([*CLI, *argv], tmp_path)
    line = assert_one_error_line(res, words)
    if code is not None:
        assert res.returncode == code, line
    assert not (tmp_path / "var" / "innesto.sqlite3").exists() or case.startswith(
        ("restore", "archive")), "an empty database was left behind"


MANAGE_CASES = ["check --deploy", "migrate", "load_plan examples/torino",
                "send_reporting_reminders", "send_newsletters", "sync_mailing_lists",
                "purge_contact_messages"]


@pytest.mark.slow
@pytest.mark.parametrize("command", MANAGE_CASES)
def test_each_management_command_without_secret_key_says_so(command: str,
                                                            tmp_path: Path) -> None:
    res = run([*MANAGE, *command.split()], tmp_path)
    assert_one_error_line(res, "SECRET_KEY")
    assert res.returncode == 3


@pytest.mark.slow
def test_an_unreachable_database_is_named(tmp_path: Path) -> None:
    res = run([*MANAGE, "migrate"], tmp_path, SECRET_KEY=KEY,
              DATABASE_URL="postgres://nobody@127.0.0.1:9/none")
    assert_one_error_line(res, "DATABASE_URL")
    assert res.returncode == 4


@pytest.mark.slow
def test_reminders_with_nothing_due_need_no_mail_server(tmp_path: Path) -> None:
    env = {"SECRET_KEY": KEY, "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": "9"}
    assert run([*MANAGE, "migrate"], tmp_path, **env).returncode == 0
    res = run([*MANAGE, "send_reporting_reminders"], tmp_path, **env)
    assert res.returncode == 0, res.stderr
    assert "0 reminders sent" in res.stdout


@pytest.mark.slow
def test_a_busy_port_names_the_port_option(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        res = run([*CLI, "serve", "--port", str(port)], tmp_path, SECRET_KEY=KEY)
    assert_one_error_line(res, "--port", str(port))
    assert res.returncode == 4


def test_rich_markup_in_a_message_is_printed_as_it_is(capsys: pytest.CaptureFixture[str]) -> None:
    from innesto.cli.common import print_error

    print_error("cannot fetch http://x/data?c[geo]=IT from data[/]x.csv")
    assert "c[geo]=IT from data[/]x.csv" in capsys.readouterr().err
