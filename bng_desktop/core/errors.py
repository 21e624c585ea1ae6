"""Every error BNG Desktop raises on purpose, in one tree.

    BngError
    ├── ReferenceDataError     a reference workbook or stored version is unusable
    ├── DemandError            a demand line or demand file is malformed
    ├── PolicyError            a policy file or override is malformed
    ├── InfeasibleQuote        the demand cannot be met; names each line and why
    ├── SolverError            no solver could finish (time limit with no answer, crash)
    │   └── SolverTimedOut       the time limit ended with nothing legal found
    ├── QuoteCancelled         the user cancelled a running quote
    ├── StoreError             the local database refused an operation
    │   └── QuoteNotFound
    ├── LocationError          a site could not be located
    │   ├── PostcodeNotFound
    │   ├── AddressNotFound
    │   ├── ServiceUnreachable   no answer (offline, refused, timed out)
    │   └── ServiceFailed        an answer, but an unusable one (5xx, not JSON)
    ├── SyncError              the central database could not be reached or refused
    │   ├── CentralUnreachable   no connection (offline, refused, dropped): a normal state
    │   └── NotAllowed           the login lacks the role for it ("Publishing needs an admin login")
    ├── MetricError            a metric workbook was refused; ``kind`` says why
    └── OutputError            a file asked for cannot be written where it was asked

Each message says what is wrong and what to do about it; the shells (CLI, UI)
show ``str(error)`` and, where present, the structured details.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from fractions import Fraction


class BngError(Exception):
    """Base of every deliberate BNG Desktop error."""

    kind = "error"


class Place(StrEnum):
    """How a file counts its rows: a workbook's rows, a text file's lines."""

    ROW = "row"
    LINE = "line"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, located precisely.

    ``expected`` says what the cell should hold; ``hint``, when the reader has
    one, says what is wrong with what it holds ("use a point for decimals").
    """

    sheet: str
    row: int | None
    column: str | None
    value: object
    expected: str
    hint: str = ""
    place: Place = Place.ROW

    @property
    def where(self) -> str:
        where = self.sheet
        if self.row is not None:
            where += f" {self.place} {self.row}"
        if self.column:
            where += f", {self.column}"
        return where

    def __str__(self) -> str:
        if self.value is None:
            return f"{self.where}: {self.hint or self.expected}"
        found = f"{self.where}: found {shown_value(self.value)}"
        if self.hint:
            return f"{found} — {self.hint}"
        return f"{found}; expected {self.expected}"


SHOWN_LENGTH = 40


def shown_value(value: object) -> str:
    """A value as a message quotes it: long text cut to its ends and its length,
    a huge whole number by its size (it cannot even be turned into text)."""
    if isinstance(value, int) and value.bit_length() > 4 * SHOWN_LENGTH:
        return f"a number of about {int(value.bit_length() * math.log10(2)):,} digits"
    if isinstance(value, Fraction):
        text = f"{float(value):g}" if value.denominator != 1 else str(value.numerator)
    else:
        text = value if isinstance(value, str) else repr(value)
    if len(text) > SHOWN_LENGTH:
        text = f"{text[:12]}…{text[-6:]} ({len(text):,} characters)"
    return repr(text) if isinstance(value, str) else text


SHOWN_PROBLEMS = 50
"""A message lists at most this many problems; ``problems`` holds them all."""


def _listed(problems: tuple[Problem, ...]) -> str:
    detail = "".join(f"\n  - {p}" for p in problems[:SHOWN_PROBLEMS])
    more = len(problems) - SHOWN_PROBLEMS
    return detail + (f"\n  ... and {more} more" if more > 0 else "")


class ReferenceDataError(BngError):
    """Reference data failed validation; nothing was stored."""

    kind = "reference_data"

    def __init__(self, message: str, problems: list[Problem] | tuple[Problem, ...] = ()):
        self.problems = tuple(problems)
        super().__init__(message + _listed(self.problems))
        self.summary = message


class ReplaceNotConfirmed(BngError):
    """The action would replace something already stored, and the person has
    not yet said yes to that; nothing was changed."""

    kind = "not_confirmed"


class DemandError(BngError):
    kind = "demand"

    def __init__(self, message: str, problems: list[Problem] | tuple[Problem, ...] = ()):
        self.problems = tuple(problems)
        super().__init__(message + _listed(self.problems))
        self.summary = message


class PolicyError(BngError):
    """A policy value or file is unusable; ``hint`` is the reader's advice, if any."""

    kind = "policy"

    def __init__(self, message: str, *, hint: str = ""):
        super().__init__(message)
        self.hint = hint


class UnmetReason(StrEnum):
    """Why a demand line cannot be met, as the engine diagnoses it."""

    NO_LEGAL_STOCK = "no_legal_stock"
    STOCK_EXHAUSTED = "stock_exhausted"
    NO_PRICE = "no_price"
    INSUFFICIENT_STOCK = "insufficient_stock"
    INSUFFICIENT_STOCK_SINGLE_OPTION = "insufficient_stock_single_option"
    BANK_CAP = "bank_cap"
    HEURISTIC_FAILED = "heuristic_failed"
    IRREPLACEABLE = "irreplaceable"
    V_LOW = "v_low"


