"""The reference page: current version, import, and a refused workbook's problems."""

from __future__ import annotations

import openpyxl
import pytest
from nicegui import ui
from nicegui.elements.upload_files import SmallFileUpload
from nicegui.testing import User

from tests.geo.fakes import FakeServices

pytestmark = pytest.mark.asyncio


def workbook_bytes(services, tmp_path, edit=None) -> bytes:
    path = services.workspace.export_reference(tmp_path / "backend.xlsx")
    if edit is not None:
        book = openpyxl.load_workbook(path)
        edit(book)
        book.save(path)
    return path.read_bytes()


async def upload(user: User, name: str, data: bytes) -> None:
    element = user.find(ui.upload).elements.pop()
    mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    await element.handle_uploads([SmallFileUpload(name, mime, data)])


async def test_current_version_and_row_counts_are_shown(user: User):
    await user.open("/reference")
    await user.should_see("Current: version 1 from sample")
    await user.should_see("banks 20")


async def test_a_good_workbook_becomes_the_new_current_version(user: User, services, tmp_path):
    await user.open("/reference")
    await upload(user, "backend.xlsx", workbook_bytes(services, tmp_path))
    await user.should_see("Imported backend.xlsx as version 2", retries=50)
    assert services.current_version().version_id == 2


async def test_a_bad_workbook_is_refused_with_its_problems_in_a_table(
    user: User, services, tmp_path
):
    def break_it(book):
        book["Stock"]["D2"] = "lots"
        book["Pricing"]["D3"] = "nearby"

    await user.open("/reference")
    await upload(user, "broken.xlsx", workbook_bytes(services, tmp_path, break_it))
    await user.should_see("Not imported", retries=50)
    table = user.find(marker="problem-table").elements.pop()
    cells = {(r["sheet"], r["row"], r["value"]) for r in table.rows}
    assert ("Stock", 2, "lots") in cells and ("Pricing", 3, "nearby") in cells
    assert services.current_version().version_id == 1
    assert len(services.versions()) == 1


async def test_banks_without_lpa_or_nca_are_looked_up_with_progress(
    user: User, services, tmp_path, monkeypatch
):
    fake = FakeServices().start()
    try:
        for name, url in fake.environment().items():
            monkeypatch.setenv(name, url)

        def unlocate(book):
            banks = book["Banks"]
            header = [c.value for c in banks[1]]
            for column in ("lpa_name", "nca_name"):
                banks.cell(row=2, column=header.index(column) + 1).value = None
            banks.cell(row=2, column=header.index("postcode") + 1).value = "SO23 9LJ"

        services.import_reference(_saved(services, tmp_path, unlocate))
        await user.open("/reference")
        await user.should_see("1 bank(s) have no LPA or NCA")
        user.find("Look them up").click()
        await user.should_see("Located 1 bank(s)", retries=100)
        snapshot = services.snapshot()
        located = [b for b in snapshot.banks.values() if b.lpa == "Winchester"]
        assert located, "the located bank takes the district of its postcode"
    finally:
        fake.stop()


def _saved(services, tmp_path, edit):
    path = tmp_path / "unlocated.xlsx"
    path.write_bytes(workbook_bytes(services, tmp_path, edit))
    return path
