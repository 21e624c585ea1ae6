"""An export that cannot be written is found before anything is saved; one that
fails after saving names the saved quote, so a retry exports instead of saving twice."""

from __future__ import annotations

import sys

import openpyxl
import pytest

from bng_desktop.cli.exit_code import ExitCode
from tests.cli.commands import SAMPLE_DEMAND, SITE, bng, saved_references, store_fingerprint


@pytest.fixture
def data(tmp_path):
    data = tmp_path / "data"
    assert bng("reference", "list", "--data-dir", str(data)).code == 0
    return data


def _quote(data, *extra: str):
    return bng(
        "quote", "--demand", str(SAMPLE_DEMAND), *SITE, "--save", "--data-dir", str(data), *extra
    )


@pytest.mark.parametrize(
    ("target", "problem"),
    [
        ("missing/quote.xlsx", "missing does not exist"),
        ("folder.xlsx", "it is a folder"),
        ("a-file/quote.xlsx", "a-file is a file, not a folder"),
    ],
)
def test_a_bad_excel_target_is_refused_before_saving(tmp_path, data, target, problem):
    (tmp_path / "folder.xlsx").mkdir()
    (tmp_path / "a-file").write_text("")
    before = store_fingerprint(data)
    done = _quote(data, "--xlsx", str(tmp_path / target))
    assert done.code == ExitCode.ENVIRONMENT and not done.traceback
    assert problem in done.err and "nothing was done" in done.err
    assert store_fingerprint(data) == before and saved_references(data) == []


def test_a_bad_json_target_is_refused_before_saving(tmp_path, data):
    done = _quote(data, "--json", str(tmp_path / "missing" / "quote.json"))
    assert done.code == ExitCode.ENVIRONMENT
    assert "Cannot write the JSON" in done.err and saved_references(data) == []


def test_a_wrong_extension_is_a_usage_error(tmp_path, data):
    done = _quote(data, "--xlsx", str(tmp_path / "quote.csv"))
    assert done.code == ExitCode.USAGE
    assert "argument --xlsx" in done.err and "must end in .xlsx" in done.err
    assert saved_references(data) == []


def test_an_export_failing_after_saving_names_the_reference_for_the_retry(tmp_path, data):
    """The entry point with the workbook writer failing as a full disk would."""
    program = (
        sys.executable,
        "-c",
        "import errno, sys; from bng_desktop.cli import main, output\n"
        "def full(quote, path, **kw):\n"
        "    raise OSError(errno.ENOSPC, 'No space left on device', str(path))\n"
        "output.write_quote_workbook = full\n"
        "sys.exit(main(sys.argv[1:]))",
    )
    xlsx = tmp_path / "quote.xlsx"
    args = ("quote", "--demand", str(SAMPLE_DEMAND), *SITE, "--save", "--xlsx", str(xlsx))
    done = bng(*args, "--data-dir", str(data), program=program)
    assert done.code == ExitCode.ENVIRONMENT and not done.traceback
    (reference,) = saved_references(data)
    assert f"The quote was saved as {reference}" in done.err
    assert "No space left on device" in done.err and "nothing was changed" not in done.err
    assert f"bng history export {reference}" in done.err
    retried = bng("history", "export", reference, str(xlsx), "--data-dir", str(data))
    assert retried.code == 0, retried.err
    assert openpyxl.load_workbook(xlsx)["Quote"] is not None
    assert saved_references(data) == [reference]
