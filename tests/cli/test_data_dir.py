"""--data-dir somewhere unusable: one line naming the folder and why, exit 3."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from bng_desktop.cli.exit_code import ExitCode
from tests.cli.commands import bng


def _file(tmp_path: Path) -> Path:
    path = tmp_path / "a-file"
    path.write_text("not a folder")
    return path


def _under_a_file(tmp_path: Path) -> Path:
    return _file(tmp_path) / "data"


def _read_only_place(tmp_path: Path) -> Path:
    """A folder this user cannot write in (root writes anywhere but /sys)."""
    if os.geteuid() == 0:
        return Path("/sys/bng-data")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    return locked / "data"


def _cannot_be_created(tmp_path: Path) -> Path:
    return Path("/proc/bng-no-such-process/data")


def _name_too_long(tmp_path: Path) -> Path:
    return tmp_path / ("d" * 5000)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX paths")
@pytest.mark.parametrize(
    ("where", "reason"),
    [
        (_file, "it is a file, not a folder"),
        (_under_a_file, "a-file is a file, not a folder"),
        (_read_only_place, "not permitted"),
        (_cannot_be_created, "no such file or directory"),
        (_name_too_long, "file name too long"),
    ],
    ids=["a-file", "under-a-file", "read-only", "cannot-be-created", "name-too-long"],
)
def test_an_unusable_data_folder_is_one_line_and_exit_3(tmp_path, where, reason):
    folder = where(tmp_path)
    done = bng("quote", "--demand", "d.csv", "--lpa", "X", "--save", "--data-dir", str(folder))
    assert done.code == ExitCode.ENVIRONMENT
    assert done.out == "" and not done.traceback
    (line,) = done.err.strip().splitlines()
    assert line.startswith(f"bng: the data folder {folder} cannot be used: ")
    assert reason in line.lower() or "permission denied" in line.lower()
    assert "nothing was changed" in line


def test_an_empty_data_dir_is_a_usage_error_not_the_default_folder():
    done = bng("doctor", "--data-dir", "")
    assert done.code == ExitCode.USAGE
    assert (
        done.err.strip()
        == "bng doctor: argument --data-dir: empty: give a folder (see bng doctor --help)"
    )


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_a_new_data_folder_and_its_log_folder_are_private(tmp_path):
    data = tmp_path / "new" / "data"
    assert bng("reference", "list", "--data-dir", str(data)).code == 0
    for folder in (data, data / "logs"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
