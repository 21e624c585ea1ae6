"""The local SQLite store: migrations, reference versions, quote history, result cache.

Typical use (one Store per process, shared by threads)::

    store = open_store(resolve_paths())
    references = ReferenceRepository(store)
    quotes = QuoteRepository(store)

Every write runs in one transaction; failures surface as StoreError.

This package's names below are its public API; the modules inside are not
(the team sync, for one, uses only these — a test holds it to that):

- quotes: QuoteRepository, SavedQuote, QuoteSummary, and the reference format
  (REFERENCE_PATTERN, format_reference);
- reference versions: ReferenceRepository, StoredVersion, BankLocationRepository;
- the draft each desktop user is working on: DraftRepository, KeptDraft;
- the CRM queue: CrmOutbox, CrmPending, CrmQueueState;
- customers: CustomerRepository (its records are core.customers.Customer);
- promoters: PromoterList (the team's list, as last pulled);
- statutory credit prices by date: CreditPriceList;
- sync state: Outbox (quotes waiting to be pushed), TeamQuotes (colleagues'
  quotes), PulledVersions (staging and switching pulled versions: StagedPull,
  Switched),
  SyncLogRepository;
- the row format, for a database that mirrors this one: REFERENCE_TABLES,
  BANK_LOCATION_TABLE, BANK_LOCATION_COLUMNS, NAMING_CONVENTION, ROW_KINDS
  (each reference record to and from its row), dumps (canonical JSON),
  utc_now (the timestamp text every table holds).
"""

from .app_settings import AppSettings
from .bank_locations import BANK_LOCATION_COLUMNS, BankLocationRepository
from .cache import ResultCache
from .codec import dumps
from .credit_prices import CreditPriceList
from .crm_outbox import CrmOutbox, CrmPending, CrmQueueState
from .customers import CustomerRepository
from .db import Store, open_store
from .drafts import DraftRepository, KeptDraft
from .outbox import FinalReference, Outbox, OutboxBatch, PendingQuote
from .promoters import PromoterList
from .pulled_versions import PulledVersions, StagedPull, Switched
from .quote_rows import REFERENCE_PATTERN, QuoteSummary, SavedQuote, format_reference
from .quotes import QuoteRepository
from .reference_rows import ROW_KINDS, RowKind
from .references import ReferenceRepository, StoredVersion
from .sqlite import utc_now
from .sync_log import SyncLogEntry, SyncLogRepository, SyncLogState
from .tables import BANK_LOCATION_TABLE, NAMING_CONVENTION, REFERENCE_TABLES
from .team_quotes import AppliedPage, TeamQuote, TeamQuotes

__all__ = [
    "BANK_LOCATION_COLUMNS",
    "BANK_LOCATION_TABLE",
    "NAMING_CONVENTION",
    "REFERENCE_PATTERN",
    "REFERENCE_TABLES",
    "ROW_KINDS",
    "AppSettings",
    "AppliedPage",
    "BankLocationRepository",
    "CreditPriceList",
    "CrmOutbox",
    "CrmPending",
    "CrmQueueState",
    "CustomerRepository",
    "DraftRepository",
    "FinalReference",
    "KeptDraft",
    "Outbox",
    "OutboxBatch",
    "PendingQuote",
    "PromoterList",
    "PulledVersions",
    "QuoteRepository",
    "QuoteSummary",
    "ReferenceRepository",
    "ResultCache",
    "RowKind",
    "SavedQuote",
    "StagedPull",
    "Store",
    "StoredVersion",
    "Switched",
    "SyncLogEntry",
    "SyncLogRepository",
    "SyncLogState",
    "TeamQuote",
    "TeamQuotes",
    "dumps",
    "format_reference",
    "open_store",
    "utc_now",
]
