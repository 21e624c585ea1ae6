"""bng locate and bng reference locate-banks, end to end against the fakes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bng_desktop.cli import main
from bng_desktop.workspace import Workspace
from tests.geo.test_banks import reference_with_unplaced_banks
from tests.geo.test_postcodes import OFFLINE_MESSAGE, closed_port

REPO = Path(__file__).resolve().parents[2]
KEYS = {"lpa", "nca", "lpa_neighbours", "nca_neighbours", "lat", "lon", "source", "fetched_at"}


@pytest.fixture
def run(tmp_path, fake, monkeypatch, capsys):
    for name, value in fake.environment().items():
        monkeypatch.setenv(name, value)
    data_dir = tmp_path / "data"

    def run(*args: str, quiet: bool = True) -> tuple[int, str, str]:
        code = main(["--data-dir", str(data_dir), *(["--quiet"] if quiet else []), *args])
        out, err = capsys.readouterr()
        return code, out, err

    run.data_dir = data_dir
    return run


def test_locate_prints_the_location_as_json(run) -> None:
    code, out, _ = run("locate", "--postcode", "so239lj")
    assert code == 0
    answer = json.loads(out)
    assert set(answer) >= KEYS
    assert (answer["lpa"], answer["nca"], answer["source"]) == (
        "Winchester",
        "Hampshire Downs",
        "network",
    )
    assert "Test Valley" in answer["lpa_neighbours"]
    assert answer["nca_neighbours"] == ["South Downs"]
    assert (answer["lat"], answer["lon"]) == (51.0632, -1.3081)

    code, out, _ = run("locate", "--postcode", "SO23 9LJ", "--offline")
    assert code == 0 and json.loads(out)["source"] == "cache"


def test_locate_by_address_and_by_point(run) -> None:
    code, out, _ = run("locate", "--address", "Ashcombe Down")
    assert code == 0 and json.loads(out)["lpa"] == "Test Valley"
    code, out, _ = run("locate", "--point", "55.0,-2.3")
    assert code == 0 and json.loads(out)["nca"] == "Tyne Gap and Hadrian's Wall"


def test_locate_fails_with_one_line_saying_why(run) -> None:
    run("reference", "list")  # the first run's notice about the sample data is out of the way
    code, out, err = run("locate", "--postcode", "ZZ9 9ZZ")
    assert code == 1 and out == ""
    assert err.splitlines() == [
        "bng: postcode not found: ZZ9 9ZZ — check it, or pick LPA and NCA by hand; "
        "nothing was changed."
    ]
    code, _, err = run("locate", "--point", "51.2,-1.6", "--offline")
    assert code == 3  # unreachable: the environment, not the input
    assert err.splitlines() == [f"bng: {OFFLINE_MESSAGE}; nothing was changed."]


def test_locate_refuses_a_malformed_point(run) -> None:
    with pytest.raises(SystemExit) as caught:
        run("locate", "--point", "fifty-one")
    assert caught.value.code == 2


def test_locate_with_the_services_gone_exits_within_ten_seconds(tmp_path) -> None:
    dead = f"http://127.0.0.1:{closed_port()}"
    names = ("POSTCODES", "NOMINATIM", "PHOTON", "ARCGIS_LPA", "ARCGIS_NCA")
    env = {**os.environ, **{f"BNG_{n}_URL": dead for n in names}}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "bng_desktop", "--data-dir", str(tmp_path / "data")]

    def timed(*arguments: str) -> tuple[subprocess.CompletedProcess[str], float]:
        started = time.monotonic()
        result = subprocess.run(
            [*command, *arguments], env=env, capture_output=True, text=True, timeout=60
        )
        return result, time.monotonic() - started

    _, start_up = timed("history", "list")
    result, elapsed = timed("locate", "--postcode", "SO23 9LJ")
    assert result.returncode == 3
    assert result.stdout == ""
    said = result.stderr.strip().splitlines()[-1]
    assert said == f"bng: {OFFLINE_MESSAGE}; nothing was changed."
    assert elapsed - start_up < 10, "the time spent waiting on dead services, start-up aside"


def test_reference_locate_banks_stores_them_with_progress_on_stderr(run) -> None:
    with Workspace.open(run.data_dir) as workspace:
        version = workspace.references.import_data(reference_with_unplaced_banks(), "test")
        code, out, err = run("reference", "locate-banks", quiet=False)
        assert code == 1  # B4's postcode is unknown
        assert out.startswith("Located 2 bank(s)")
        assert "Locating Bank One" in err and "Located 2 of 3 banks" in err
        assert "not located: B4: postcode not found" in err
        assert set(workspace.bank_locations.read(version.version_id)) == {"B1", "B2"}

        code, out, _ = run("reference", "locate-banks")
        assert code == 1 and out.startswith("Located 0 bank(s)")  # only B4 was tried again
