"""``--json -``: standard output is JSON and nothing else, whatever the command
prints on the way (progress, first-run notice, warnings go to stderr)."""

from __future__ import annotations

import json

import pytest

from bng_desktop.cli.exit_code import ExitCode
from tests.cli.commands import SAMPLE_DEMAND, SITE, bng
from tests.metric.generated import Spec, generate
from tests.shared_data import needs_shared


@pytest.fixture
def data(tmp_path):
    return ["--data-dir", str(tmp_path / "data")]


def test_quote_save_show_and_requote_print_only_json(data):
    quoted = bng("quote", "--demand", str(SAMPLE_DEMAND), *SITE, "--save", "--json", "-", *data)
    assert quoted.code == 0, quoted.err
    reference = json.loads(quoted.out)["reference"]
    assert "Stage A" in quoted.err and f"Saved as {reference}" in quoted.err
    shown = bng("history", "show", reference, "--json", "-", *data)
    assert json.loads(shown.out)["reference"] == reference
    requoted = bng("history", "requote", reference, "--save", "--json", "-", *data)
    assert json.loads(requoted.out)["reference"] == f"{reference}.1"


def test_lists_as_json(data):
    versions = json.loads(bng("reference", "list", "--json", *data).out)
    assert versions[0]["source"] == "sample"
    assert json.loads(bng("history", "list", "--json", *data).out) == []


def test_a_refusal_is_json_on_stdout_and_words_on_stderr(tmp_path, data):
    demand = tmp_path / "demand.csv"
    demand.write_text("habitat_name,units_required\nGrassland - Modified grassland,abc\n")
    done = bng("quote", "--demand", str(demand), *SITE, "--json", "-", *data)
    assert done.code == ExitCode.REFUSED
    error = json.loads(done.out)["error"]
    assert error["kind"] == "demand" and error["problems"][0]["row"] == 2
    assert "bng: demand.csv" in done.err


def test_an_unusable_data_folder_is_json_on_stdout_too(tmp_path):
    folder = tmp_path / "a-file"
    folder.write_text("")
    done = bng("quote", "--demand", str(SAMPLE_DEMAND), "--json", "-", "--data-dir", str(folder))
    assert done.code == ExitCode.ENVIRONMENT
    assert json.loads(done.out)["error"]["kind"] == "data_folder"


@needs_shared
def test_metric_read_prints_only_json(tmp_path, data):
    generated = generate(tmp_path / "metric", [Spec("1.0.3", 1)])[Spec("1.0.3", 1)]
    done = bng("metric", "read", str(generated.workbook), "--json", "-", *data)
    assert done.code == 0, done.err
    assert "lines" in json.loads(done.out)
