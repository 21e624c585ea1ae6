"""The packaging tests' fixtures: the executable, built once per session."""

from __future__ import annotations

import pytest

from tests.packaging.frozen import FrozenBuild, build_one_folder
from tests.ui.test_native_window import display  # noqa: F401  (the virtual screen fixture)


@pytest.fixture(scope="session")
def frozen(tmp_path_factory) -> FrozenBuild:
    return build_one_folder(tmp_path_factory.mktemp("pyinstaller"))
