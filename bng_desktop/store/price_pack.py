"""A version's price rows packed as one value (table ``ref_price_pack``).

Loading ~225,000 price rows from ``ref_price`` costs a quarter of a second in
SQLite alone, before a single row is decoded; the pack is the same rows as a
PriceTable's columns, read back in one value and turned into arrays in one
call. Format 1: the length of a JSON header (4 bytes, little-endian), the
header, then the code columns (``dtype``, row-major, 8 × ``rows``). The
header holds the distinct texts (``words``) and the distinct prices as exact
[numerator, denominator] pairs, cheapest first.
"""

from __future__ import annotations

import json
import logging
from fractions import Fraction

import numpy as np
from sqlalchemy import Connection, insert

from ..core.price_table import PRICE_COLUMNS, PriceTable
from .tables import PRICE_PACK_TABLE

log = logging.getLogger(__name__)

FORMAT = 1
_DTYPES = ("<u2", "<u4")
_HEADER_LENGTH = 4
_SELECT_PACK = f"SELECT pack FROM {PRICE_PACK_TABLE.name} WHERE version_id = ? AND format = ?"
"""Run on the DBAPI cursor, as reference_rows.py reads rows."""


def pack(table: PriceTable) -> bytes:
    """The table as format-1 bytes."""
    dtype = _DTYPES[0] if table.codes.dtype.itemsize <= 2 else _DTYPES[1]
    header = {
        "rows": len(table),
        "dtype": dtype,
        "words": list(table.words),
        "prices": [[v.numerator, v.denominator] for v in table.values],
    }
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    codes = np.ascontiguousarray(table.codes, dtype=dtype)
    return len(text).to_bytes(_HEADER_LENGTH, "little") + text + codes.tobytes()


def unpack(packed: bytes) -> PriceTable:
    """The table back; ValueError when ``packed`` is not a format-1 pack."""
    size = int.from_bytes(packed[:_HEADER_LENGTH], "little")
    try:
        header = json.loads(packed[_HEADER_LENGTH : _HEADER_LENGTH + size])
        rows, dtype = int(header["rows"]), str(header["dtype"])
        values = [Fraction(n, d) for n, d in header["prices"]]
        words = header["words"]
    except (KeyError, TypeError, ValueError, ZeroDivisionError) as exc:
        raise ValueError(f"a damaged price pack header ({exc!r})") from exc
    if dtype not in _DTYPES:
        raise ValueError(f"a price pack of codes {dtype!r}")
    offset = _HEADER_LENGTH + size
    if len(packed) - offset != rows * len(PRICE_COLUMNS) * np.dtype(dtype).itemsize:
        raise ValueError("a price pack of the wrong length")
    codes = np.frombuffer(packed, dtype=dtype, offset=offset).reshape(len(PRICE_COLUMNS), rows)
    return PriceTable(words, values, codes)


def write_pack(conn: Connection, version_id: int, table: PriceTable) -> None:
    """Store ``table`` as the pack of ``version_id``, inside the caller's transaction."""
    conn.execute(
        insert(PRICE_PACK_TABLE), {"version_id": version_id, "format": FORMAT, "pack": pack(table)}
    )


def read_pack(conn: Connection, version_id: int) -> PriceTable | None:
    """The pack of ``version_id``; None when it has none, of this format, or
    a damaged one (then the rows are read instead)."""
    cursor = conn.connection.driver_connection.execute(_SELECT_PACK, (version_id, FORMAT))
    try:
        found = cursor.fetchone()
    finally:
        cursor.close()
    if found is None:
        return None
    try:
        return unpack(found[0])
    except ValueError as exc:
        log.warning("price pack of reference version %s not used: %s", version_id, exc)
        return None
