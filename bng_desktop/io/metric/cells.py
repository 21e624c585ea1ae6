"""What a cached cell value means to the reader (metric-layout.md §8).

Numbers keep the precision the workbook gives (a float is taken at its
shortest decimal form, so Excel's 4.0999999999999996 is 4.1); numeric text
("0.00", "12%") is a number, read by the product's one number reader
(``core.number_input``: a decimal comma or a 5,000-digit number is refused
with its reason, never misread); "N/A" is zero; an empty cell (an empty-string result)
is empty; error values (#REF!, #VALUE! ...) and the metric's own flags
("Check Data ⚠", "Error ▲") are told apart from other text.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ...core.exact import to_fraction
from ...core.number_input import NumberInputError, read_number

ERROR_VALUES = frozenset(
    {
        "#NULL!",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#N/A",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#BUSY!",
        "#UNKNOWN!",
        "#EXTERNAL!",
    }
)
NOT_APPLICABLE = "n/a"
FLAG_GLYPHS = ("⚠", "▲")
LOOKS_NUMERIC = re.compile(r"^[\s+\-\u200b-\u200f\u2060\ufeff\u00ad]*[\d.,]")
"""Text starting like a number: if it cannot be read, the reason is kept."""

EMPTY, NUMBER, ERROR, FLAG, TEXT = "empty", "number", "error", "flag", "text"


@dataclass(frozen=True)
class CellValue:
    """A cell value classified: ``kind`` is empty, number, error, flag or text."""

    kind: str
    number: Fraction | None = None
    raw: Any = None
    problem: str | None = None
    """Why numeric-looking text is not a number ("use a point for decimals: 1.5")."""

    @property
    def text(self) -> str:
        return "" if self.raw is None else str(self.raw).strip()


def classify(value: Any) -> CellValue:
    if value is None:
        return CellValue(EMPTY)
    if isinstance(value, bool):
        return CellValue(TEXT, raw=value)
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return CellValue(TEXT, raw=value)
        return CellValue(NUMBER, to_fraction(value), value)
    if isinstance(value, str):
        return _classify_text(value)
    return CellValue(TEXT, raw=value)


def _classify_text(value: str) -> CellValue:
    text = value.strip()
    if not text:
        return CellValue(EMPTY, raw=value)
    if text.upper() in ERROR_VALUES:
        return CellValue(ERROR, raw=text.upper())
    if text.lower() == NOT_APPLICABLE:
        return CellValue(NUMBER, Fraction(0), value)
    if is_flag(text):
        return CellValue(FLAG, raw=text)
    if not LOOKS_NUMERIC.match(text):
        return CellValue(TEXT, raw=value)
    percent = text.endswith("%")
    try:
        number = read_number(text[:-1] if percent else text)
    except NumberInputError as error:
        return CellValue(TEXT, raw=value, problem=error.problem)
    return CellValue(NUMBER, number / 100 if percent else number, value)


def is_flag(text: str) -> bool:
    """The metric's own warning texts: 'Check Data ⚠', 'Error ▲', 'Error - off-site ...'."""
    lowered = text.strip().lower()
    return lowered.startswith(("check data", "error")) or any(g in text for g in FLAG_GLYPHS)


def normalise_text(value: Any) -> str:
    """Header and label text compared loosely: case, spacing, hyphens."""
    return re.sub(r"\s+", " ", str(value).replace("-", " ")).strip().casefold()
