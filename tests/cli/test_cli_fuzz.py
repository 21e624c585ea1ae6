"""A sample of the command-line fuzz (fuzz_command_lines.py): every bad command
line ends in a message and an exit code, never a traceback or a hang, and a
refusal leaves the store as it was."""

from __future__ import annotations

from tests.cli.fuzz_command_lines import cases, prepared_data_dir, run_case

SAMPLE_EVERY = 12
"""One case in twelve (about fifteen processes); the full run is in the module."""


def test_a_sample_of_bad_command_lines_ends_in_messages_not_tracebacks(tmp_path):
    data_dir = prepared_data_dir(tmp_path / "store")
    sample = cases(tmp_path / "inputs")[::SAMPLE_EVERY]
    assert len(sample) >= 15
    outcomes = [run_case(case, data_dir) for case in sample]
    assert {o.case.name: o.problems for o in outcomes if o.problems} == {}
    assert {o.code for o in outcomes} <= {0, 1, 2, 3}
    assert {1, 2, 3} <= {o.code for o in outcomes}
