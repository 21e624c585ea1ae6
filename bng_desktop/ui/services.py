"""What the UI may ask of the rest of the program: a few service functions.

The pages talk to this object only; it wraps the workspace (store, engine,
files) and the job runner. The admin's reference import goes through one
function here so it can be guarded later.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from ..core.bank_geography import needs_location
from ..core.customers import Customer, CustomerDetails
from ..core.errors import LocationError
from ..core.impact import ImpactOffer, ImpactReport, VersionArrival
from ..core.model import Site
from ..core.policy import Promoter
from ..core.reference import ReferenceSnapshot
from ..core.result import Quote, QuoteRequest
from ..core.sites import with_known_neighbours
from ..core.statutory_credits import CreditPrices
from ..core.version_terms import VersionOrigin
from ..geo.location import Location
from ..geo.postcodes import normalise_postcode
from ..io.excel_quote import write_quote_workbook
from ..io.impact_workbook import write_impact_workbook
from ..io.statutory import load_statutory_facts
from ..store import KeptDraft, SavedQuote, StoredVersion
from ..sync import SyncSettings, SyncStatus
from ..sync.publish import Published
from ..sync.scheduler import BackgroundSync
from ..sync.status import LogEntry
from ..workspace import Workspace
from .jobs import Job, JobRunner


@lru_cache(maxsize=2)
def _picker_names(snapshot: ReferenceSnapshot, field: str) -> list[str]:
    """Computed once per reference snapshot, so a newly pulled version's
    banks appear in the pickers."""
    facts = load_statutory_facts()
    bundled = facts.districts if field == "lpa" else facts.ncas
    return sorted(
        set(bundled) | {getattr(b, field) for b in snapshot.banks.values() if getattr(b, field)}
    )


def looks_like_postcode(text: str) -> bool:
    try:
        normalise_postcode(text)
    except LocationError:
        return False
    return True


@dataclass(frozen=True)
class StartupNotice:
    """A banner for the first run: what was loaded and why."""

    text: str


class AppServices:
    def __init__(self, workspace: Workspace, runner: JobRunner | None = None, native: bool = False):
        self.workspace = workspace
        self.runner = runner or JobRunner()
        self.native = native
        self.notice: StartupNotice | None = None
        self.background_sync = BackgroundSync(workspace.sync, workspace.crm.push_due)

    def start(self) -> None:
        """Before the server starts: first-run sample data (never on the event
        loop); then the team sync starts in the background (a thread)."""
        loaded = self.workspace.ensure_reference()
        if loaded is not None:
            self.notice = StartupNotice(
                "First run: the bundled SAMPLE reference data is loaded (invented banks, "
                "stock and prices over the real habitat list). Import your backend workbook "
                "on the Reference page."
            )
        self.background_sync.start()

    def close(self) -> None:
        self.background_sync.stop()
        self.runner.shutdown()
        self.workspace.close()

    # ------------------------------------------------------------ reference data

    def snapshot(self) -> ReferenceSnapshot:
        return self.workspace.snapshot()

    def sample_in_use(self) -> bool:
        """Quotes are being made on the bundled sample data (the banner says so)."""
        return self.workspace.showing_sample_data()

    def current_version(self) -> StoredVersion | None:
        return self.workspace.references.current_version()

    def versions(self) -> list[StoredVersion]:
        return self.workspace.references.list_versions()

    def version_origin(self, version: StoredVersion) -> VersionOrigin:
        return self.workspace.version_origin(version)

    def credit_price_sets(self) -> list[CreditPrices]:
        return self.workspace.credit_price_sets()

    def check_credit_prices(self, path: Path, effective_from: date) -> CreditPrices:
        """Raises ReferenceDataError (with its problems); stores nothing."""
        return self.workspace.check_credit_prices(path, effective_from)

    def credit_prices_set_here(self) -> bool:
        """Whether any set was stored here (set by an admin or pulled), beyond the bundled."""
        return bool(self.workspace.credit_prices.all())

    def credit_prices_dated(self, day: date) -> CreditPrices | None:
        return self.workspace.credit_prices_dated(day)

    def store_credit_prices(self, prices: CreditPrices, *, replace: bool = False) -> None:
        """The admin action; ReplaceNotConfirmed when the day has prices and
        ``replace`` is not given."""
        self.workspace.store_credit_prices(prices, replace=replace)

    def import_reference(self, path: Path, label: str = "") -> StoredVersion:
        """The admin action. Raises ReferenceDataError (with its problems) and
        changes nothing when the workbook is invalid."""
        return self.workspace.import_reference(path, label=label)

    def start_reference_import(self, path: Path, label: str = "") -> Job:
        """The admin's import in the background, reporting its stages (reading,
        checking, storing); the job fails with the ReferenceDataError of a
        refused workbook, and Cancel leaves the current version as it was."""
        return self.runner.submit(
            "reference import",
            lambda progress, cancel: self.workspace.import_reference(
                path, label=label, progress=progress
            ),
        )

    def banks_needing_location(self) -> int:
        """Banks of the current version with no LPA/NCA and none looked up yet."""
        version = self.current_version()
        if version is None:
            return 0
        done = self.workspace.bank_locations.read(version.version_id)
        data = self.workspace.references.load_data(version.version_id)
        return sum(1 for b in data.banks if needs_location(b) and b.bank_id not in done)

    def start_locating_banks(self) -> Job:
        """The batch lookup of banks' LPA/NCA, in the background with progress."""

        def work(progress, cancel):
            def report(done: int, total: int, message: str) -> None:
                progress("banks", done / max(1, total), message)

            return self.workspace.locate_banks(progress=report)

        return self.runner.submit("locate banks", work)

    @property
    def districts(self) -> list[str]:
        """Every district name a site may take: the bundled list and the banks'."""
        return _picker_names(self.snapshot(), "lpa")

    @property
    def ncas(self) -> list[str]:
        return _picker_names(self.snapshot(), "nca")

    def complete_site(self, site: Site) -> Site:
        return with_known_neighbours(site, self.snapshot())

    def locate(self, text: str) -> Location:
        """A postcode (when it looks like one) or an address → LPA, NCA and
        neighbours; blocking, cached on disk; raises LocationError. Run it off
        the event loop."""
        service = self.workspace.location_service()
        if looks_like_postcode(text):
            return service.locate_postcode(text)
        return service.locate_address(text)

    # ------------------------------------------------------------ quotes

    def start_quote(self, request: QuoteRequest) -> Job:
        return self.runner.submit(
            "quote",
            lambda progress, cancel: self.workspace.quote(
                request, progress=progress, cancel=cancel
            ),
        )

    def start_requote(self, reference: str) -> Job:
        return self.runner.submit(
            "requote",
            lambda progress, cancel: self.workspace.requote(
                reference, progress=progress, cancel=cancel
            ),
        )

    def save(self, quote: Quote, client_name: str, customer: Customer | None = None) -> SavedQuote:
        saved = self.workspace.save_quote(quote, client_name=client_name, customer=customer)
        self.background_sync.wake()  # push it soon, when a central database is set
        return saved

    def save_revision(self, reference: str, quote: Quote, client_name: str = "") -> SavedQuote:
        """The next revision of ``reference`` (under its client's name when none is given)."""
        saved = self.workspace.save_revision(reference, quote, client_name=client_name or None)
        self.background_sync.wake()
        return saved

    # ------------------------------------------------------------ customers and promoters

    def search_customers(self, text: str = "", limit: int = 8) -> list[Customer]:
        return self.workspace.customers.search(text, limit=limit)

    def add_customer(self, details: CustomerDetails) -> Customer:
        """Raises DuplicateCustomer (with the stored one to reuse) or CustomerError."""
        author = self.workspace.sync.settings().author_name
        return self.workspace.add_customer(details, author=author)

    def promoters(self) -> list[Promoter]:
        """The team's promoters, as last pulled."""
        return self.workspace.promoters.all()

    # ------------------------------------------------------------ the draft

    def keep_draft(self, payload: dict) -> None:
        self.workspace.keep_draft(payload)

    def kept_draft(self) -> KeptDraft | None:
        return self.workspace.kept_draft()

    def discard_draft(self) -> None:
        self.workspace.discard_draft()

    def excel_bytes(self, quote: Quote, reference: str = "", client_name: str = "") -> bytes:
        with tempfile.TemporaryDirectory() as folder:
            path = write_quote_workbook(
                quote,
                Path(folder) / "quote.xlsx",
                reference=reference,
                client_name=client_name,
                alternatives=self.workspace.alternatives_for_documents(quote),
            )
            return path.read_bytes()

    def write_excel(self, quote: Quote, path: Path, reference: str = "", client: str = "") -> Path:
        return write_quote_workbook(
            quote,
            path,
            reference=reference,
            client_name=client,
            alternatives=self.workspace.alternatives_for_documents(quote),
        )

    # ------------------------------------------------------------ decision support

    def start_alternatives(self, quote: Quote) -> Job:
        """What each binding rule of ``quote`` costs, in the background."""
        return self.runner.submit(
            "alternatives",
            lambda progress, cancel: self.workspace.alternatives(quote, cancel=cancel),
        )

    def start_impact(self, version_id: int, *, since: date | None = None) -> Job:
        """Every open quote re-quoted on ``version_id`` in the background."""
        return self.runner.submit(
            "impact",
            lambda progress, cancel: self.workspace.impact(
                version_id, since=since, progress=progress, cancel=cancel
            ),
        )

    def impact_offer(self, version_id: int, arrival: VersionArrival) -> ImpactOffer:
        """What to tell the consultant once ``version_id`` is current."""
        return self.workspace.impact_offer(version_id, arrival)

    def impact_excel_bytes(self, report: ImpactReport) -> bytes:
        with tempfile.TemporaryDirectory() as folder:
            return write_impact_workbook(report, Path(folder) / "impact.xlsx").read_bytes()

    def start_requote_as_revision(self, reference: str, version_id: int | None = None) -> Job:
        """Re-quote a saved quote (on ``version_id``, default the current one)
        and save it as its next revision, in the background."""

        def work(progress, cancel) -> SavedQuote:
            quote = self.workspace.requote(
                reference, progress=progress, cancel=cancel, version_id=version_id
            )
            return self.save_revision(reference, quote)

        return self.runner.submit("requote", work)

    # ------------------------------------------------------------ team sync

    def background_switch(self) -> StoredVersion | None:
        """The version the latest background sync switched to (in memory, no store read)."""
        return self.background_sync.switched

    def pulled_in_background(self) -> StoredVersion | None:
        """The version the latest background sync made current, while it still is."""
        switched = self.background_sync.switched
        current = self.current_version()
        if switched is None or current is None or current.version_id != switched.version_id:
            return None
        return switched

    def sync_status(self) -> SyncStatus:
        """Read locally (no network): cheap enough for the header's timer."""
        return self.workspace.sync.status()

    def start_sync(self) -> Job:
        return self.runner.submit(
            "sync", lambda progress, cancel: self.workspace.sync.sync(progress=progress)
        )

    def sync_log(self, limit: int = 50) -> list[LogEntry]:
        return self.workspace.sync.log(limit)

    def sync_settings(self) -> SyncSettings:
        return self.workspace.sync.settings()

    def save_sync_settings(self, chosen: SyncSettings, password: str = "") -> SyncSettings:
        """Save and sync at once with them (in the background)."""
        saved = self.workspace.sync.save_settings(chosen, password or None)
        self.background_sync.wake()
        return saved

    def password_location(self) -> str:
        return self.workspace.sync.passwords.where()

    def publish_workbook(self, path: Path) -> Published:
        """The admin action: ReferenceDataError (nothing sent) for a bad workbook."""
        return self.workspace.sync.publish_workbook(path)

    def publish_local(self) -> Published:
        return self.workspace.sync.publish_local()
