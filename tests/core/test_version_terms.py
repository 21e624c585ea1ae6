"""A reference version in plain words: where it came from, when, and what it
holds with thousands separators."""

from __future__ import annotations

from bng_desktop.core.dates import uk_datetime
from bng_desktop.core.version_terms import (
    SAMPLE_SOURCE,
    VersionOrigin,
    headline_figures,
    other_figures,
    pulled_source,
)

WHEN = "2026-03-04T10:00:00+00:00"


def test_figures_read_with_thousands_separators_and_singulars():
    counts = {"banks": 1, "habitats": 150, "stock": 12_345, "prices": 2_940, "srm": 3}
    assert (
        headline_figures(counts) == "1 bank · 150 habitats · 12,345 stock lines · 2,940 price rows"
    )
    assert other_figures(counts) == ["3 spatial risk multipliers"]


def test_an_imported_workbook():
    origin = VersionOrigin(source="backend.xlsx", created_at=WHEN)
    assert origin.how() == "Imported from backend.xlsx"
    assert origin.when() == f"imported {uk_datetime(WHEN)}"


def test_a_pulled_version_names_the_team_version_and_its_workbook():
    origin = VersionOrigin(source=pulled_source(4, "backend.xlsx"), created_at=WHEN, team_version=4)
    assert origin.pulled and origin.workbook == "backend.xlsx"
    assert origin.how() == "Pulled from the team database (team version 4, backend.xlsx)"
    assert origin.when() == f"pulled {uk_datetime(WHEN)}"


def test_a_version_published_from_here_stays_imported():
    origin = VersionOrigin(source="backend.xlsx", created_at=WHEN, team_version=2)
    assert not origin.pulled
    assert origin.how() == "Imported from backend.xlsx, published as team version 2"


def test_the_bundled_sample():
    origin = VersionOrigin(source=SAMPLE_SOURCE, created_at=WHEN)
    assert origin.how() == "The bundled sample data"
    assert origin.when().startswith("loaded ")


def test_an_imported_workbook_says_who_imported_it_when_recorded():
    origin = VersionOrigin(source="backend.xlsx", created_at=WHEN, imported_by="Jane Smith")
    assert origin.when() == f"imported {uk_datetime(WHEN)} by Jane Smith"
    pulled = VersionOrigin(
        source=pulled_source(4, "backend.xlsx"), created_at=WHEN, team_version=4, imported_by="x"
    )
    assert pulled.when() == f"pulled {uk_datetime(WHEN)}"
