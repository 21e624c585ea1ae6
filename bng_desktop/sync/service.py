"""Team sync for one local store: settings, sync runs, status, publish and the central schema.

``TeamSync.sync()`` is one run: push the outbox first (quotes saved here are
what the team is missing most, and a push is quick), then pull new reference
versions, then colleagues' quotes. Each step commits on its own and runs
whatever became of the step before: a pull that fails (a big version cut
short, a version refused) does not keep the quotes back, and a push that
fails does not keep the new version away. Being offline is a result, not an
exception: the run is logged (what moved before the connection went, and why
each step stopped) and the status says "offline". One run at a time per
process; runs in other processes are safe too (every step is idempotent and
re-checks inside its local transaction).
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from ..core.errors import CentralUnreachable, StoreError, SyncError
from ..core.policy import Promoter
from ..core.progress import ProgressCallback, no_progress
from ..core.statutory_credits import CreditPrices
from ..store import (
    AppSettings,
    BankLocationRepository,
    CreditPriceList,
    PulledVersions,
    ReferenceRepository,
    Store,
    StoredVersion,
    utc_now,
)
from . import logins, migrate
from .audit import AuditEntry, read_audit
from .connection import CentralTarget, central_errors, create_central_engine, password_in_url
from .credentials import PasswordStore, passwords
from .credit_prices import fetch_credit_prices, publish_credit_prices, pull_credit_prices
from .customers import CustomersPushed, pull_customers, push_customers
from .logins import TeamLogin, TeamRole
from .messages import in_plain_words, plain_sync_errors
from .promoters import (
    PromotersPulled,
    add_promoter,
    fetch_promoters,
    pull_promoters,
    remove_promoter,
)
from .publish import Published, Publisher, publish_data, read_workbook
from .pull import apply_versions, fetch_versions, newest_linked
from .push import Pushed, Sender, push_outbox
from .redact import redact_text
from .settings import SyncSettings, desktop_id, load_settings, save_settings, take_saved_password
from .status import LogEntry, SyncStatus, read_status, recent_log, write_log
from .team import pull_team_quotes


@dataclass
class SyncReport:
    """What one sync run moved, and how it ended."""

    started_at: str
    finished_at: str = ""
    online: bool = False
    versions: list[tuple[int, StoredVersion]] = field(default_factory=list)
    current: StoredVersion | None = None
    pushed: Pushed = field(default_factory=Pushed)
    team_quotes: int = 0
    promoters: PromotersPulled = field(default_factory=PromotersPulled)
    customers_pushed: CustomersPushed = field(default_factory=CustomersPushed)
    team_customers: int = 0
    credit_price_sets: int = 0
    """Statutory credit price sets the team database holds (stored here)."""
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.online and not self.error

    def lines(self) -> list[str]:
        """What moved, in words (the CLI prints these; the Sync page shows them)."""
        said = [
            f"Pulled central reference version {central} as local version {v.version_id}"
            f" ({sum(v.row_counts.values())} rows)"
            for central, v in self.versions
        ]
        if self.current is not None:
            said.append(f"Now quoting on reference version {self.current.version_id}")
        if self.pushed.quotes:
            said.append(f"Pushed {_quotes(self.pushed.quotes)}")
        said += [
            f"{old} is now {new}: the team had already used {old}"
            for old, new in self.pushed.renumbered
        ]
        said += [
            f"{ref} was refused by the central database: {why}" for ref, why in self.pushed.refused
        ]
        if self.team_quotes:
            said.append(f"Received {_quotes(self.team_quotes)} from the team")
        said += self._customer_lines()
        if self.error:
            said.append(self.error)
        elif not said:
            said.append("Up to date: nothing to pull or push")
        return said

    def _customer_lines(self) -> list[str]:
        customers = self.customers_pushed
        said = [f"Sent {_count(customers.sent, 'customer')}"] if customers.sent else []
        said += [
            f"{ours} was already the team's customer {theirs}: your quotes now name theirs"
            for ours, theirs in customers.adopted
        ]
        said += [f"Customer {who} was refused: {why}" for who, why in customers.refused]
        if self.team_customers:
            said.append(f"Received {_count(self.team_customers, 'customer')} from the team")
        return said + self.promoters.left_out

    def log_entry(self) -> LogEntry:
        return LogEntry(
            self.started_at,
            self.finished_at,
            self.online,
            self.ok,
            len(self.versions),
            self.pushed.quotes,
            self.team_quotes,
            tuple(self.pushed.renumbered),
            "; ".join(self.lines()),
        )


class TeamSync:
    """Everything sync for one local store. Thread-safe."""

    def __init__(self, store: Store, password_store: PasswordStore = passwords):
        self.store = store
        self.app_settings = AppSettings(store)
        self.passwords = password_store
        self._lock = threading.Lock()
        self._running = threading.Event()
        self._move_saved_password()

    # ------------------------------------------------------------ settings and status

    def settings(self) -> SyncSettings:
        return load_settings(self.app_settings)

    def save_settings(self, chosen: SyncSettings, password: str | None = None) -> SyncSettings:
        """Save the connection settings; a password (typed, or written into the
        URL) goes to the keyring or, where there is none, memory only."""
        password = password or password_in_url(chosen.url)
        saved = save_settings(self.app_settings, chosen)
        if password and saved.configured:
            self.passwords.set(saved.target().display, password)
        return saved

    def _move_saved_password(self) -> None:
        """A password an older version saved inside the URL goes to the keyring
        (or memory), out of the settings table."""
        found = take_saved_password(self.app_settings)
        if found is None:
            return
        url, password = found
        try:
            key = CentralTarget.parse(url, self.settings().user or None).display
        except SyncError:
            return  # an unusable URL: the password is dropped, it is asked for again
        self.passwords.set(key, password)

    def status(self) -> SyncStatus:
        configured = self.settings().configured
        return read_status(self.store, configured=configured, running=self._running.is_set())

    def log(self, limit: int = 50) -> list[LogEntry]:
        return recent_log(self.store, limit)

    # ------------------------------------------------------------ sync

    def sync(
        self, url: str | None = None, *, progress: ProgressCallback = no_progress
    ) -> SyncReport:
        """One run: push quotes, pull versions, pull team quotes. Never raises
        for being offline or refused: the report (and the log) say so."""
        with self._lock:
            self._running.set()
            report = SyncReport(started_at=utc_now())
            try:
                self._run(report, url, progress)
            except CentralUnreachable as error:
                report.online, report.error = False, redact_text(str(error))
            except (SyncError, StoreError) as error:
                report.error = redact_text(str(error))
            finally:
                self._running.clear()
            report.finished_at = utc_now()
            write_log(self.store, report.log_entry())
            return report

    def _run(self, report: SyncReport, url: str | None, progress: ProgressCallback) -> None:
        settings = self.settings()
        sender = Sender(desktop_id(self.app_settings), settings.author_name)
        with self.central_engine(url) as engine:
            progress("connect", 0.05, "Connecting to the central database")
            with central_errors(), engine.connect() as conn:
                report.online = True
                migrate.check_schema(conn)
                conn.rollback()

            def push() -> None:
                push_outbox(engine, self.store, sender, progress=progress, result=report.pushed)

            def pull() -> None:
                pulled = apply_versions(self.store, self._fetch(engine, progress), progress)
                report.versions, report.current = list(pulled.versions), pulled.current

            def team() -> None:
                report.team_quotes = pull_team_quotes(
                    engine, self.store, sender.desktop_id, progress=progress
                )

            def customers_out() -> None:  # before the quotes, which name them
                report.customers_pushed = push_customers(engine, self.store, sender.desktop_id)

            def promoters() -> None:
                report.promoters = pull_promoters(engine, self.store)

            def customers_in() -> None:
                report.team_customers = pull_customers(engine, self.store)

            def credit_prices() -> None:
                report.credit_price_sets = pull_credit_prices(engine, self.store)

            steps = (customers_out, push, pull, promoters, credit_prices, team, customers_in)
            failures = [self._failure(step, url) for step in steps]
        self._report_failures(report, [f for f in failures if f is not None])
        progress("done", 1.0, "Sync complete")

    def _failure(self, step: Callable[[], None], url: str | None) -> SyncError | StoreError | None:
        """Run one step; what stopped it (in plain words), or None when it completed."""
        try:
            step()
        except SyncError as error:
            target = self.target(url).url
            return in_plain_words(error, target.host or "this computer", target.database or "")
        except StoreError as error:
            return error
        return None

    @staticmethod
    def _report_failures(report: SyncReport, failures: list[SyncError | StoreError]) -> None:
        """Every step ran: the report says what stopped each (a lost connection reads offline)."""
        if not failures:
            return
        if any(isinstance(f, CentralUnreachable) for f in failures):
            report.online = False
        said = dict.fromkeys(redact_text(str(f)) for f in failures)
        report.error = " ".join(said)

    def _fetch(self, engine: Engine, progress: ProgressCallback):
        newest = newest_linked(self.store)
        with central_errors(), engine.connect() as conn:
            return fetch_versions(conn, newest, progress)

    # ------------------------------------------------------------ admin

    def publish_workbook(
        self,
        path: str | Path,
        *,
        url: str | None = None,
        label: str = "",
        progress: ProgressCallback = no_progress,
    ) -> Published:
        """Validate a backend workbook as a local import would (ReferenceDataError
        with every problem, nothing sent) and publish it as the team's version."""
        path = Path(path)
        data = read_workbook(path)
        with self.central_engine(url) as engine:
            return publish_data(
                engine,
                data,
                source=path.name,
                publisher=self._publisher(),
                label=label,
                progress=progress,
            )

    def publish_local(
        self, *, url: str | None = None, progress: ProgressCallback = no_progress
    ) -> Published:
        """Publish this desktop's current reference version (with its bank locations)."""
        version = ReferenceRepository(self.store).current_version()
        if version is None:
            raise SyncError("There is no local reference version to publish.")
        data = ReferenceRepository(self.store).load_data(version.version_id)
        located = BankLocationRepository(self.store).read(version.version_id).values()
        with self.central_engine(url) as engine:
            published = publish_data(
                engine,
                data,
                source=version.source,
                label=version.label,
                publisher=self._publisher(),
                locations=[dataclasses.asdict(loc) for loc in located],
                progress=progress,
            )
        # The local version IS that central version: the next pull need not fetch it.
        PulledVersions(self.store).link(published.central_id, version.version_id)
        return published

    def central_init(self, url: str | None = None) -> str:
        with self.central_engine(url) as engine:
            return migrate.init_schema(engine)

    def central_upgrade(self, url: str | None = None) -> str:
        with self.central_engine(url) as engine:
            return migrate.upgrade_schema(engine)

    def central_state(self, url: str | None = None) -> migrate.CentralState:
        with self.central_engine(url) as engine:
            return migrate.schema_state(engine)

    def add_login(
        self, name: str, role: TeamRole, password: str, url: str | None = None
    ) -> TeamLogin:
        with self.central_engine(url) as engine:
            return logins.add_login(engine, name, role, password)

    def remove_login(self, name: str, url: str | None = None) -> TeamLogin:
        with self.central_engine(url) as engine:
            return logins.remove_login(engine, name)

    def team_logins(self, url: str | None = None) -> list[TeamLogin]:
        with self.central_engine(url) as engine:
            return logins.list_logins(engine)

    def promoters(self, url: str | None = None) -> list[Promoter]:
        """The team's promoters as the central database holds them."""
        with self.central_engine(url) as engine:
            return fetch_promoters(engine)[0]

    def add_promoter(self, chosen: Promoter, url: str | None = None) -> Promoter:
        with self.central_engine(url) as engine:
            return add_promoter(engine, chosen, desktop_id(self.app_settings))

    def remove_promoter(self, name: str, url: str | None = None) -> None:
        with self.central_engine(url) as engine:
            remove_promoter(engine, name, desktop_id(self.app_settings))

    def credit_prices(self, url: str | None = None) -> list[CreditPrices]:
        """The statutory credit price sets the team database holds, oldest first."""
        with self.central_engine(url) as engine:
            return fetch_credit_prices(engine)

    def publish_credit_prices(self, prices: CreditPrices, url: str | None = None) -> None:
        """Make ``prices`` the team's set for its date, and this desktop's at once."""
        with self.central_engine(url) as engine:
            publish_credit_prices(engine, prices, desktop_id(self.app_settings))
        CreditPriceList(self.store).put([prices])

    def audit(self, url: str | None = None, limit: int = 50) -> list[AuditEntry]:
        with self.central_engine(url) as engine:
            return read_audit(engine, limit)

    # ------------------------------------------------------------ connection

    def target(self, url: str | None = None) -> CentralTarget:
        return self.settings().target(url)

    @contextmanager
    def central_engine(self, url: str | None = None) -> Iterator[Engine]:
        """An engine on the central database (``url``, else the settings), with
        this desktop's password, disposed when the block ends. Failures in the
        block come out in plain words (sync/messages.py)."""
        target = self.target(url)
        password = password_in_url(url or "") or self.passwords.get(target.display)
        engine = create_central_engine(
            target, password, application_name=f"bng-desktop {desktop_id(self.app_settings)[:8]}"
        )
        try:
            with plain_sync_errors(target.url.host or "this computer", target.url.database or ""):
                yield engine
        finally:
            engine.dispose()

    def _publisher(self) -> Publisher:
        return Publisher(self.settings().author_name, desktop_id(self.app_settings))


def _quotes(count: int) -> str:
    return _count(count, "quote")


def _count(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
