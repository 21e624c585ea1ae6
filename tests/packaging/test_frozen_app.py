"""The one-folder executable as a consultant's machine runs it: the CLI
(--version, doctor, quotes on HiGHS and CBC) and the app in the browser,
served on 127.0.0.1 and shut down with nothing left running."""

from __future__ import annotations

import json
import re
import signal
import tomllib
import urllib.error
import urllib.request

import pytest

from bng_desktop.settings import assets_dir
from tests.packaging.frozen import REPO, run_frozen
from tests.packaging.processes import (
    group_members,
    kill_group,
    listening_addresses,
    terminate_main_only,
    wait_until_group_gone,
)
from tests.ui.app_process import free_port, running_app, wait_for_app

pytestmark = pytest.mark.slow

SITE = ["--lpa", "Winchester", "--nca", "South Downs"]


def test_version_is_the_one_in_pyproject(frozen):
    declared = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    result = run_frozen(frozen, "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"bng-desktop {declared}"


def test_doctor_finds_the_bundle_and_both_solvers(frozen, tmp_path):
    result = run_frozen(frozen, "--data-dir", str(tmp_path / "data"), "doctor")
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "frozen executable, bundle at" in out
    assert re.search(r"HiGHS \(highspy\)\s+available", out)
    assert re.search(r"HiGHS \(PuLP\)\s+available", out)
    assert re.search(r"CBC \(PuLP\)\s+available", out)
    assert "sample_reference.xlsx (present)" in out
    assert "Ready to quote." in out


def test_a_quote_on_the_sample_data_with_highs_and_with_cbc(frozen, tmp_path):
    """Also runs the store migrations (first run) and loads the bundled sample."""
    totals = {}
    for solver in ("highs", "cbc"):
        result = run_frozen(
            frozen,
            *("--data-dir", str(tmp_path / "data"), "--quiet", "quote"),
            *("--demand", str(assets_dir() / "sample_demand.csv"), *SITE),
            *("--solver", solver, "--no-cache", "--json", "-"),
        )
        assert result.returncode == 0, result.stderr
        quote = json.loads(result.stdout)
        assert quote["solver"]["name"] == solver
        assert quote["solver"]["optimal"] is True
        totals[solver] = quote["total"]
    assert totals["highs"] == totals["cbc"]


def test_the_app_serves_on_localhost_and_stops_cleanly(frozen, tmp_path):
    port = free_port()
    data = tmp_path / "data"
    args = ("--browser", "--no-show", "--port", str(port))
    with running_app(data, *args, command=[str(frozen.executable)]) as app:
        session = wait_for_app(data, app, timeout=90)
        assert listening_addresses(port) == {"127.0.0.1"}
        page = session.open()
        assert "<title>BNG Desktop</title>" in page
        static = re.findall(r'(?:src|href)="(/_nicegui/[^"]+/static/[^"]+)"', page)
        assert static, "the page names none of NiceGUI's static files"
        for asset in static:
            assert session.get(asset)[0] == 200, asset  # they are in the bundle
        assert urllib_status(f"http://127.0.0.1:{port}/") == 403  # no secret: locked
        try:
            status = terminate_main_only(app)
            left = wait_until_group_gone(app.pid)
        finally:
            kill_group(app.pid)
    # uvicorn shuts down gracefully, then re-raises the signal it caught
    assert status in (0, -signal.SIGTERM), (data / "app-output.log").read_text()[-3000:]
    assert not left, f"left running: {left}"
    log = (data / "logs" / "bng-desktop.log").read_text(encoding="utf-8")
    assert log.count("starting (browser mode)") == 1
    assert "stopped cleanly" in log
    assert not group_members(app.pid)


def urllib_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
