"""Bank tiers (local / adjacent / far), place-name normalisation, spatial risk."""

from __future__ import annotations

from fractions import Fraction

import pytest

from bng_desktop.core.bands import Tier
from bng_desktop.core.model import Bank, ReferenceData, Site, SrmRow, StockLine
from bng_desktop.core.reference import ReferenceSnapshot, VersionInfo, srm_sheet_warnings
from bng_desktop.core.tiers import (
    SPATIAL_RISK_MULTIPLIER,
    STOCK_PER_UNIT,
    SiteGeography,
    normalise_place,
    tier_of,
)
from tests.core.engine_builders import NEUTRAL, prices_for, quote, snapshot

F = Fraction

# --- name normalisation ------------------------------------------------------

SAME_NAMES = [
    ("city council", "Winchester City Council", "Winchester"),
    ("metropolitan borough council", "Rochdale Metropolitan Borough Council", "Rochdale"),
    ("city and district council", "St Albans City and District Council", "St Albans"),
    ("city of, comma", "Bristol, City of", "Bristol City Council"),
    ("city of, prefix", "City of Bristol", "Bristol"),
    ("ampersand", "Brighton & Hove", "Brighton and Hove City Council"),
    ("ampersand no spaces", "Brighton&Hove", "Brighton and Hove"),
    ("royal borough of", "Royal Borough of Kingston upon Thames", "Kingston upon Thames"),
    ("royal borough of, suffix", "Kingston upon Thames, Royal Borough of", "Kingston upon Thames"),
    ("royal borough, council", "Royal Borough of Greenwich", "Greenwich Council"),
    ("london borough of", "London Borough of Camden", "Camden"),
    ("london borough of + council", "London Borough of Barnet Council", "Barnet"),
    ("metropolitan borough of", "Metropolitan Borough of Wirral", "Wirral"),
    ("borough of", "Borough of Poole", "Poole"),
    ("borough council", "Basingstoke and Deane Borough Council", "Basingstoke and Deane"),
    ("county durham", "County Durham", "Durham County Council"),
    ("borough inside a name", "Harborough District Council", "Harborough"),
    (
        "city of, official ONS name",
        "Kingston upon Hull, City of",
        "Kingston upon Hull City Council",
    ),
    ("county of", "Herefordshire, County of", "Herefordshire"),
    ("county council", "Cornwall County Council", "Cornwall"),
    ("district council", "East Hampshire District Council", "East Hampshire"),
    ("unitary authority", "Wiltshire Unitary Authority", "Wiltshire"),
    ("unitary", "Rutland Unitary", "Rutland"),
    ("case", "WINCHESTER", "winchester"),
    ("punctuation and spaces", "Stockton-on-Tees", "Stockton on Tees"),
    ("apostrophe", "King's Lynn and West Norfolk", "Kings Lynn and West Norfolk"),
    ("extra whitespace", "  Test   Valley ", "Test Valley"),
    ("NCA unchanged words", "South Downs", "south downs"),
]


@pytest.mark.parametrize(
    ("a", "b"), [row[1:] for row in SAME_NAMES], ids=[row[0] for row in SAME_NAMES]
)
def test_names_that_compare_equal(a, b):
    assert normalise_place(a) == normalise_place(b)
    assert normalise_place(a) != ""


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Winchester City Council", "winchester"),
        ("Bristol, City of", "bristol"),
        ("Royal Borough of Kingston upon Thames", "kingstonuponthames"),
        ("Brighton & Hove", "brightonandhove"),
        ("County Durham", "durham"),
        ("Peterborough", "peterborough"),
        ("Scarborough Borough Council", "scarborough"),
        ("Newcastle upon Tyne", "newcastleupontyne"),
        ("Council", ""),
        ("", ""),
    ],
    ids=[
        "city council",
        "city of",
        "royal borough",
        "ampersand",
        "county prefix",
        "borough inside a word kept",
        "borough word removed, inside kept",
        "plain",
        "only a removed word",
        "blank",
    ],
)
def test_normalised_form(name, expected):
    assert normalise_place(name) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Winchester", "Test Valley"),
        ("Bristol", "South Gloucestershire"),
        ("East Hampshire", "Hampshire"),
        ("Kingston upon Thames", "Kingston upon Hull"),
    ],
    ids=["different", "different 2", "prefix is not equal", "similar"],
)
def test_names_that_differ(a, b):
    assert normalise_place(a) != normalise_place(b)


# --- tiers -------------------------------------------------------------------

SITE = Site(
    lpa="Winchester",
    nca="South Downs",
    lpa_neighbours=("Test Valley", "East Hampshire District Council"),
    nca_neighbours=("Hampshire Downs",),
)

