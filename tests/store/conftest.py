"""Fixtures: a fresh store in a temporary data folder, and its repositories."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bng_desktop.settings import Paths, resolve_paths
from bng_desktop.store import (
    QuoteRepository,
    ReferenceRepository,
    ResultCache,
    Store,
    open_store,
)


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    return resolve_paths(tmp_path / "data")


@pytest.fixture
def store(paths: Paths) -> Iterator[Store]:
    opened = open_store(paths)
    yield opened
    opened.close()


@pytest.fixture
def references(store: Store) -> ReferenceRepository:
    return ReferenceRepository(store)


@pytest.fixture
def quotes(store: Store) -> QuoteRepository:
    return QuoteRepository(store)


@pytest.fixture
def cache(store: Store) -> ResultCache:
    return ResultCache(store)