@dataclass(frozen=True)
class UnmetLine:
    """A demand line that cannot be met, with the reason in words.

    The figures behind the reason, where the diagnosis has them: the units
    ``needed`` and ``available`` (stock short), the ``bank_cap`` exceeded,
    and the other lines (``competing``, demand indexes) it conflicts with."""

    demand_index: int
    habitat_name: str
    code: UnmetReason
    reason: str
    action: str = ""
    needed: Fraction | None = field(default=None, kw_only=True)
    available: Fraction | None = field(default=None, kw_only=True)
    bank_cap: int | None = field(default=None, kw_only=True)
    competing: tuple[int, ...] = field(default=(), kw_only=True)


class InfeasibleQuote(BngError):
    kind = "infeasible"

    def __init__(self, lines: list[UnmetLine] | tuple[UnmetLine, ...], note: str = ""):
        self.lines = tuple(sorted(lines, key=lambda u: u.demand_index))
        head = "The demand cannot be quoted as it stands"
        if note:
            head += f" ({note})"
        body = "".join(
            f"\n  - line {u.demand_index + 1} {u.habitat_name!r}: {u.reason}"
            + (f" — {u.action}" if u.action else "")
            for u in self.lines
        )
        super().__init__(head + ":" + body)


class SolverError(BngError):
    kind = "solver"


class SolverTimedOut(SolverError):
    """The time limit ended with no legal allocation found: another solver
    would start from scratch, so none is tried; a longer limit is the remedy."""


class QuoteCancelled(BngError):
    kind = "cancelled"

    def __init__(self, message: str = "The quote was cancelled."):
        super().__init__(message)


class StoreProblem(Enum):
    """What kind of trouble the local database is in (start-up advice depends on it)."""

    BUSY = "busy"
    UNWRITABLE = "unwritable"
    DAMAGED = "damaged"
    NEWER_SCHEMA = "newer schema"
    DISK_FULL = "disk full"
    OTHER = "other"


class StoreError(BngError):
    kind = "store"

    def __init__(self, message: str, problem: StoreProblem = StoreProblem.OTHER):
        super().__init__(message)
        self.problem = problem


class QuoteNotFound(StoreError):
    kind = "not_found"


class LocationError(BngError):
    kind = "location"


class PostcodeNotFound(LocationError):
    def __init__(self, postcode: str):
        self.postcode = postcode
        super().__init__(f"postcode not found: {postcode} — check it, or pick LPA and NCA by hand")


class AddressNotFound(LocationError):
    def __init__(self, address: str):
        self.address = address
        super().__init__(
            f"address not found: {address!r} — try a postcode, or pick LPA and NCA by hand"
        )


class ServiceUnreachable(LocationError):
    """No answer at all: the UI switches to the manual LPA/NCA pickers."""

    MESSAGE = "service unreachable — you are offline; pick LPA and NCA by hand"

    def __init__(self, service: str = "", detail: str = ""):
        self.service = service
        self.detail = detail
        super().__init__(self.MESSAGE)


class ServiceFailed(LocationError):
    """The service answered, but with an error or something unreadable."""

    def __init__(self, service: str, detail: str):
        self.service = service
        self.detail = detail
        super().__init__(
            f"{service} is not working properly ({detail}); try again later, "
            "or pick LPA and NCA by hand"
        )


class SyncError(BngError):
    kind = "sync"


class CentralUnreachable(SyncError):
    """No connection to the central database (offline, refused, dropped mid-way).

    Offline is a normal state for a laptop: the sync records it and shows it,
    nothing local changes, and the next sync picks up where this one stopped."""

    kind = "offline"


class NotAllowed(SyncError):
    """The team database refused the login this (insufficient_privilege): the
    message names the role needed, not the privilege PostgreSQL checked."""

    kind = "not-allowed"


class MetricError(BngError):
    """A developer's metric workbook was refused as a whole; nothing was imported.

    ``kind`` names the refusal ("not-a-metric", "unsupported-version",
    "no-cached-values", "error-cell", ...; see io/metric/refusals.py) and
    ``details`` carries what the shells show besides the message (sheet, cell,
    missing sheets).
    """

    kind = "metric"

    def __init__(self, kind: str, message: str, **details: object):
        super().__init__(message)
        self.kind = kind
        self.details = details


class OutputError(BngError):
    """A file the command was asked to write cannot be written there.

    ``saved_reference`` names the quote saved before the write failed (a retry
    must export it, not quote again); it is also in ``details`` for the JSON."""

    kind = "output"

    def __init__(self, message: str, saved_reference: str = ""):
        super().__init__(message)
        self.saved_reference = saved_reference
        self.details = {"saved_reference": saved_reference} if saved_reference else {}
