"""The content hash: every field of every record counts, and known data keeps its hash."""

from __future__ import annotations

import dataclasses
import typing
from enum import Enum
from fractions import Fraction

import pytest

from bng_desktop.core.bands import Band
from bng_desktop.core.model import Bank, ReferenceData
from bng_desktop.core.price_table import PriceTable
from bng_desktop.core.reference import HASH_EXCLUDED, content_hash
from bng_desktop.io.reference_workbook import read_reference_workbook
from bng_desktop.io.statutory import load_statutory_facts
from bng_desktop.settings import sample_reference_path
from tests.factories import tiny_reference
from tests.store.builders import rich_reference

SAMPLE_HASH = "1de670ae86077498e4316366aedd4e9615201d86b81163e4ec07b9c97b23da96"
RICH_HASH = "411906bafcf3bbba1d15e56852ad35139e37c84c11a8b43b89843dfc29ce9810"
TINY_HASH = "658415bdfb702a7247ee00b5ddef62bfc9593e7786d20ada7ea600d56fdb3e46"
"""Hashes stored with versions already imported and published: they must not move."""

KINDS = tuple(f.name for f in dataclasses.fields(ReferenceData) if f.name not in HASH_EXCLUDED)


def test_the_sample_workbook_keeps_its_stored_hash():
    data = read_reference_workbook(sample_reference_path(), load_statutory_facts())
    assert content_hash(data) == SAMPLE_HASH


def test_hand_built_data_keeps_its_hash():
    assert content_hash(rich_reference()) == RICH_HASH
    assert content_hash(tiny_reference()) == TINY_HASH


def test_only_the_import_warnings_are_left_out():
    assert {f.name for f in dataclasses.fields(ReferenceData)} - set(KINDS) == {"warnings"}
    data = rich_reference()
    assert content_hash(dataclasses.replace(data, warnings=("other",))) == RICH_HASH


def test_row_order_does_not_matter():
    data = rich_reference()
    shuffled = {kind: tuple(reversed(getattr(data, kind))) for kind in KINDS}
    assert content_hash(dataclasses.replace(data, **shuffled)) == RICH_HASH


def test_prices_held_as_a_table_hash_as_their_rows():
    data = rich_reference()
    table = PriceTable.of(tuple(reversed(data.prices)))
    assert content_hash(dataclasses.replace(data, prices=table)) == RICH_HASH


def _record_fields() -> list[tuple[str, str]]:
    data = rich_reference()
    found = []
    for kind in KINDS:
        rows = getattr(data, kind)
        assert rows, f"rich_reference has no {kind} rows to vary"
        if dataclasses.is_dataclass(rows[0]):
            found += [(kind, f.name) for f in dataclasses.fields(rows[0])]
        else:
            found += [(kind, str(i)) for i in range(len(rows[0]))]
    return found


def _changed(value: object, hint: object) -> object:
    """A different value of the same type."""
    if value is None:
        choices = [a for a in typing.get_args(hint) if a is not type(None)]
        return {float: 1.5, Fraction: Fraction(1, 7), Band: Band.HIGH, str: "x"}[choices[0]]
    if isinstance(value, bool):
        return not value
    if isinstance(value, Enum):
        return next(member for member in type(value) if member != value)
    if isinstance(value, Fraction | float):
        return value + 1
    return f"{value} changed"


@pytest.mark.parametrize("kind, field", _record_fields(), ids=lambda v: v)
def test_every_field_of_every_record_counts(kind, field):
    data = rich_reference()
    rows = list(getattr(data, kind))
    first = rows[0]
    if dataclasses.is_dataclass(first):
        hint = typing.get_type_hints(type(first))[field]
        value = _changed(getattr(first, field), hint)
        rows[0] = dataclasses.replace(first, **{field: value})
    else:
        index = int(field)
        rows[0] = (*first[:index], _changed(first[index], str), *first[index + 1 :])
    assert content_hash(dataclasses.replace(data, **{kind: tuple(rows)})) != content_hash(data)


def test_a_field_added_to_a_record_is_hashed_without_being_listed():
    WithRegion = dataclasses.make_dataclass(
        "WithRegion", [("region", str, "")], bases=(Bank,), frozen=True
    )
    data = rich_reference()

    def with_region(region: str) -> ReferenceData:
        banks = tuple(WithRegion(**dataclasses.asdict(b), region=region) for b in data.banks)
        return dataclasses.replace(data, banks=banks)

    assert content_hash(with_region("South East")) != content_hash(with_region("London"))


def test_a_row_that_is_neither_a_record_nor_a_tuple_is_refused():
    data = dataclasses.replace(tiny_reference(), policy=(["key", "value"],))
    with pytest.raises(TypeError, match="record or a tuple"):
        content_hash(data)
