"""A reference version in a consultant's words: where it came from, when it
arrived, and what it holds as readable figures (never its fingerprint or a
store's row-kind names; those stay for the folded details and support)."""

from __future__ import annotations

from dataclasses import dataclass

from .dates import uk_datetime

SAMPLE_SOURCE = "sample"
"""The source of the bundled sample data (workspace.py)."""

HEADLINE_ROWS: tuple[tuple[str, str, str], ...] = (
    ("banks", "bank", "banks"),
    ("habitats", "habitat", "habitats"),
    ("stock", "stock line", "stock lines"),
    ("prices", "price row", "price rows"),
)
"""What a version holds that a consultant asks about, in order."""
OTHER_ROWS: tuple[tuple[str, str, str], ...] = (
    ("trading_rules", "trading rule", "trading rules"),
    ("srm", "spatial risk multiplier", "spatial risk multipliers"),
    ("distinctiveness", "distinctiveness level", "distinctiveness levels"),
    ("policy", "policy setting", "policy settings"),
    ("lpa_neighbours", "neighbouring-LPA pair", "neighbouring-LPA pairs"),
    ("nca_neighbours", "neighbouring-NCA pair", "neighbouring-NCA pairs"),
)


def pulled_source(team_version: int, workbook: str) -> str:
    """The source a version pulled from the team database is stored under."""
    return f"central v{team_version}: {workbook}"


@dataclass(frozen=True, kw_only=True)
class VersionOrigin:
    """How a version reached this desktop."""

    source: str
    """The stored source: a workbook name, "sample", or "central vN: <workbook>"."""
    created_at: str
    team_version: int | None = None
    """The team database's number for it, when pulled from there or published from here."""
    imported_by: str = ""
    """Who imported it on this desktop ("" when not recorded)."""

    @property
    def pulled(self) -> bool:
        return self.team_version is not None and self.source.startswith(self._pulled_prefix)

    @property
    def _pulled_prefix(self) -> str:
        return pulled_source(self.team_version or 0, "")

    @property
    def workbook(self) -> str:
        """The workbook the data was read from (wherever it was read)."""
        return self.source.removeprefix(self._pulled_prefix) if self.pulled else self.source

    def how(self) -> str:
        """'Imported from backend.xlsx', 'Pulled from the team database (team
        version 3, backend.xlsx)', 'The bundled sample data'."""
        if self.pulled:
            return (
                f"Pulled from the team database (team version {self.team_version}, {self.workbook})"
            )
        if self.source == SAMPLE_SOURCE:
            return "The bundled sample data"
        published = (
            f", published as team version {self.team_version}"
            if self.team_version is not None
            else ""
        )
        return f"Imported from {self.source}{published}"

    def when(self) -> str:
        """'pulled 05/12/2026 14:30' or 'imported 05/12/2026 14:30 by Jane Smith'
        (this computer's time; by whom when it was recorded)."""
        verb = "pulled" if self.pulled else "loaded" if self.source == SAMPLE_SOURCE else "imported"
        by = f" by {self.imported_by}" if self.imported_by and verb == "imported" else ""
        return f"{verb} {uk_datetime(self.created_at)}{by}"


def figure(count: int, one: str, many: str) -> str:
    """'1 bank', '2,940 price rows'."""
    return f"{count:,} {one if count == 1 else many}"


def headline_figures(row_counts: dict[str, int]) -> str:
    """'20 banks · 150 habitats · 245 stock lines · 2,940 price rows'."""
    return " · ".join(figure(row_counts.get(k, 0), one, many) for k, one, many in HEADLINE_ROWS)


def other_figures(row_counts: dict[str, int]) -> list[str]:
    """The rest of what a version holds, one figure each, for the details."""
    return [figure(row_counts[k], one, many) for k, one, many in OTHER_ROWS if k in row_counts]
