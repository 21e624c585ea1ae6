"""Banks' LPA and NCA resolved after import, and how they fill in a version's banks.

A bank's row says where it is by postcode or coordinates when its LPA or NCA
is blank. The location is looked up once, stored with the reference version
(never per quote), and fills the blanks when the version is loaded for
quoting. The imported rows, and their content hash, stay as they were.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from .model import Bank


@dataclass(frozen=True)
class BankLocation:
    bank_id: str
    lpa: str
    nca: str
    lat: float | None
    lon: float | None
    source: str
    """How it was found: "coordinates" or "postcode"."""
    resolved_at: str
    """ISO 8601 UTC."""


def needs_location(bank: Bank) -> bool:
    """LPA or NCA blank, and something to look them up by."""
    blank = not (bank.lpa.strip() and bank.nca.strip())
    return blank and (has_coordinates(bank) or bool(bank.postcode.strip()))


def has_coordinates(bank: Bank) -> bool:
    return bank.lat is not None and bank.lon is not None


def with_bank_locations(
    banks: Iterable[Bank], locations: Mapping[str, BankLocation]
) -> tuple[Bank, ...]:
    """Each bank with its blank LPA / NCA filled from its resolved location.
    A name the workbook gives is never replaced."""
    out = []
    for bank in banks:
        found = locations.get(bank.bank_id)
        if found is not None:
            bank = replace(
                bank,
                lpa=bank.lpa.strip() or found.lpa,
                nca=bank.nca.strip() or found.nca,
            )
        out.append(bank)
    return tuple(out)


def geography_digest(locations: Iterable[BankLocation]) -> str:
    """SHA-256 of the resolved names, or "" when there are none: quotes priced
    with different bank geography must not share a cached result."""
    rows = sorted([loc.bank_id, loc.lpa, loc.nca] for loc in locations)
    if not rows:
        return ""
    text = json.dumps(rows, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