TIER_CASES = [
    ("local: same LPA", Bank("B", "b", "Winchester", "Somewhere Else"), Tier.LOCAL),
    ("local: same LPA, other spelling", Bank("B", "b", "Winchester City Council"), Tier.LOCAL),
    ("local: same NCA only", Bank("B", "b", "Cornwall", "South Downs"), Tier.LOCAL),
    ("local: same NCA, case", Bank("B", "b", "", "SOUTH DOWNS"), Tier.LOCAL),
    ("local beats adjacent", Bank("B", "b", "Test Valley", "South Downs"), Tier.LOCAL),
    ("adjacent: LPA neighbour", Bank("B", "b", "Test Valley", "Wessex Downs"), Tier.ADJACENT),
    (
        "adjacent: LPA neighbour, other spelling",
        Bank("B", "b", "Test Valley Borough Council", ""),
        Tier.ADJACENT,
    ),
    ("adjacent: neighbour named with council", Bank("B", "b", "East Hampshire"), Tier.ADJACENT),
    ("adjacent: NCA neighbour only", Bank("B", "b", "Cornwall", "Hampshire Downs"), Tier.ADJACENT),
    ("far: neither", Bank("B", "b", "Cornwall", "The Lizard"), Tier.FAR),
    ("far: blank bank LPA and NCA", Bank("B", "b", "", ""), Tier.FAR),
    ("far: LPA that is only a removed word", Bank("B", "b", "Council", ""), Tier.FAR),
]


@pytest.mark.parametrize(
    ("bank", "tier"), [row[1:] for row in TIER_CASES], ids=[row[0] for row in TIER_CASES]
)
def test_tier_of_bank(bank, tier):
    assert tier_of(bank, SITE) is tier
    assert SiteGeography(SITE).tier_of(bank) is tier


@pytest.mark.parametrize(
    ("site", "bank", "tier"),
    [
        (Site(lpa="", nca="South Downs"), Bank("B", "b", "", "Other"), Tier.FAR),
        (Site(lpa="Winchester", nca=""), Bank("B", "b", "Cornwall", ""), Tier.FAR),
        (Site(lpa="", nca=""), Bank("B", "b", "", ""), Tier.FAR),
        (Site(lpa="Winchester", nca="", nca_neighbours=("",)), Bank("B", "b", "X", ""), Tier.FAR),
        (Site(lpa="", nca="", lpa_neighbours=("",)), Bank("B", "b", "", ""), Tier.FAR),
    ],
    ids=[
        "blank site LPA vs blank bank LPA",
        "blank site NCA vs blank bank NCA",
        "both blank",
        "blank NCA neighbour vs blank bank NCA",
        "blank LPA neighbour vs blank bank LPA",
    ],
)
def test_blank_names_never_match(site, bank, tier):
    assert tier_of(bank, site) is tier


def test_neighbour_sets_are_not_symmetric_by_themselves():
    # The site's neighbour list decides; a bank listing the site is not enough.
    site = Site(lpa="Winchester", nca="South Downs")
    assert tier_of(Bank("B", "b", "Test Valley", "Hampshire Downs"), site) is Tier.FAR


# --- spatial risk ------------------------------------------------------------


@pytest.mark.parametrize(
    ("tier", "multiplier", "stock_per_unit"),
    [
        (Tier.LOCAL, F(1), F(1)),
        (Tier.ADJACENT, F(3, 4), F(4, 3)),
        (Tier.FAR, F(1, 2), F(2)),
    ],
    ids=["local 1", "adjacent 0.75 -> 4/3", "far 0.5 -> 2"],
)
def test_spatial_risk_factors_are_exact(tier, multiplier, stock_per_unit):
    assert SPATIAL_RISK_MULTIPLIER[tier] == multiplier
    assert STOCK_PER_UNIT[tier] == stock_per_unit
    assert isinstance(STOCK_PER_UNIT[tier], Fraction)


def _srm_data(rows) -> ReferenceData:
    return ReferenceData((), (), (), (), srm=tuple(SrmRow(t, F(m)) for t, m in rows))


