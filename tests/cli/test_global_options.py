"""--data-dir and --quiet typed anywhere on the line, as users type them."""

from __future__ import annotations

import pytest

from bng_desktop.settings import DATABASE_FILE
from tests.cli.commands import SAMPLE_DEMAND, SITE, bng


def test_quiet_and_data_dir_after_the_command(tmp_path):
    data = tmp_path / "data"
    done = bng("quote", "--demand", str(SAMPLE_DEMAND), *SITE, "--quiet", "--data-dir", str(data))
    assert done.code == 0, done.err
    assert (data / DATABASE_FILE).is_file()
    assert "Stage A" not in done.err and "Quote ready" not in done.err
    assert "Solver:" in done.out


def test_progress_shows_without_quiet_wherever_the_data_dir_is_typed(tmp_path):
    data = tmp_path / "data"
    done = bng("quote", "--data-dir", str(data), "--demand", str(SAMPLE_DEMAND), *SITE)
    assert done.code == 0, done.err
    assert "Stage A" in done.err


@pytest.mark.parametrize(
    "line",
    [
        ("--data-dir", "{data}", "--quiet", "reference", "list"),
        ("reference", "--data-dir", "{data}", "list", "--quiet"),
        ("reference", "list", "--quiet", "--data-dir", "{data}"),
        ("--quiet", "reference", "list", "--data-dir", "{data}"),
    ],
    ids=["before", "between-command-and-action", "after-action", "split"],
)
def test_a_nested_action_takes_the_global_options_at_every_position(tmp_path, line):
    data = tmp_path / "data"
    done = bng(*(part.format(data=data) for part in line))
    assert done.code == 0, done.err
    assert (data / DATABASE_FILE).is_file()
    assert "sample" in done.out


def test_an_option_given_before_is_kept_when_the_command_does_not_repeat_it(tmp_path):
    """The command's parser must not reset a value the top parser read."""
    data = tmp_path / "data"
    done = bng("--data-dir", str(data), "--quiet", "history", "list", "--limit", "5")
    assert done.code == 0, done.err
    assert (data / DATABASE_FILE).is_file()


def test_the_last_data_dir_typed_wins(tmp_path):
    first, last = tmp_path / "first", tmp_path / "last"
    done = bng("--data-dir", str(first), "reference", "list", "--data-dir", str(last))
    assert done.code == 0, done.err
    assert (last / DATABASE_FILE).is_file() and not first.exists()
