"""The application's garbage-collector setting: the CLI sets it at start."""

import gc

import pytest

from bng_desktop.cli import main as cli_main
from bng_desktop.collector_policy import FIRST_GENERATION_THRESHOLD


@pytest.fixture
def default_threshold():
    saved = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield
    gc.set_threshold(*saved)


def test_the_cli_collects_less_often_than_cpython_by_default(default_threshold, capsys):
    with pytest.raises(SystemExit):
        cli_main(["--version"])
    assert gc.get_threshold()[0] == FIRST_GENERATION_THRESHOLD
    assert "bng-desktop" in capsys.readouterr().out
