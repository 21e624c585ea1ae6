"""Functions run in other processes by the concurrency tests (must be importable)."""

from __future__ import annotations

from typing import Any

from bng_desktop.settings import resolve_paths
from bng_desktop.store import QuoteRepository, open_store
from tests.factories import make_quote


def save_quotes(data_dir: str, count: int, client: str, barrier: Any, results: Any) -> None:
    """Open the store at ``data_dir`` (migrating if needed), wait until every
    worker is ready, then save ``count`` quotes and report their references."""
    with open_store(resolve_paths(data_dir)) as store:
        repo = QuoteRepository(store)
        barrier.wait(timeout=60)
        saved = [repo.save(make_quote(), client_name=client).reference for _ in range(count)]
    results.put(saved)
