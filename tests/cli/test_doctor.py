"""bng doctor from source: paths, reference data, every solver really solving,
the central database when configured, and the exit status."""

from __future__ import annotations

import socket

import pytest

from bng_desktop import doctor
from bng_desktop.cli import main
from bng_desktop.doctor import Check
from bng_desktop.sync.settings import URL_ENV, URL_KEY
from bng_desktop.workspace import Workspace


@pytest.fixture
def run(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv(URL_ENV, raising=False)
    data_dir = tmp_path / "data"

    def run(*args: str) -> tuple[int, str]:
        status = main(["--data-dir", str(data_dir), *args])
        return status, capsys.readouterr().out

    return run


def test_a_fresh_installation_can_quote_and_says_where_everything_is(run, tmp_path):
    status, out = run("doctor")
    assert status == 0
    data = tmp_path / "data"
    for expected in (
        f"data               {data}",
        str(data / "bng.sqlite3"),
        str(data / "cache"),
        str(data / "logs" / "bng-desktop.log"),
        "none stored yet",
        "sample_reference.xlsx (present)",
        "central database   not configured",
        "Ready to quote.",
    ):
        assert expected in out
    for solver in ("HiGHS (highspy)", "HiGHS (PuLP)", "CBC (PuLP)"):
        assert f"{solver:18} available" in out


def test_the_doctor_does_not_load_the_sample_but_reports_it_once_loaded(run):
    assert "none stored yet" in run("doctor")[1]
    run("reference", "list")  # any other command loads the sample on first run
    assert "v1 from sample" in run("doctor")[1]


def test_no_reference_data_and_no_sample_cannot_quote(run, monkeypatch, tmp_path):
    monkeypatch.setattr(doctor, "sample_reference_path", lambda: tmp_path / "missing.xlsx")
    status, out = run("doctor")
    assert status == 3
    assert "(MISSING)" in out
    assert "CANNOT QUOTE: no reference data and no bundled sample" in out


def test_no_working_solver_cannot_quote(run, monkeypatch):
    broken = (Check("HiGHS (highspy)", False, "not available: ImportError: gone"),)
    monkeypatch.setattr(doctor, "solver_checks", lambda: broken)
    status, out = run("doctor")
    assert status == 3
    assert "FAILED: not available: ImportError: gone" in out
    assert "CANNOT QUOTE: no working solver" in out


def test_a_solver_giving_a_wrong_answer_is_not_counted():
    check = doctor._timed("fake", lambda: 4.0)
    assert not check.ok and "wrong answer" in check.detail


def test_a_reachable_central_database_is_reported_without_its_password(run, monkeypatch):
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        monkeypatch.setenv(URL_ENV, f"postgresql://bng:secret@127.0.0.1:{port}/bng")
        status, out = run("doctor")
    assert status == 0
    assert f"postgresql://bng:***@127.0.0.1:{port}/bng: reachable" in out
    assert "secret" not in out


def test_an_unreachable_central_database_is_normal_offline_not_a_failure(run, monkeypatch):
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
    monkeypatch.setenv(URL_ENV, f"postgresql://127.0.0.1:{port}/bng")
    status, out = run("doctor")
    assert status == 0
    assert f"postgresql://127.0.0.1:{port}/bng: unreachable" in out


def test_the_central_url_may_come_from_the_local_settings(tmp_path, monkeypatch):
    monkeypatch.delenv(URL_ENV, raising=False)
    with Workspace.open(tmp_path / "data") as workspace:
        assert doctor.central_url(workspace) is None
        workspace.settings.set(URL_KEY, "postgresql://db.example/bng")
        assert doctor.central_url(workspace) == "postgresql://db.example/bng"


def test_cache_size_counts_the_files_in_the_cache_folder(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one").write_bytes(b"x" * 10)
    (tmp_path / "two").write_bytes(b"x" * 5)
    assert doctor.folder_bytes(tmp_path) == 15
    assert doctor.folder_bytes(tmp_path / "absent") == 0


def test_doctor_is_dispatched_by_python_m_bng_desktop_too(tmp_path):
    from bng_desktop.__main__ import main as module_main

    assert module_main(["--data-dir", str(tmp_path / "data"), "doctor"]) == 0


def test_a_quote_after_the_doctor_in_the_same_process_still_runs_on_highs(tmp_path):
    """HiGHS's thread pool is made once per process: the doctor's checks must
    not leave it in a state the quote engine's single-threaded runs refuse."""
    from fractions import Fraction

    from bng_desktop.core.model import DemandLine, Site
    from bng_desktop.core.result import QuoteRequest

    assert all(check.ok for check in doctor.solver_checks())
    demand = (DemandLine("Grassland - Modified grassland", Fraction(12, 10)),)
    with Workspace.open(tmp_path / "data") as workspace:
        quote = workspace.quote(
            QuoteRequest(Site(lpa="Winchester", nca="South Downs"), demand), use_cache=False
        )
    assert quote.solver.name == "highs" and not quote.warnings
