"""Banks' geography: resolved once in a batch, stored with the reference version,
and used for tiers, while the imported rows and their hash stay as they were."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import pytest

from bng_desktop.core.bands import Tier
from bng_desktop.core.bank_geography import BankLocation, with_bank_locations
from bng_desktop.core.errors import StoreError
from bng_desktop.core.model import Bank, DemandLine, Site
from bng_desktop.core.reference import content_hash
from bng_desktop.core.result import QuoteRequest
from bng_desktop.core.tiers import SiteGeography
from bng_desktop.geo.banks import locate_banks
from bng_desktop.workspace import Workspace
from tests.factories import tiny_reference

SITE = Site(lpa="Winchester", nca="South Downs", lpa_neighbours=("Test Valley",))


def reference_with_unplaced_banks():
    """B1 by postcode (Winchester), B2 by coordinates (Test Valley), B3 placed by
    the workbook, B4 with a postcode nobody knows, B5 with nothing to go on."""
    base = tiny_reference()
    banks = (
        dataclasses.replace(base.banks[0], lpa="", nca="", postcode="so23 9lj"),
        dataclasses.replace(base.banks[1], lpa="", nca="", lat=51.2, lon=-1.6),
        Bank("B3", "Bank Three", "Breckland", "Breckland", postcode="SO23 9LJ"),
        Bank("B4", "Bank Four", postcode="ZZ9 9ZZ"),
        Bank("B5", "Bank Five"),
    )
    return dataclasses.replace(base, banks=banks)


@pytest.fixture
def workspace(tmp_path, fake, monkeypatch):
    for name, value in fake.environment().items():
        monkeypatch.setenv(name, value)
    with Workspace.open(tmp_path / "data") as opened:
        yield opened


def test_a_batch_locates_what_it_can_and_reports_the_rest(fake, workspace) -> None:
    data = reference_with_unplaced_banks()
    version = workspace.references.import_data(data, source="test").version_id
    calls = []

    batch = workspace.locate_banks(progress=lambda *call: calls.append(call))

    assert {loc.bank_id: (loc.lpa, loc.nca, loc.source) for loc in batch.located} == {
        "B1": ("Winchester", "Hampshire Downs", "postcode"),
        "B2": ("Test Valley", "Hampshire Downs", "coordinates"),
    }
    assert [bank_id for bank_id, _ in batch.failed] == ["B4"]
    assert "postcode not found" in batch.failed[0][1]
    assert not batch.complete and batch.stopped == ""
    assert calls[0] == (0, 3, "Locating Bank One") and calls[-1][:2] == (3, 3)
    stored = workspace.bank_locations.read(version)
    assert set(stored) == {"B1", "B2"} and stored["B2"].lat == 51.2


def test_resolved_banks_are_used_for_tiers_but_the_rows_stay_as_imported(fake, workspace) -> None:
    data = reference_with_unplaced_banks()
    version = workspace.references.import_data(data, source="test")
    before = workspace.snapshot()
    assert SiteGeography(SITE).tier_of(before.banks["B1"]) is Tier.FAR

    workspace.locate_banks()
    after = workspace.snapshot()

    geography = SiteGeography(SITE)
    assert geography.tier_of(after.banks["B1"]) is Tier.LOCAL
    assert geography.tier_of(after.banks["B2"]) is Tier.ADJACENT  # Test Valley borders Winchester
    assert after.banks["B3"].lpa == "Breckland"
    assert after.info.content_hash == before.info.content_hash == content_hash(data)
    assert after.info.geography and not before.info.geography
    assert workspace.references.load_data(version.version_id).banks == data.banks


def test_a_quote_is_repriced_once_banks_are_located(fake, workspace) -> None:
    workspace.references.import_data(reference_with_unplaced_banks(), source="test")
    request = QuoteRequest(
        site=SITE,
        demand=(DemandLine("Grassland - Other neutral grassland", Fraction(1)),),
        policy=workspace.snapshot().default_policy,
    )
    assert {line.tier for line in workspace.quote(request).lines} == {Tier.FAR}
    workspace.locate_banks()
    assert {line.tier for line in workspace.quote(request).lines} == {Tier.LOCAL}


def test_banks_located_before_are_not_looked_up_again(fake, workspace) -> None:
    workspace.references.import_data(reference_with_unplaced_banks(), source="test")
    workspace.locate_banks()
    requests = fake.count()
    again = workspace.locate_banks()
    assert [loc.bank_id for loc in again.located] == []
    assert fake.count() - requests == 1  # only B4's postcode (a miss is not cached)
    forced = workspace.locate_banks(force=True)
    assert {loc.bank_id for loc in forced.located} == {"B1", "B2"}


def test_locations_belong_to_their_version(fake, workspace) -> None:
    first = workspace.references.import_data(reference_with_unplaced_banks(), source="one")
    workspace.locate_banks()
    second = workspace.references.import_data(reference_with_unplaced_banks(), source="two")
    assert workspace.bank_locations.read(second.version_id) == {}
    assert workspace.snapshot(second.version_id).banks["B1"].lpa == ""
    assert workspace.snapshot(first.version_id).banks["B1"].lpa == "Winchester"


def test_a_location_for_a_bank_the_version_lacks_is_refused(workspace) -> None:
    version = workspace.references.import_data(tiny_reference(), source="test").version_id
    stray = BankLocation("B9", "Winchester", "", None, None, "postcode", "2026-01-01T00:00:00")
    with pytest.raises(StoreError, match="has no bank 'B9'"):
        workspace.bank_locations.save(version, [stray])


def test_an_unreachable_service_stops_the_batch(fake, make_service) -> None:
    banks = reference_with_unplaced_banks().banks[:2]
    saved = []
    batch = locate_banks(banks, make_service(offline=True), saved.append)
    assert batch.stopped.startswith("service unreachable") and saved == []
    assert fake.count() == 0


def test_a_resolved_location_never_overrides_a_name_the_workbook_gives() -> None:
    bank = Bank("B1", "One", lpa="Winchester", nca="")
    found = BankLocation("B1", "Test Valley", "Hampshire Downs", 1.0, 2.0, "postcode", "")
    (filled,) = with_bank_locations([bank], {"B1": found})
    assert (filled.lpa, filled.nca) == ("Winchester", "Hampshire Downs")
