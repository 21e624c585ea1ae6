"""The service functions the CLI and the UI call: one data folder's store,
reference versions, quoting (with the result cache) and quote history.

Nothing here decides a business rule; it wires core to store and io.
"""

from __future__ import annotations

import dataclasses
import getpass
import os
import tempfile
import threading
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from .collector_policy import collector_paused_for_jobs
from .core.alternatives import Alternative, alternatives
from .core.bank_geography import needs_location
from .core.canonical import request_key
from .core.client_documents import ClientDocument
from .core.customers import Customer, CustomerDetails
from .core.demand import resolve_demand
from .core.errors import BngError, ReplaceNotConfirmed
from .core.impact import ImpactOffer, ImpactReport, OpenQuote, VersionArrival, impact_of
from .core.kept_metric import onsite_as_priced
from .core.metric import MetricImport
from .core.onsite_choice import OnSiteComparison, compare_onsite
from .core.progress import (
    CancelToken,
    ImportStage,
    ProgressCallback,
    no_progress,
    stage_reporter,
)
from .core.quote import SharedInputs, make_quote
from .core.reference import ReferenceSnapshot
from .core.result import Quote, QuoteRequest
from .core.sites import with_known_neighbours
from .core.statutory_credits import (
    CreditPrices,
    CreditSchedule,
    StatutoryCredits,
    credits_for_demand,
    prices_in_force,
    prices_words,
)
from .core.version_terms import SAMPLE_SOURCE, VersionOrigin
from .crm import CrmSync
from .geo import BankBatch, LocationService, locate_banks
from .geo.banks import BankProgress, no_bank_progress
from .io.client_documents import (
    ClientTable,
    DocumentFile,
    WrittenDocument,
    client_table_of,
    write_client_document,
)
from .io.credit_prices_file import read_credit_prices
from .io.reference_workbook import read_reference_workbook, write_reference_workbook
from .io.statutory import bundled_credit_prices, load_credit_schedule, load_statutory_facts
from .metric_import import import_metric as _import_metric
from .settings import Paths, resolve_paths, sample_reference_path
from .store import (
    AppSettings,
    CreditPriceList,
    CrmOutbox,
    CustomerRepository,
    DraftRepository,
    KeptDraft,
    PromoterList,
    PulledVersions,
    QuoteRepository,
    ReferenceRepository,
    ResultCache,
    SavedQuote,
    Store,
    StoredVersion,
    open_store,
)
from .store.bank_locations import BankLocationRepository
from .store.codec import quote_from_dict, quote_to_dict
from .store.metric_files import MetricFiles
from .store.quote_families import FamilyOrder, QuoteFamily, group_families
from .sync import TeamSync

OPEN_QUOTE_DAYS = 90
"""Quotes saved within this many days count as open for the impact table."""
ALTERNATIVES_KEPT = 32
"""Alternatives lists kept for the documents of the quotes last shown."""


