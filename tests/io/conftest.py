"""Fixtures of the io tests: a store on the sample reference, with one typed
quote saved in it, kept for a whole test module (the exports only read them).
A module that changes its store declares its own ``workspace``."""

from __future__ import annotations

import pytest

from bng_desktop.workspace import Workspace
from tests.io.saved_quotes import typed_quote


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    with Workspace.open(tmp_path_factory.mktemp("store")) as opened:
        opened.ensure_reference()
        yield opened


@pytest.fixture(scope="module")
def saved(workspace):
    return typed_quote(workspace)
