"""The statutory metric's layout as measured (metric-layout.md): the sheets,
the trading summaries' blocks and header texts, the Headline Results cells.

The reader finds blocks by their titles and columns by their header texts,
then checks what it found against what is here; anything else is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...core.bands import Band, UnitType

START = "Start"
HEADLINE = "Headline Results"
VERSION_HISTORY = "Version History"
AREA_SUMMARY = "Trading Summary Area Habitats"
HEDGEROW_SUMMARY = "Trading Summary Hedgerows"
WATERCOURSE_SUMMARY = "Trading Summary WaterC's"
REQUIRED_SHEETS = (START, HEADLINE, AREA_SUMMARY, HEDGEROW_SUMMARY, WATERCOURSE_SUMMARY)
METRIC_3_SUMMARY = "Trading Summary"
"""Metric 3.0/3.1 had one trading summary sheet."""

VERSION_CELL = "D8"
STATUTORY_VERSION = "4.1"
RELEASE = re.compile(r"^\s*version\s+(\d+\.\d+\.\d+)\s*$", re.IGNORECASE)
KNOWN_RELEASES = ("1.0.0", "1.0.1", "1.0.2", "1.0.3", "1.0.4")
START_TARGET_FLAG = "I22"
"""'Target set below 10% ▲' when the target is below the statutory 10%."""

BAND_TITLE = re.compile(r"^(very high|high|medium|low|very low) distinctiveness$")
BAND_BY_TITLE = {
    "very high": Band.V_HIGH,
    "high": Band.HIGH,
    "medium": Band.MEDIUM,
    "low": Band.LOW,
    "very low": Band.V_LOW,
}

LABEL_HEADER = "habitat group"
BROAD_HEADER = "group"
ON_SITE_HEADER = "on site unit change"
OFF_SITE_HEADER = "off site unit change"
PROJECT_WIDE_HEADER = "project wide unit change"
"""Headers compare after cells.normalise_text ("Project-wide unit change " too)."""

HEADER_SEARCH_ROWS = 2
"""The header row is within this many rows below a block's title (1.0.4 adds a blank)."""
TOTAL_SEARCH_ROWS = 2
"""The band's total row is within this many rows below its last habitat row."""


@dataclass(frozen=True)
class SummaryLayout:
    """Where one trading summary keeps its figures (columns are 1-based)."""

    sheet: str
    aliases: tuple[str, ...]
    unit_type: UnitType
    bands: tuple[Band, ...]
    """Top to bottom, as the sheet has them."""
    broad_column: int | None
    on_site_column: int
    off_site_column: int
    project_wide_column: int
    label_column: int = 2
    max_row: int = 400
    max_column: int = 20

    def headers(self) -> dict[str, int]:
        """Each header text and the column the statutory metric has it in."""
        found = {
            LABEL_HEADER: self.label_column,
            ON_SITE_HEADER: self.on_site_column,
            OFF_SITE_HEADER: self.off_site_column,
            PROJECT_WIDE_HEADER: self.project_wide_column,
        }
        if self.broad_column is not None:
            found[BROAD_HEADER] = self.broad_column
        return found


ALL_BANDS = (Band.V_HIGH, Band.HIGH, Band.MEDIUM, Band.LOW, Band.V_LOW)
SUMMARIES = (
    SummaryLayout(
        AREA_SUMMARY, (AREA_SUMMARY,), UnitType.AREA, ALL_BANDS[:4],
        broad_column=3, on_site_column=4, off_site_column=5, project_wide_column=6,
    ),
    SummaryLayout(
        HEDGEROW_SUMMARY, (HEDGEROW_SUMMARY,), UnitType.HEDGEROW, ALL_BANDS,
        broad_column=None, on_site_column=3, off_site_column=4, project_wide_column=5,
    ),
    SummaryLayout(
        WATERCOURSE_SUMMARY, (WATERCOURSE_SUMMARY, "Trading Summary Watercourses"),
        UnitType.WATERCOURSE, ALL_BANDS[:4],
        broad_column=None, on_site_column=3, off_site_column=4, project_wide_column=5,
    ),
)  # fmt: skip

# Headline Results: rows n, n+1, n+2 are area, hedgerow, watercourse.
HEADLINE_MAX_ROW = 100
HEADLINE_MAX_COLUMN = 12
BASELINE_ROW = 8
TOTAL_CHANGE_ROW = 47
REQUIREMENT_ROW = 61
VALUE_COLUMN = 8  # H
TARGET_COLUMN = 4  # D
UNITS_REQUIRED_COLUMN = 6  # F
UNIT_TYPE_COLUMN = 6  # F, beside the sections' values
VERDICT_CELL = "F55"
UNIT_WORDS = {
    UnitType.AREA: ("habitat units", "area habitat units"),
    UnitType.HEDGEROW: ("hedgerow units",),
    UnitType.WATERCOURSE: ("watercourse units",),
}
HEADLINE_LABELS = {
    "B8": ("on site baseline",),
    "B47": ("total net unit change",),
    "B55": ("trading rules satisfied?",),
    "B60": ("unit type",),
    "D60": ("target",),
    "F60": ("units required",),
    "H60": ("unit deficit",),
}
"""Label cells that must start with one of the texts (after normalise_text)."""
HEADLINE_FLAG_CELLS = ("B19",)
"""Messages the metric writes when its input is wrong ("Error - off-site ... ▲")."""
