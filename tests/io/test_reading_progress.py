"""Reading a reference workbook tells the consultant which sheet is being read
while it is parsed, and the bar never runs backwards."""

from __future__ import annotations

from pathlib import Path

import pytest

from bng_desktop.core.progress import ImportStage
from bng_desktop.io.reference_workbook import read_reference_workbook
from bng_desktop.io.statutory import load_statutory_facts
from tests.shared_data import generate_reference, needs_shared


@needs_shared
def test_each_sheet_is_named_as_it_is_parsed_and_the_bar_only_moves_forward(tmp_path: Path):
    workbook, _, _ = generate_reference(tmp_path, banks=30, seed=2)
    heard: list[tuple[float, str]] = []
    read_reference_workbook(
        workbook,
        load_statutory_facts(),
        progress=lambda stage, fraction, message: (
            heard.append((fraction, message)) if stage == ImportStage.READING else None
        ),
    )
    messages = [message for _, message in heard]
    first_read = next(i for i, m in enumerate(messages) if m.startswith("Read sheet"))
    parsing = [m for m in messages[:first_read] if m.startswith("Reading sheet ")]
    assert any(m == "Reading sheet Pricing" for m in parsing)
    assert len(parsing) >= 3, messages[:first_read]
    fractions = [fraction for fraction, _ in heard]
    assert fractions == sorted(fractions)
    assert fractions[-1] == pytest.approx(0.6)
