"""The bundled statutory facts: habitats, districts and their neighbours, NCAs."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bng_desktop.core.bands import Band, UnitType
from bng_desktop.core.catalogue import INTERTIDAL_GROUP, fold
from bng_desktop.core.errors import ReferenceDataError
from bng_desktop.io.statutory import load_statutory_facts
from bng_desktop.settings import statutory_data_dir


@pytest.fixture(scope="module")
def facts():
    return load_statutory_facts()


def test_every_statutory_habitat_is_keyed_by_its_folded_name(facts):
    assert len(facts.habitats) == 150
    assert all(key == fold(h.name) for key, h in facts.habitats.items())
    counts = {t: sum(h.unit_type is t for h in facts.habitats.values()) for t in UnitType}
    assert counts == {UnitType.AREA: 132, UnitType.HEDGEROW: 13, UnitType.WATERCOURSE: 5}
    assert facts.habitat("  grassland -   OTHER neutral grassland ").band is Band.MEDIUM


def test_only_the_three_always_irreplaceable_types_are_irreplaceable(facts):
    irreplaceable = sorted(h.name for h in facts.habitats.values() if h.irreplaceable)
    assert irreplaceable == [
        "Sparsely vegetated land - Coastal sand dunes",
        "Sparsely vegetated land - Limestone pavement",
        "Wetland - Blanket bog",
    ]


@pytest.mark.parametrize(
    ("name", "broad", "trading"),
    [
        ("Grassland - Lowland meadows", "Grassland", "Grassland"),
        ("Intertidal sediment - Littoral mud", "Intertidal sediment", INTERTIDAL_GROUP),
        ("Native hedgerow", "Hedgerow", "Hedgerow"),
        ("Ditches", "Watercourse", "Watercourse"),
    ],
)
def test_broad_habitat_and_trading_group(facts, name, broad, trading):
    habitat = facts.habitat(name)
    assert (habitat.broad_habitat, habitat.trading_broad_habitat) == (broad, trading)


def test_districts_hold_2021_and_2023_names_of_england_and_wales(facts):
    assert list(facts.districts) == sorted(set(facts.districts))
    for name in ("Allerdale", "Cumberland", "North Yorkshire", "Somerset", "Cardiff", "Winchester"):
        assert name in facts.districts
    assert len(facts.districts) == 331 + 4


def test_neighbour_pairs_are_unique_sorted_and_by_name(facts):
    pairs = facts.lpa_neighbours
    assert list(pairs) == sorted(set(pairs))
    assert all(a < b for a, b in pairs)
    districts = set(facts.districts)
    assert all(a in districts and b in districts for a, b in pairs)
    assert _neighbours(pairs, "Winchester") == {
        "Basingstoke and Deane",
        "East Hampshire",
        "Eastleigh",
        "Fareham",
        "Havant",
        "Portsmouth",
        "Test Valley",
    }
    assert _neighbours(pairs, "Isle of Wight") == set()


def test_a_merged_district_neighbours_what_its_predecessors_did(facts):
    cumberland = _neighbours(facts.lpa_neighbours, "Cumberland")
    assert {"Northumberland", "Eden", "Westmorland and Furness"} <= cumberland
    assert not cumberland & {"Allerdale", "Carlisle", "Copeland", "Cumberland"}
    assert "North Yorkshire" in _neighbours(facts.lpa_neighbours, "Darlington")


def test_ncas_are_the_159_names_sorted(facts):
    assert len(facts.ncas) == 159
    assert list(facts.ncas) == sorted(facts.ncas)
    assert "Hampshire Downs" in facts.ncas


def test_facts_are_cached_per_directory(facts):
    assert load_statutory_facts(statutory_data_dir()) is facts


def test_merge_rule_on_a_small_made_up_map(tmp_path):
    """A and B merge into AB; C borders A, D borders B, E borders C only."""
    _write_minimal_facts(
        tmp_path,
        districts=[("A1", "A", "AB"), ("B1", "B", "AB"), ("C1", "C", "C"), ("D1", "D", "D")],
        borders=[("A1", "B1"), ("A1", "C1"), ("B1", "D1"), ("C1", "D1")],
    )
    facts = load_statutory_facts(tmp_path)
    assert facts.districts == ("A", "AB", "B", "C", "D")
    assert facts.lpa_neighbours == (
        ("A", "B"),
        ("A", "C"),
        ("AB", "C"),
        ("AB", "D"),
        ("B", "D"),
        ("C", "D"),
    )


def test_a_damaged_habitat_file_is_refused(tmp_path):
    _write_minimal_facts(tmp_path, districts=[("A1", "A", "A")], borders=[])
    (tmp_path / "habitats.csv").write_text(
        "habitat_name,broad_habitat,unit_type,distinctiveness,irreplaceable\n"
        "Grassland - X,Grassland,area,Superb,false\n",
        encoding="utf-8",
    )
    with pytest.raises(ReferenceDataError, match=r"habitats\.csv is damaged"):
        load_statutory_facts(tmp_path)


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(ReferenceDataError, match="cannot be read"):
        load_statutory_facts(tmp_path)


def _neighbours(pairs, name: str) -> set[str]:
    return {b if a == name else a for a, b in pairs if name in (a, b)}


def _write_minimal_facts(directory: Path, districts, borders) -> None:
    columns = "habitat_name,broad_habitat,unit_type,distinctiveness,irreplaceable\n"
    (directory / "habitats.csv").write_text(
        columns + "Grassland - X,Grassland,area,Low,false\n", encoding="utf-8"
    )
    (directory / "hedgerows.csv").write_text(
        columns + "Native hedgerow,,hedgerow,Low,false\n", encoding="utf-8"
    )
    (directory / "watercourses.csv").write_text(
        columns + "Ditches,,watercourse,Medium,false\n", encoding="utf-8"
    )
    _write_csv(
        directory / "lpa.csv",
        ["lad21cd", "lad21nm", "country", "lad23cd", "lad23nm"],
        [(code, name, "England", new_name + "23", new_name) for code, name, new_name in districts],
    )
    rows = [pair for a, b in borders for pair in ((a, b), (b, a))]
    _write_csv(directory / "lpa_neighbours.csv", ["lad21cd", "neighbour_lad21cd"], rows)
    _write_csv(
        directory / "nca.csv", ["nca_number", "nca_name", "name_checked"], [(1, "Z", "true")]
    )


def _write_csv(path: Path, header: list[str], rows) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