class Workspace:
    """Everything one user's data folder holds. Thread-safe; open one per process."""

    def __init__(self, paths: Paths):
        self.paths = paths
        self.store: Store = open_store(paths)
        self.references = ReferenceRepository(self.store)
        self.quotes = QuoteRepository(self.store)
        self.customers = CustomerRepository(self.store)
        self.promoters = PromoterList(self.store)
        """The team's promoters, as last pulled (the quote page offers these)."""
        self.credit_prices = CreditPriceList(self.store)
        """Statutory credit prices set by an admin or pulled, by date."""
        self.cache = ResultCache(self.store)
        self.settings = AppSettings(self.store)
        self.drafts = DraftRepository(self.store)
        self.user_name = desktop_user()
        """Whose draft this desktop keeps (the login name)."""
        self.sample_loaded: StoredVersion | None = None
        self._alternatives_lock = threading.Lock()
        self._alternatives_shown: dict[tuple, tuple[Alternative, ...]] = {}
        self.bank_locations = BankLocationRepository(self.store)
        self.sync = TeamSync(self.store)
        self.crm = CrmSync(self.settings, CrmOutbox(self.store))
        """Team sync with the central PostgreSQL (bng_desktop/sync)."""
        self.metric_files = MetricFiles(paths.data_dir)
        self._location_services: dict[bool, LocationService] = {}
        self._location_lock = threading.Lock()

    @classmethod
    def open(cls, data_dir: str | os.PathLike | None = None) -> Workspace:
        return cls(resolve_paths(data_dir))

    def close(self) -> None:
        for service in self._location_services.values():
            service.close()
        self.store.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ reference data

    def ensure_reference(self) -> StoredVersion | None:
        """First run with an empty store: load the bundled sample so everything
        works offline. Returns the version loaded, or None when there was one."""
        loaded = self.references.ensure_reference(_read_sample, source=SAMPLE_SOURCE)
        if loaded is not None:
            self.sample_loaded = loaded
        return loaded

    def showing_sample_data(self) -> bool:
        """True while quotes are made on the bundled SAMPLE data (invented banks
        and prices): until a version with other content is current."""
        return self.references.sample_is_current(SAMPLE_SOURCE)

    def snapshot(self, version_id: int | None = None) -> ReferenceSnapshot:
        if version_id is None:
            self.ensure_reference()
        return self.references.snapshot(version_id)

    def import_reference(
        self, path: str | Path, label: str = "", *, progress: ProgressCallback = no_progress
    ) -> StoredVersion:
        """Validate a backend workbook and store it as the new current version.
        An invalid workbook raises ReferenceDataError and changes nothing.
        Progress comes in the stages reading, checking and storing
        (core.progress.ImportStage), each as it really happens. The cyclic
        collector is held off meanwhile, as for the app's background jobs: a
        national workbook is millions of objects that live until the import
        ends, none of them in a cycle."""
        path = Path(path)
        with collector_paused_for_jobs():
            data = read_reference_workbook(path, load_statutory_facts(), progress=progress)
            storing = stage_reporter(progress, ImportStage.STORING)
            version = self.references.import_data(
                data,
                source=path.name,
                label=label,
                progress=storing,
                imported_by=self.sync.settings().author_name,
            )
        storing(1.0, f"Stored as version {version.version_id}; it is now current")
        return version

    def version_origin(self, version: StoredVersion) -> VersionOrigin:
        """Where ``version`` came from: imported here, the bundled sample, or
        pulled from the team database (with the team's number for it)."""
        team = {local: central for central, local in PulledVersions(self.store).linked().items()}
        return VersionOrigin(
            source=version.source,
            created_at=version.created_at,
            team_version=team.get(version.version_id),
            imported_by=version.imported_by,
        )

    def export_reference(self, path: str | Path, version_id: int | None = None) -> Path:
        version = version_id if version_id is not None else self._current_id()
        return write_reference_workbook(self.references.load_data(version), path)

    def _current_id(self) -> int:
        self.ensure_reference()
        current = self.references.current_version()
        if current is None:
            raise BngError("There is no reference data; import a backend workbook first.")
        return current.version_id

    # ------------------------------------------------------------ quoting

    def prepare(self, request: QuoteRequest, snapshot: ReferenceSnapshot) -> QuoteRequest:
        """The request as it will be quoted: neighbours completed offline."""
        site = with_known_neighbours(request.site, snapshot)
        return dataclasses.replace(request, site=site) if site is not request.site else request

    def quote(
        self,
        request: QuoteRequest,
        *,
        progress: ProgressCallback = no_progress,
        cancel: CancelToken | None = None,
        use_cache: bool = True,
        version_id: int | None = None,
    ) -> Quote:
        """Quote on the current (or given) reference version. Identical
        requests on the same version are answered from the result cache
        (which never keeps a quote the time limit left unproven). An on-site
        record the request carries (a re-quote's) gives this quote's totals
        (core/kept_metric.py)."""
        snapshot = self.snapshot(version_id)
        request = self.prepare(request, snapshot)
        key = request_key(request, snapshot.info.quote_identity)
        if use_cache:
            cached = self.cache.get(key)
            if cached is not None:
                progress("done", 1.0, "Quote ready (from the result cache)")
                # Same content hash: the answer holds for whichever version carries it.
                answer = quote_from_dict(cached)
                answered = dataclasses.replace(
                    answer,
                    reference_version=snapshot.info.version_id,
                    # The metric file and the on-site record are not in the key: this
                    # request's, not the cached one's.
                    request=dataclasses.replace(
                        answer.request, metric=request.metric, onsite=request.onsite
                    ),
                    # Nor are the credit prices an admin may publish: today's.
                    statutory_credits=self._credits(request, snapshot),
                )
                return onsite_as_priced(answered)
        quote = make_quote(snapshot, request, progress=progress, cancel=cancel)
        quote = dataclasses.replace(quote, statutory_credits=self._credits(request, snapshot))
        if quote.solver.status != "time_limit":
            # what a time-limited search finds depends on the machine's load: not kept
            self.cache.put(key, snapshot.info.version_id, quote_to_dict(quote))
        return onsite_as_priced(quote)

    def _credits(self, request: QuoteRequest, snapshot: ReferenceSnapshot) -> StatutoryCredits:
        demand = resolve_demand(request.demand, snapshot)
        return credits_for_demand(demand, self.credit_schedule())

    def alternatives(
        self, quote: Quote, *, cancel: CancelToken | None = None
    ) -> tuple[Alternative, ...]:
        """What each binding constraint of ``quote`` costs (re-solves on the
        quote's own reference version; nothing is cached or saved)."""
        snapshot = self.snapshot(quote.reference_version)
        found = alternatives(
            quote,
            snapshot,
            lambda variant, request: make_quote(variant, request, cancel=cancel),
            cancel=cancel,
        )
        with self._alternatives_lock:
            self._alternatives_shown[_alternatives_key(quote, snapshot)] = found
            while len(self._alternatives_shown) > ALTERNATIVES_KEPT:
                del self._alternatives_shown[next(iter(self._alternatives_shown))]
        return found

    def alternatives_for_documents(self, quote: Quote) -> tuple[Alternative, ...] | None:
        """What each constraint costs for the Excel quote: the very list the
        result panel showed for ``quote`` when it did, else worked out now (the
        same re-solves on the quote's own version). None where the panel lists
        none (a quote adjusted by hand) or they cannot be worked out here (a
        colleague's quote on a version this desktop does not have)."""
        if quote.adjusted_by_hand:
            return None
        try:
            snapshot = self.snapshot(quote.reference_version)
            if snapshot.info.content_hash != quote.reference_hash:
                return None  # a colleague's quote: their version number, not ours
            with self._alternatives_lock:
                shown = self._alternatives_shown.get(_alternatives_key(quote, snapshot))
            return shown if shown is not None else self.alternatives(quote)
        except BngError:
            return None

    def credit_schedule(self, on: date | None = None) -> CreditSchedule:
        """The statutory credit tiers and the prices in force ``on`` (default
        today): the latest set dated on or before it, else the bundled ones."""
        in_force = prices_in_force(self.credit_price_sets(), on or date.today())
        return load_credit_schedule().with_prices(in_force or bundled_credit_prices())

    def credit_price_sets(self) -> list[CreditPrices]:
        """The bundled prices and every set stored here (a stored set dated as
        the bundled one replaces it), oldest first."""
        stored = self.credit_prices.all()
        bundled = bundled_credit_prices()
        dates = {prices.effective_from for prices in stored}
        sets = ([bundled] if bundled.effective_from not in dates else []) + stored
        return sorted(sets, key=lambda prices: prices.effective_from)

    def credit_prices_dated(self, day: date) -> CreditPrices | None:
        """The set in force from exactly ``day`` (stored or bundled), if any:
        setting prices for that day again replaces it."""
        return next((p for p in self.credit_price_sets() if p.effective_from == day), None)

    def set_credit_prices(
        self, path: str | Path, effective_from: date, *, replace: bool = False
    ) -> CreditPrices:
        """Validate a prices file (ReferenceDataError naming every problem,
        nothing stored) and store it as the prices in force from ``effective_from``;
        a day that already has prices needs ``replace`` (ReplaceNotConfirmed)."""
        prices = self.check_credit_prices(path, effective_from)
        self.store_credit_prices(prices, replace=replace)
        return prices

    def check_credit_prices(self, path: str | Path, effective_from: date) -> CreditPrices:
        """A prices file read and checked whole (ReferenceDataError naming every
        problem); nothing is stored."""
        return read_credit_prices(path, effective_from)

    def store_credit_prices(self, prices: CreditPrices, *, replace: bool = False) -> None:
        """Store checked prices; ReplaceNotConfirmed, nothing changed, when their
        day already has a set and ``replace`` is not given."""
        existing = self.credit_prices_dated(prices.effective_from)
        if existing is not None and not replace:
            raise ReplaceNotConfirmed(
                f"Statutory credit {prices_words(existing.effective_from.isoformat())} are "
                f"already set, from {existing.source}; setting them again replaces them"
            )
        self.credit_prices.put([prices])

    # ------------------------------------------------------------ location

    def location_service(self, *, offline: bool = False) -> LocationService:
        """Site and bank lookups, cached in ``paths.cache_dir``; one service per mode."""
        with self._location_lock:
            service = self._location_services.get(offline)
            if service is None:
                service = LocationService.open(self.paths.cache_dir, offline=offline)
                self._location_services[offline] = service
            return service

    def locate_banks(
        self,
        *,
        version_id: int | None = None,
        force: bool = False,
        offline: bool = False,
        progress: BankProgress = no_bank_progress,
    ) -> BankBatch:
        """Look up the blank LPA / NCA of a version's banks (the current version
        when None) and store them with it. Banks located before are skipped
        unless ``force``. Quotes on the version then use them for tiers."""
        version = version_id if version_id is not None else self._current_id()
        done = {} if force else self.bank_locations.read(version)
        banks = [
            bank
            for bank in self.references.load_data(version).banks
            if needs_location(bank) and bank.bank_id not in done
        ]
        service = self.location_service(offline=offline)
        save = lambda found: self.bank_locations.save(version, [found])  # noqa: E731
        return locate_banks(banks, service, save, progress)

    # ------------------------------------------------------------ metric workbooks

    def import_metric(
        self,
        path: str | Path,
        *,
        progress: ProgressCallback = no_progress,
        cancel: CancelToken | None = None,
    ) -> MetricImport:
        """Read a developer's metric workbook and offset it on site: the preview
        (lines + report) to accept with ``metric_import.apply_metric``. Run it
        in a worker thread; a refused file raises MetricError and changes nothing.
        The workbook is kept (store/metric_files.py) for the client email."""
        imported = _import_metric(path, progress=progress, cancel=cancel)
        self.metric_files.keep(path, imported.source)
        return imported

    def compare_onsite(
        self,
        request: QuoteRequest,
        imported: MetricImport,
        *,
        append: bool = False,
        suo: bool = True,
        progress: ProgressCallback = no_progress,
        cancel: CancelToken | None = None,
        use_cache: bool = True,
    ) -> OnSiteComparison:
        """The metric's lines quoted both ways, side by side: offsetting on site
        in the metric's order, and on-site and off-site optimised together
        (core/onsite_choice.py). Each quote records the mode, its transfers and
        both totals; nothing is saved."""
        snapshot = self.snapshot()
        prepared = self.prepare(request, snapshot)
        return compare_onsite(
            snapshot,
            prepared,
            imported,
            lambda r: self.quote(r, cancel=cancel, use_cache=use_cache),
            append=append,
            suo=suo,
            progress=progress,
            cancel=cancel,
        )

    # ------------------------------------------------------------ history

    def save_quote(
        self,
        quote: Quote,
        *,
        client_name: str = "",
        author: str = "",
        customer: Customer | None = None,
    ) -> SavedQuote:
        """Save a new quote, for ``customer`` when given (its name is then the
        client name unless one is given)."""
        name = client_name or (customer.name if customer is not None else "")
        saved = self.quotes.save(
            quote,
            client_name=name,
            author=author,
            customer_uuid=customer.uuid if customer is not None else None,
        )
        self.crm.queue_saved(saved)
        return saved

    def requote(
        self,
        reference: str,
        *,
        copy_lines: bool = False,
        progress: ProgressCallback = no_progress,
        cancel: CancelToken | None = None,
        version_id: int | None = None,
    ) -> Quote:
        """A fresh quote for a saved one: re-optimised on the current (or
        given) reference version, or (``copy_lines``) the old allocation as it
        was. The saved request is asked again whole: its site, demand and
        policy, and the metric record a quote from a metric keeps (the
        workbook, how on-site was handled, the SUO surplus: core/kept_metric.py)."""
        saved = self.quotes.get(reference)
        if copy_lines:
            return saved.quote
        return self.quote(
            saved.quote.request, progress=progress, cancel=cancel, version_id=version_id
        )

    def add_customer(self, details: CustomerDetails, *, author: str = "") -> Customer:
        """A new customer; DuplicateCustomer (naming the stored one to reuse)
        when its email or phone is already a customer's."""
        return self.customers.add(details, author=author)

    def customer_quotes(self, customer_uuid: str) -> list[QuoteFamily]:
        """The quotes saved for a customer, newest first."""
        return self.quote_history(customer=customer_uuid, limit=None)

    def quote_history(
        self, *, order: FamilyOrder = FamilyOrder.NEWEST, **filters: Any
    ) -> list[QuoteFamily]:
        """Saved quotes matching ``filters`` (as ``QuoteRepository.search``),
        each with its revisions folded under it."""
        return group_families(self.quotes.search(**filters), order)

    def save_revision(
        self, reference: str, quote: Quote, *, client_name: str | None = None, author: str = ""
    ) -> SavedQuote:
        """The next revision R.n of ``reference``; the client name defaults to
        the latest revision's."""
        saved = self.quotes.save_revision(reference, quote, client_name=client_name, author=author)
        self.crm.queue_saved(saved)
        return saved

    # ------------------------------------------------------------ the draft

    def keep_draft(self, payload: dict[str, Any]) -> None:
        """Keep this desktop user's quote in progress (replacing the last one)."""
        self.drafts.keep(self.user_name, payload)

    def kept_draft(self) -> KeptDraft | None:
        return self.drafts.get(self.user_name)

    def discard_draft(self) -> None:
        self.drafts.discard(self.user_name)

    # ------------------------------------------------------------ client documents

    def export_quote(
        self, reference: str, path: str | Path, *, recipient: str = ""
    ) -> WrittenDocument:
        """A saved quote as the client document ``path``'s ending names: .xlsx (Excel
        quote), .pdf (PDF quote) or .eml (client email To ``recipient`` when given,
        the Excel quote and, when this desktop kept it, the metric attached).
        Raises UnknownDocumentType (another ending) or QuoteNotFound, writing nothing.
        Without ``recipient``, the email is To the quote's customer's email, if any."""
        ClientDocument.for_file_name(path)
        saved = self.quotes.get(reference)
        recipient = recipient or self._customer_email(saved)
        source = saved.quote.request.metric
        metric = self.metric_files.find(source) if source is not None else None
        alternatives = (
            self.alternatives_for_documents(saved.quote)
            if ClientDocument.for_file_name(path) is not ClientDocument.PDF
            else None
        )
        return write_client_document(
            saved, path, metric=metric, recipient=recipient, alternatives=alternatives
        )

    def _customer_email(self, saved: SavedQuote) -> str:
        if saved.customer_uuid is None:
            return ""
        try:
            return self.customers.get(saved.customer_uuid).email
        except BngError:
            return ""  # a colleague's customer not pulled yet: the consultant fills To in

    def client_document_file(
        self, reference: str, document: ClientDocument, *, recipient: str = ""
    ) -> DocumentFile:
        """A saved quote's client document in memory, named for a download."""
        saved = self.quotes.get(reference)
        name = document.file_name(saved.reference)
        with tempfile.TemporaryDirectory(prefix="bng-export-") as folder:
            written = self.export_quote(saved.reference, Path(folder) / name, recipient=recipient)
            return DocumentFile(name, written.path.read_bytes(), written.notes)

    def client_table(self, reference: str) -> ClientTable:
        """A saved quote's client table as the email shows it (HTML and plain
        text), for the clipboard."""
        return client_table_of(self.quotes.get(reference))

    # ------------------------------------------------------------ impact of a new version

    def impact_offer(
        self, version_id: int, arrival: VersionArrival, *, since: date | None = None
    ) -> ImpactOffer:
        """What to offer once ``version_id`` is current: the comparison, if
        any quote is open (saved since ``since``, default the last
        OPEN_QUOTE_DAYS days)."""
        since = since or date.today() - timedelta(days=OPEN_QUOTE_DAYS)
        return ImpactOffer(
            version_id=version_id,
            arrival=arrival,
            open_quotes=len(self.quote_history(date_from=since, limit=None)),
            days=(date.today() - since).days,
        )

    def impact(
        self,
        version_id: int | None = None,
        *,
        since: date | None = None,
        progress: ProgressCallback = no_progress,
        cancel: CancelToken | None = None,
    ) -> ImpactReport:
        """Every open quote (the latest revision of each saved since ``since``,
        default the last OPEN_QUOTE_DAYS days) re-quoted on a reference
        version without saving, beside the total the client was sent."""
        snapshot = self.snapshot(version_id)
        since = since or date.today() - timedelta(days=OPEN_QUOTE_DAYS)
        latest = [family.latest for family in self.quote_history(date_from=since, limit=None)]
        asked = self.quotes.requests_and_totals([summary.reference for summary in latest])
        open_quotes = [
            OpenQuote(
                reference=summary.reference,
                client_name=summary.client_name,
                total=asked[summary.reference][1],
                request=self.prepare(asked[summary.reference][0], snapshot),
            )
            for summary in latest
            if summary.reference in asked  # deleted since the list was read
        ]
        shared = SharedInputs(snapshot)
        return impact_of(
            open_quotes,
            snapshot,
            lambda snap, request: make_quote(snap, request, cancel=cancel, shared=shared),
            progress=progress,
            cancel=cancel,
        )


def _alternatives_key(quote: Quote, snapshot: ReferenceSnapshot) -> tuple:
    """What the alternatives of ``quote`` depend on: its request on its
    version, and the answer they are set against."""
    return (
        request_key(quote.request, snapshot.info.quote_identity),
        quote.reference_version,
        quote.totals.total,
        quote.banks_used,
        quote.bank_cap,
    )


def _read_sample():
    return read_reference_workbook(sample_reference_path(), load_statutory_facts())


def desktop_user() -> str:
    """The login name of the desktop user ("" when the system cannot say)."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return ""
