"""The local SQLite store: migrations, reference versions, quote history, result cache.

Typical use (one Store per process, shared by threads)::

    store = open_store(resolve_paths())
    references = ReferenceRepository(store)
    quotes = QuoteRepository(store)

Every write runs in one transaction; failures surface as StoreError.
"""

from .app_settings import AppSettings
from .cache import ResultCache
from .db import Store, open_store
from .quote_rows import QuoteSummary, SavedQuote
from .quotes import QuoteRepository
from .references import ReferenceRepository, StoredVersion

__all__ = [
    "AppSettings",
    "QuoteRepository",
    "QuoteSummary",
    "ReferenceRepository",
    "ResultCache",
    "SavedQuote",
    "Store",
    "StoredVersion",
    "open_store",
]