@pytest.mark.parametrize(
    ("rows", "warned_tiers"),
    [
        ([(Tier.LOCAL, "1"), (Tier.ADJACENT, "0.75"), (Tier.FAR, "0.5")], []),
        ([(Tier.LOCAL, "1"), (Tier.ADJACENT, "1.333"), (Tier.FAR, "2")], []),
        ([(Tier.ADJACENT, "4/3")], []),
        ([(Tier.ADJACENT, "0.8"), (Tier.FAR, "0.5")], ["adjacent"]),
        ([(Tier.LOCAL, "1"), (Tier.FAR, "3")], ["far"]),
        ([(Tier.LOCAL, "0.9"), (Tier.ADJACENT, "1.5")], ["local", "adjacent"]),
    ],
    ids=["multipliers", "reciprocals", "exact reciprocal", "wrong adjacent", "wrong far", "two"],
)
def test_srm_sheet_is_informational_and_warned_when_it_disagrees(rows, warned_tiers):
    warnings = srm_sheet_warnings(_srm_data(rows))
    assert [w.split()[2] for w in warnings] == warned_tiers
    assert all("statutory factors are used" in w for w in warnings)


# --- tiers inside a quote ----------------------------------------------------


def _one_bank_snapshot(bank: Bank, stock_units: int = 10):
    return snapshot(
        banks=[bank],
        stock=[StockLine("S1", bank.bank_id, NEUTRAL, F(stock_units))],
        prices=prices_for(bank.bank_id, NEUTRAL, 20000),
    )


@pytest.mark.parametrize(
    ("bank", "tier", "stock_used"),
    [
        (Bank("B", "b", "Winchester City Council", "Nowhere"), Tier.LOCAL, F(3)),
        (Bank("B", "b", "Test Valley", "Nowhere"), Tier.ADJACENT, F(4)),
        (Bank("B", "b", "Cornwall", "The Lizard"), Tier.FAR, F(6)),
    ],
    ids=["local", "adjacent", "far"],
)
def test_quote_uses_the_bank_tier_and_its_stock_factor(bank, tier, stock_used):
    q = quote(_one_bank_snapshot(bank), [(NEUTRAL, 3)], site=SITE)
    (line,) = q.lines
    assert line.tier is tier
    assert line.stock_use == (("S1", stock_used),)
    assert not any("No site location" in w for w in q.warnings)


@pytest.mark.parametrize(
    "site",
    [Site(), Site(lpa="  ", nca=""), Site(lat=51.06, lon=-1.31)],
    ids=["empty site", "whitespace names", "coordinates but no LPA/NCA"],
)
def test_no_location_means_every_bank_is_far_and_the_quote_says_so(site):
    bank = Bank("B", "b", "Winchester", "South Downs")
    q = quote(_one_bank_snapshot(bank), [(NEUTRAL, 1)], site=site)
    assert [ln.tier for ln in q.lines] == [Tier.FAR]
    assert any("No site location" in w and "far" in w for w in q.warnings)


def test_no_location_with_neighbours_still_prices_every_bank_far():
    site = Site(lpa="", nca="", lpa_neighbours=("Winchester",), nca_neighbours=("South Downs",))
    bank = Bank("B", "b", "Winchester", "South Downs")
    q = quote(_one_bank_snapshot(bank), [(NEUTRAL, 1)], site=site)
    assert any("No site location" in w for w in q.warnings)
    assert [ln.tier for ln in q.lines] == [Tier.FAR]


@pytest.mark.parametrize(
    ("sheet_far", "warned"),
    [("2", False), ("0.5", False), ("1", True)],
    ids=["sheet holds reciprocal", "sheet holds multiplier", "sheet disagrees"],
)
def test_srm_sheet_never_changes_stock_use_but_disagreement_is_warned(sheet_far, warned):
    base = _one_bank_snapshot(Bank("B", "b", "Cornwall", "The Lizard")).data
    data = ReferenceData(
        base.banks, base.habitats, base.stock, base.prices, srm=(SrmRow(Tier.FAR, F(sheet_far)),)
    )
    q = quote(ReferenceSnapshot(data, VersionInfo(1, "x")), [(NEUTRAL, 2)], site=SITE)
    assert q.lines[0].stock_use == (("S1", F(4)),)
    assert any(w.startswith("SRM sheet: far") for w in q.warnings) is warned


def test_reference_neighbour_index_is_symmetric_and_normalised():
    data = ReferenceData(
        (),
        (),
        (),
        (),
        lpa_neighbours=(("Winchester", "Test Valley"), ("Winchester", "East Hampshire")),
        nca_neighbours=(("South Downs", "Hampshire Downs"),),
    )
    snap = ReferenceSnapshot(data, VersionInfo(1, "x"))
    assert snap.neighbours_of_lpa("Winchester City Council") == ("East Hampshire", "Test Valley")
    assert snap.neighbours_of_lpa("Test Valley Borough Council") == ("Winchester",)
    assert snap.neighbours_of_nca("hampshire downs") == ("South Downs",)
    assert snap.neighbours_of_lpa("Cornwall") == ()
