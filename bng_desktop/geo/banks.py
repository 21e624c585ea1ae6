"""Resolve banks' LPA / NCA in a batch, from their coordinates or postcode.

Each located bank is handed to ``save`` at once, so an interrupted batch keeps
what it found. A bank that cannot be located is reported and skipped; when
the services cannot be reached at all the batch stops (every further bank
would wait for the same timeout) and says so.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..core.bank_geography import BankLocation, has_coordinates
from ..core.errors import LocationError, ServiceUnreachable
from ..core.model import Bank
from .location import iso_time
from .service import LocationService

BankProgress = Callable[[int, int, str], None]
"""(banks done, banks in the batch, message)"""


def no_bank_progress(done: int, total: int, message: str) -> None:
    """The default progress callback: report nothing."""


@dataclass(frozen=True)
class BankBatch:
    located: tuple[BankLocation, ...]
    failed: tuple[tuple[str, str], ...]
    """(bank_id, reason) of each bank that could not be located."""
    stopped: str = ""
    """Why the batch ended early ("" when every bank was tried)."""

    @property
    def complete(self) -> bool:
        return not self.failed and not self.stopped


def locate_bank(bank: Bank, service: LocationService) -> BankLocation:
    """The bank's LPA and NCA: from its coordinates, else from its postcode."""
    if has_coordinates(bank):
        lat, lon, source = float(bank.lat), float(bank.lon), "coordinates"
    elif bank.postcode.strip():
        place = service.postcode_place(bank.postcode)
        lat, lon, source = place.lat, place.lon, "postcode"
    else:
        raise LocationError("the bank has neither coordinates nor a postcode")
    lpa, nca = service.areas_at(lat, lon)
    if not (lpa or nca):
        raise LocationError(f"no LPA or NCA covers {lat:.5f}, {lon:.5f}")
    resolved_at = iso_time(service.cache.clock())
    return BankLocation(bank.bank_id, lpa, nca, lat, lon, source, resolved_at)


def locate_banks(
    banks: Sequence[Bank],
    service: LocationService,
    save: Callable[[BankLocation], None],
    progress: BankProgress = no_bank_progress,
) -> BankBatch:
    located: list[BankLocation] = []
    failed: list[tuple[str, str]] = []
    total = len(banks)
    for done, bank in enumerate(banks):
        progress(done, total, f"Locating {bank.display_name}")
        try:
            location = locate_bank(bank, service)
        except ServiceUnreachable as exc:
            progress(done, total, f"Stopped: {exc}")
            return BankBatch(tuple(located), tuple(failed), stopped=str(exc))
        except LocationError as exc:
            failed.append((bank.bank_id, str(exc)))
            continue
        save(location)
        located.append(location)
    progress(total, total, f"Located {len(located)} of {total} banks")
    return BankBatch(tuple(located), tuple(failed))
