"""Operating-system errors become one line saying what to do and a documented exit code
(``docs/cli.md``: 1 input, 4 service, 5 system), whether the error carries its errno or only
its class. Pinned against the messages of ``innesto.cli.failures`` before its errno table."""

from __future__ import annotations

import errno

import pytest

from innesto.cli.failures import INPUT, SERVICE, SYSTEM, _os_error, explain

CASES = [
    (OSError(errno.ENOSPC, "No space left", "/out/x.parquet"),
     "the disk is full (writing /out/x.parquet): free some space and run the command again",
     SYSTEM),
    (OSError(errno.EDQUOT, "Quota"), "the disk is full: free some space and run the command "
     "again", SYSTEM),
    (PermissionError(errno.EACCES, "denied", "/y"), "permission denied (/y): choose a folder "
     "you can write to, or ask for access", SYSTEM),
    (PermissionError("plain"), "permission denied (plain): choose a folder you can write to, "
     "or ask for access", SYSTEM),
    (OSError(errno.EROFS, "read-only", "/z"), "permission denied (/z): choose a folder you "
     "can write to, or ask for access", SYSTEM),
    (FileNotFoundError(errno.ENOENT, "nf", "/a"), "no such file or folder (/a): check the path",
     INPUT),
    (FileNotFoundError("nofile"), "no such file or folder (nofile): check the path", INPUT),
    (IsADirectoryError(errno.EISDIR, "dir", "/d"),
     "a folder was given where a file is expected (/d)", INPUT),
    (NotADirectoryError(errno.ENOTDIR, "nd", "/f"),
     "a file was given where a folder is expected (/f)", INPUT),
    (OSError(errno.EADDRINUSE, "in use"),
     "the port is already in use: choose another one with --port", SERVICE),
    (ConnectionRefusedError(errno.ECONNREFUSED, "refused"), "a service cannot be reached "
     "(refused): check that it runs and the address in the settings", SERVICE),
    (ConnectionResetError(errno.ECONNRESET, "reset"), "a service cannot be reached (reset): "
     "check that it runs and the address in the settings", SERVICE),
    (OSError(errno.EHOSTUNREACH, "host"), "a service cannot be reached (host): check that it "
     "runs and the address in the settings", SERVICE),
    (TimeoutError(errno.ETIMEDOUT, "timed out"),
     "a service did not answer in time: check that it runs and retry", SERVICE),
    (OSError(errno.EIO, "io error", "/q"), "io error (/q)", SYSTEM),
    (OSError(), "OSError (OSError)", SYSTEM),
]


@pytest.mark.parametrize(("exc", "line", "code"), CASES, ids=lambda x: type(x).__name__
                         if isinstance(x, BaseException) else None)
def test_an_os_error_reads_as_one_line_and_its_exit_code(exc: OSError, line: str,
                                                         code: int) -> None:
    assert _os_error(exc) == (line, code)
    assert explain(exc) == (line, code)
