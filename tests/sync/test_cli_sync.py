"""bng central init|upgrade|status|publish and bng sync, end to end."""

from __future__ import annotations

import pytest

from bng_desktop.cli import main
from bng_desktop.settings import sample_reference_path


@pytest.fixture
def bng(tmp_path, monkeypatch):
    monkeypatch.delenv("BNG_CENTRAL_URL", raising=False)

    def run(desktop: str, *args: str) -> int:
        return main(["--data-dir", str(tmp_path / desktop), *args])

    return run


def test_an_admin_creates_the_schema_and_publishes_and_a_desktop_syncs(bng, empty_database, capsys):
    url = ["--url", empty_database]
    assert bng("admin", "central", "status", *url) == 1
    assert "no BNG schema yet" in capsys.readouterr().out
    assert bng("admin", "central", "init", *url) == 0
    assert "Created the BNG schema" in capsys.readouterr().out
    assert bng("admin", "central", "upgrade", *url) == 0
    assert bng("admin", "central", "publish", str(sample_reference_path()), *url) == 0
    assert "as central reference version 1" in capsys.readouterr().out
    assert bng("admin", "central", "status", *url) == 0
    out = capsys.readouterr().out
    assert "reference versions: 1 (current: 1)" in out and "quotes: 0" in out

    assert bng("desk", "sync", *url, "--remember") == 0
    out, err = capsys.readouterr()
    assert "Pulled central reference version 1" in out and "SAMPLE" not in err
    assert bng("desk", "sync") == 0  # the remembered URL
    assert "Up to date" in capsys.readouterr().out
    assert bng("desk", "sync", "--status") == 0
    assert "online — synced" in capsys.readouterr().out


def test_publishing_the_local_version_and_usage_errors(bng, central, capsys):
    url = ["--url", central.url]
    assert bng("admin", "reference", "list") == 0  # loads the sample locally
    capsys.readouterr()
    assert bng("admin", "central", "publish", "--local", *url) == 0
    assert "Published sample" in capsys.readouterr().out
    assert bng("admin", "central", "publish", "--local", *url) == 0
    assert "already has this content" in capsys.readouterr().out
    assert bng("admin", "central", "publish", *url) == 2


def test_sync_exits_non_zero_when_the_server_cannot_be_reached(bng, capsys):
    assert bng("desk", "sync", "--url", "postgresql://bng@127.0.0.1:1/bng") == 3
    err = capsys.readouterr().err
    assert "Cannot reach the team database at 127.0.0.1" in err and "bng sync: offline" in err


def test_a_bad_workbook_is_refused_by_publish(bng, central, tmp_path, capsys):
    import openpyxl

    book = openpyxl.load_workbook(sample_reference_path())
    book["Stock"]["D2"] = "lots"
    bad = tmp_path / "bad.xlsx"
    book.save(bad)
    assert bng("admin", "central", "publish", str(bad), "--url", central.url) == 1
    assert "Stock row 2" in capsys.readouterr().err
    assert central.scalar("SELECT count(*) FROM reference_version") == 0
