"""The result cache: put, get, replace, clear."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import text

from bng_desktop.core.errors import StoreError
from bng_desktop.store import ReferenceRepository, ResultCache, Store
from tests.factories import tiny_reference


def _key(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()


@pytest.fixture
def version_id(references: ReferenceRepository) -> int:
    return references.import_data(tiny_reference(), "test").version_id


def test_put_then_get(cache: ResultCache, version_id: int) -> None:
    payload = {"total": "12345.5", "lines": [{"bank": "B1", "units": "1/3"}], "note": "é"}
    assert cache.get(_key("a")) is None
    cache.put(_key("a"), version_id, payload)
    assert cache.get(_key("a")) == payload
    assert cache.size() == 1


def test_put_replaces_an_existing_entry(cache: ResultCache, version_id: int) -> None:
    cache.put(_key("a"), version_id, {"n": 1})
    cache.put(_key("a"), version_id, {"n": 2})
    assert cache.get(_key("a")) == {"n": 2}
    assert cache.size() == 1


def test_clear_empties_the_cache(cache: ResultCache, version_id: int) -> None:
    for name in "abc":
        cache.put(_key(name), version_id, {"name": name})
    assert cache.clear() == 3
    assert cache.size() == 0
    assert cache.get(_key("a")) is None


def test_an_unknown_reference_version_is_refused(cache: ResultCache) -> None:
    with pytest.raises(StoreError, match="version 42"):
        cache.put(_key("a"), 42, {})


def test_entries_go_with_their_reference_version(
    store: Store, cache: ResultCache, version_id: int
) -> None:
    cache.put(_key("a"), version_id, {})
    with store.transaction() as conn:
        conn.execute(text("DELETE FROM reference_version"))
    assert cache.size() == 0
