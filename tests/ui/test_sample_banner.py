"""The SAMPLE data banner: there while quotes use the bundled sample, gone once
a version with other content is current; the rule lives in the store."""

from __future__ import annotations

import asyncio
import time

import openpyxl
from nicegui.elements.upload_files import SmallFileUpload
from nicegui.testing import User

from bng_desktop.ui.components.sample_banner import REFRESH_SECONDS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def exported(services, tmp_path, edit=None):
    path = services.workspace.export_reference(tmp_path / "backend.xlsx")
    if edit is not None:
        book = openpyxl.load_workbook(path)
        edit(book)
        book.save(path)
    return path


def cheaper_stock(book):
    book["Stock"]["D2"] = 123


async def until_current(services, version_id: int, seconds: float = 60) -> None:
    """Wait, by the clock, until the import made ``version_id`` current."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        current = services.current_version()
        if current is not None and current.version_id == version_id:
            return
        await asyncio.sleep(0.1)
    versions = services.versions()
    raise AssertionError(f"version {version_id} not current after {seconds:g} s: {versions}")


def banner_shown(user: User) -> bool:
    """``user.find`` sees only what is visible."""
    try:
        user.find(marker="first-run-banner")
    except AssertionError:
        return False
    return True


def test_the_store_tells_sample_content_from_real_content(services, tmp_path):
    workspace = services.workspace
    assert workspace.showing_sample_data()
    workspace.import_reference(exported(services, tmp_path))  # the same rows, renamed
    assert workspace.showing_sample_data()
    workspace.import_reference(exported(services, tmp_path, cheaper_stock))
    assert not workspace.showing_sample_data()
    workspace.references.set_current(1)
    assert workspace.showing_sample_data()


async def test_the_banner_goes_once_a_real_workbook_is_imported(user: User, services, tmp_path):
    await user.open("/")
    await user.should_see("bundled SAMPLE reference data")
    assert banner_shown(user)
    path = exported(services, tmp_path, cheaper_stock)
    await user.open("/reference")
    upload = user.find(marker="reference-upload").elements.pop()
    await upload.handle_uploads([SmallFileUpload("backend.xlsx", XLSX, path.read_bytes())])
    await until_current(services, 2)
    await user.should_see("Imported backend.xlsx as version 2", retries=50)
    assert not banner_shown(user), "the banner stayed after a real workbook became current"
    await user.open("/")
    assert not banner_shown(user)


async def test_a_version_switched_in_the_background_hides_the_banner(
    user: User, services, tmp_path
):
    await user.open("/")
    assert banner_shown(user)
    services.workspace.import_reference(exported(services, tmp_path, cheaper_stock))
    for _ in range(int(REFRESH_SECONDS * 20) + 20):  # the banner's own timer notices
        if not banner_shown(user):
            break
        await asyncio.sleep(0.1)
    assert not banner_shown(user)


async def test_dismissed_stays_dismissed_in_this_window(user: User):
    await user.open("/")
    user.find(marker="dismiss").click()
    assert not banner_shown(user)
    user.find(marker="nav-history").click()
    await user.should_see("Quote history")
    assert not banner_shown(user)
