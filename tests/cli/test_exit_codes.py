"""Exit codes 0 ok, 1 refused input, 2 usage, 3 environment; an unexpected error
logged with its traceback and told in one sentence naming the log file."""

from __future__ import annotations

import sys

from bng_desktop.cli.exit_code import ExitCode
from bng_desktop.logs import LOG_FILE
from tests.cli.commands import SAMPLE_DEMAND, SITE, bng, store_fingerprint


def test_a_result_exits_0(tmp_path):
    done = bng("--data-dir", str(tmp_path / "data"), "reference", "list")
    assert (done.code, done.traceback) == (ExitCode.OK, False)


def test_a_refused_demand_file_exits_1_naming_line_column_and_value(tmp_path):
    data = tmp_path / "data"
    assert bng("--data-dir", str(data), "reference", "list").code == 0
    before = store_fingerprint(data)
    demand = tmp_path / "demand.csv"
    demand.write_text("habitat_name,units_required\nGrassland - Modified grassland,abc\n")
    done = bng("quote", "--demand", str(demand), *SITE, "--save", "--data-dir", str(data))
    assert done.code == ExitCode.REFUSED
    assert "line 2" in done.err and "units_required" in done.err and "abc" in done.err
    assert "nothing was" in done.err.lower()
    assert not done.traceback and done.out == ""
    assert store_fingerprint(data) == before


def test_a_quote_that_does_not_exist_exits_1(tmp_path):
    done = bng("history", "show", "BNG-A-99999", "--data-dir", str(tmp_path / "data"))
    assert done.code == ExitCode.REFUSED
    *first_run, said = done.err.strip().splitlines()
    assert said.startswith("bng: No saved quote has reference 'BNG-A-99999'")
    assert [line for line in first_run if "SAMPLE" not in line] == []


def test_an_unknown_option_exits_2_in_one_line(tmp_path):
    done = bng("quote", "--demand", str(SAMPLE_DEMAND), "--colour", "red")
    assert done.code == ExitCode.USAGE
    assert done.err.strip().splitlines() == [
        "bng: unrecognized arguments: --colour red (see bng --help)"
    ]


def test_a_missing_command_exits_2():
    done = bng()
    assert done.code == ExitCode.USAGE and "COMMAND" in done.err and not done.traceback


def test_an_unusable_data_folder_exits_3(tmp_path):
    folder = tmp_path / "a-file"
    folder.write_text("not a folder")
    done = bng("doctor", "--data-dir", str(folder))
    assert done.code == ExitCode.ENVIRONMENT


def test_an_unexpected_error_is_one_sentence_and_its_traceback_is_in_the_log(tmp_path):
    """The entry point itself, with one command made to fail as a bug would."""
    data = tmp_path / "data"
    program = (
        sys.executable,
        "-c",
        "import sys; from bng_desktop import cli\n"
        "def broken(workspace, args):\n"
        "    raise KeyError('a bug')\n"
        "cli.reference.run = broken\n"
        "sys.exit(cli.main(sys.argv[1:]))",
    )
    done = bng("reference", "list", "--data-dir", str(data), program=program)
    log_file = data / "logs" / LOG_FILE
    assert done.code == ExitCode.ENVIRONMENT and not done.traceback
    assert done.err.strip().splitlines()[-1] == (
        "bng: the command stopped on an error BNG Desktop did not expect (KeyError); "
        f"the details are in the log file {log_file}."
    )
    logged = log_file.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in logged and "a bug" in logged
