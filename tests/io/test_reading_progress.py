"""Reading a reference workbook tells the consultant which sheet is being read
while it is parsed, and the bar never runs backwards."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bng_desktop.core.errors import QuoteCancelled
from bng_desktop.core.progress import ImportStage
from bng_desktop.io import plain_workbook
from bng_desktop.io.reference_workbook import PARSING_SHARE, read_reference_workbook
from bng_desktop.io.statutory import load_statutory_facts
from tests.shared_data import generate_reference, needs_shared


@needs_shared
def test_each_sheet_is_named_as_it_is_parsed_and_the_bar_only_moves_forward(tmp_path: Path):
    workbook, _, _ = generate_reference(tmp_path, banks=30, seed=2)
    heard = _reading(workbook)
    messages = [message for _, message in heard]
    first_read = next(i for i, m in enumerate(messages) if m.startswith("Read sheet"))
    parsing = [m for m in messages[:first_read] if m.startswith("Reading sheet ")]
    assert any(m == "Reading sheet Pricing" for m in parsing)
    assert len(parsing) >= 3, messages[:first_read]
    fractions = [fraction for fraction, _ in heard]
    assert fractions == sorted(fractions)
    assert fractions[-1] == pytest.approx(0.6)


@needs_shared
def test_a_long_sheet_is_reported_as_its_rows_are_parsed(tmp_path: Path, monkeypatch):
    """The bar moves while one sheet is parsed (a national Pricing sheet takes
    most of the reading), not only when the next sheet starts."""
    monkeypatch.setattr(plain_workbook, "REPORT_BYTES", 8192)
    monkeypatch.setattr(plain_workbook, "TEXT_CHUNK_BYTES", 8192)
    workbook, _, _ = generate_reference(tmp_path, banks=30, seed=2)
    heard = _reading(workbook)
    parsed = next(i for i, (_, m) in enumerate(heard) if m.startswith("Read sheet"))
    during = [(f, m) for f, m in heard[:parsed] if m.startswith("Reading sheet Pricing: ")]
    rows = [int(m.rsplit(": ", 1)[1].split()[0].replace(",", "")) for _, m in during]
    assert len(rows) >= 3 and rows == sorted(rows) and rows[0] > 0
    fractions = [f for f, _ in during]
    started = next(f for f, m in heard if m == "Reading sheet Pricing")
    assert started < fractions[0] < fractions[-1] <= PARSING_SHARE * 0.6


@needs_shared
def test_a_cancel_while_a_sheet_is_parsed_stops_the_reading(tmp_path: Path, monkeypatch):
    """What the progress callback raises comes through: the workbook is not
    taken for one the fast reader cannot read and read again by openpyxl."""
    monkeypatch.setattr(plain_workbook, "REPORT_BYTES", 8192)
    monkeypatch.setattr(plain_workbook, "TEXT_CHUNK_BYTES", 8192)
    workbook, _, _ = generate_reference(tmp_path, banks=30, seed=2)

    def cancel_in_pricing(stage: str, fraction: float, message: str) -> None:
        if re.fullmatch(r"Reading sheet Pricing: [0-9,]+ rows", message):
            raise QuoteCancelled()

    with pytest.raises(QuoteCancelled):
        read_reference_workbook(workbook, load_statutory_facts(), progress=cancel_in_pricing)


def _reading(workbook: Path) -> list[tuple[float, str]]:
    heard: list[tuple[float, str]] = []
    read_reference_workbook(
        workbook,
        load_statutory_facts(),
        progress=lambda stage, fraction, message: (
            heard.append((fraction, message)) if stage == ImportStage.READING else None
        ),
    )
    return heard
