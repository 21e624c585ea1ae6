"""The About box: version, data folder, log file and reference version."""

from __future__ import annotations

import pytest
from nicegui.testing import User

from bng_desktop import __version__

pytestmark = pytest.mark.asyncio


async def test_the_about_box_says_which_version_and_where_the_files_are(user: User, services):
    await user.open("/")
    user.find(marker="about").click()
    paths = services.workspace.paths
    await user.should_see(__version__, marker="about-version")
    await user.should_see("v1 from sample", marker="about-reference")
    await user.should_see(str(paths.data_dir), marker="about-data-folder")
    await user.should_see(str(paths.log_dir / "bng-desktop.log"), marker="about-log-file")
    user.find(marker="about-close").click()
    await user.should_not_see(marker="about-dialog")
