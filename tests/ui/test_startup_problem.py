"""A store the app cannot open at start-up: the window says why and what to
do, the log says the same, and no traceback reaches the console."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from bng_desktop.core.errors import StoreError, StoreProblem
from bng_desktop.settings import Paths, resolve_paths
from bng_desktop.startup import TITLE, explain_startup_failure
from bng_desktop.store import migrate, open_store
from tests.ui.app_process import ARTIFACTS, OUTPUT, free_port, running_app, wait_for_app

FUTURE = "9999_future"


def store_with_backups(data: Path) -> tuple[Paths, Path]:
    """A real store, a backup this version can open, and a newer one it cannot."""
    paths = resolve_paths(data)
    open_store(paths).close()
    usable = migrate.backup_database(paths, migrate.head_revision())
    newer = paths.backups / f"bng-99991231T000000000000Z-{FUTURE}.sqlite3"
    newer.write_bytes(usable.read_bytes())
    return paths, usable


def damage(paths: Paths) -> None:
    paths.database.write_bytes(b"this is not a database at all " * 200)


def from_the_future(paths: Paths) -> None:
    with sqlite3.connect(paths.database) as conn:
        conn.execute("UPDATE alembic_version SET version_num = ?", (FUTURE,))
    conn.close()


def test_a_damaged_store_is_explained_with_the_backup_to_restore(tmp_path):
    paths, backup = store_with_backups(tmp_path / "data")
    damage(paths)
    with pytest.raises(StoreError) as refused:
        open_store(paths)
    assert refused.value.problem is StoreProblem.DAMAGED
    problem = explain_startup_failure(paths, refused.value)
    steps = " ".join(problem.steps)
    assert "damaged" in problem.reason
    assert f"Restore the backup {backup.name}" in steps and f"copy {backup} to" in steps
    assert f"Or move {paths.database}" in steps


def test_a_newer_schema_is_explained_with_the_backup_this_version_can_open(tmp_path):
    paths, backup = store_with_backups(tmp_path / "data")
    from_the_future(paths)
    with pytest.raises(StoreError) as refused:
        open_store(paths)
    assert refused.value.problem is StoreProblem.NEWER_SCHEMA
    problem = explain_startup_failure(paths, refused.value)
    steps = " ".join(problem.steps)
    assert "newer version" in problem.reason
    assert "Install the newer BNG Desktop" in steps
    assert backup.name in steps and FUTURE not in steps


def test_a_data_folder_that_cannot_be_made_is_explained(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    paths = resolve_paths(blocker / "data")
    with pytest.raises(OSError) as refused:
        open_store(paths)
    problem = explain_startup_failure(paths, refused.value)
    assert str(paths.data_dir) in problem.reason
    assert "--data-dir" in " ".join(problem.steps)
    assert problem.text().startswith(f"{TITLE}: ")


# ------------------------------------------------------------ the real app


@pytest.mark.parametrize(
    ("spoil", "words"),
    [(damage, "is damaged"), (from_the_future, "written by a newer version")],
    ids=["damaged", "newer-schema"],
)
def test_the_app_shows_the_problem_and_logs_it_without_a_traceback(spoil, words, tmp_path):
    data = tmp_path / "data"
    paths, backup = store_with_backups(data)
    spoil(paths)
    with running_app(data, "--browser", "--no-show", "--port", str(free_port())) as app:
        page = wait_for_app(data, app).open()
        assert app.poll() is None, "the app exited instead of showing the problem"
    assert TITLE in page and words in page and "What to do" in page
    assert backup.name in page
    log = (paths.log_dir / "bng-desktop.log").read_text(encoding="utf-8")
    assert f"{TITLE}: " in log and words in log and backup.name in log
    output = (data / OUTPUT).read_text(encoding="utf-8")
    assert "Traceback" not in output and "Traceback" not in log
    assert words in output  # the console, where there is one, says it too


def test_the_app_with_a_folder_it_cannot_use_still_says_why(tmp_path):
    """The data folder (and so its log folder) cannot even be made."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    output_dir = tmp_path / "run"
    args = ("--browser", "--no-show", "--port", str(free_port()))
    with running_app(blocker / "data", *args, output_dir=output_dir) as app:
        page = wait_for_app(output_dir, app).open()
    assert TITLE in page and "--data-dir" in page
    output = (output_dir / OUTPUT).read_text(encoding="utf-8")
    assert "Traceback" not in output
    assert re.search(r"cannot write the log in .*a-file", output)


webdriver = pytest.importorskip("selenium.webdriver")


def test_screenshots_of_the_problem_page(tmp_path):
    from tests.ui.test_lock_process import CHROMEDRIVER, CHROMIUM, chromium

    if not (CHROMEDRIVER and CHROMIUM):
        pytest.skip("Chromium and chromedriver are not installed (.ci/run installs them)")
    data = tmp_path / "data"
    paths, _ = store_with_backups(data)
    damage(paths)
    ARTIFACTS.mkdir(exist_ok=True)
    with running_app(data, "--browser", "--no-show", "--port", str(free_port())) as app:
        address = wait_for_app(data, app).entry_url
        for size in ((1280, 800), (1366, 768)):
            browser = chromium(tmp_path / f"chromium{size[0]}", size)
            try:
                browser.get(address)
                browser.implicitly_wait(20)
                browser.find_element("xpath", "//*[contains(text(),'What to do')]")
                shot = ARTIFACTS / f"startup-problem-{size[0]}x{size[1]}.png"
                browser.save_screenshot(str(shot))
            finally:
                browser.quit()
            assert shot.stat().st_size > 10_000
