"""Demand resolution, policy validation and round trips, and the request key."""

from __future__ import annotations

import dataclasses
import json
from fractions import Fraction

import pytest

from bng_desktop import __version__
from bng_desktop.core.bands import Band, UnitType
from bng_desktop.core.canonical import canonical_request, request_key
from bng_desktop.core.demand import resolve_demand
from bng_desktop.core.errors import DemandError, PolicyError
from bng_desktop.core.model import DemandLine, Site
from bng_desktop.core.policy import (
    Policy,
    Promoter,
    policy_from_mapping,
    policy_from_stored,
    policy_settings,
    policy_to_mapping,
)
from bng_desktop.core.result import QuoteRequest
from bng_desktop.core.rulebook import fingerprint
from tests.core.engine_builders import (
    CULVERT,
    MODIFIED,
    NATIVE_HEDGE,
    NEUTRAL,
    SITE,
    demand,
    snapshot,
)

F = Fraction
SNAP = snapshot()


# --- demand resolution -------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "name", "unit_type", "net_gain"),
    [
        ("Net Gain (area)", "Net Gain (area)", UnitType.AREA, True),
        ("Net Gain (Low-equivalent)", "Net Gain (area)", UnitType.AREA, True),
        ("net gain (low-equivalent)", "Net Gain (area)", UnitType.AREA, True),
        ("Net Gain (hedgerow)", "Net Gain (hedgerow)", UnitType.HEDGEROW, True),
        ("Net Gain (Hedgerows)", "Net Gain (hedgerow)", UnitType.HEDGEROW, True),
        ("  NET GAIN   (Hedgerows) ", "Net Gain (hedgerow)", UnitType.HEDGEROW, True),
        ("Net Gain (watercourse)", "Net Gain (watercourse)", UnitType.WATERCOURSE, True),
        ("Net Gain (Watercourses)", "Net Gain (watercourse)", UnitType.WATERCOURSE, True),
        (MODIFIED, MODIFIED, UnitType.AREA, False),
        ("grassland - modified grassland", MODIFIED, UnitType.AREA, False),
        ("  Grassland  -   Modified   GRASSLAND ", MODIFIED, UnitType.AREA, False),
        ("native HEDGEROW", NATIVE_HEDGE, UnitType.HEDGEROW, False),
        ("culvert", CULVERT, UnitType.WATERCOURSE, False),
    ],
    ids=[
        "NG area",
        "NG Low-equivalent alias",
        "NG alias lower case",
        "NG hedgerow",
        "NG Hedgerows alias",
        "NG alias spaces and case",
        "NG watercourse",
        "NG Watercourses alias",
        "exact habitat",
        "habitat lower case",
        "habitat spaces and case",
        "hedgerow case",
        "watercourse case",
    ],
)
def test_demand_names_resolve(typed, name, unit_type, net_gain):
    (line,) = resolve_demand(demand((typed, "1.5")), SNAP)
    assert (line.name, line.deficit.unit_type, line.deficit.is_net_gain) == (
        name,
        unit_type,
        net_gain,
    )
    assert line.units == F(3, 2) and line.index == 0


def test_resolved_lines_keep_their_order_and_band():
    lines = resolve_demand(demand((NEUTRAL, 1), ("Net Gain (area)", 2), (CULVERT, 3)), SNAP)
    assert [(ln.index, ln.band_label) for ln in lines] == [(0, "Medium"), (1, ""), (2, "Low")]


@pytest.mark.parametrize(
    ("text", "band"),
    [
        ("Very High", Band.V_HIGH),
        ("V.High", Band.V_HIGH),
        ("v high", Band.V_HIGH),
        ("VERY HIGH", Band.V_HIGH),
        ("High", Band.HIGH),
        ("medium", Band.MEDIUM),
        ("Low", Band.LOW),
        ("Very Low", Band.V_LOW),
        ("V.Low", Band.V_LOW),
        ("v.low", Band.V_LOW),
    ],
    ids=lambda v: str(v),
)
def test_band_spellings(text, band):
    assert Band.parse(text) is band
    assert band.label in ("V.Low", "Low", "Medium", "High", "V.High")


@pytest.mark.parametrize(
    ("band", "label"),
    [(Band.V_HIGH, "V.High"), (Band.V_LOW, "V.Low"), (Band.MEDIUM, "Medium")],
    ids=["V.High", "V.Low", "Medium"],
)
def test_band_stored_in_the_metric_spelling(band, label):
    assert band.label == label
    assert Band.parse(label) is band


@pytest.mark.parametrize("text", ["Extreme", "", "Hi"], ids=["word", "blank", "partial"])
def test_unknown_band_is_an_error(text):
    with pytest.raises(ValueError, match="distinctiveness band"):
        Band.parse(text)


def test_unknown_habitat_names_the_row_and_suggests_a_match():
    with pytest.raises(DemandError) as caught:
        resolve_demand(demand((MODIFIED, 1), ("Grassland - Modified grasland", 2)), SNAP)
    (problem,) = caught.value.problems
    assert (problem.row, problem.column, problem.value) == (
        2,
        "habitat_name",
        "Grassland - Modified grasland",
    )
    assert "did you mean" in problem.expected and repr(MODIFIED) in problem.expected
    assert "row 2" in str(caught.value)


def test_unknown_habitat_without_a_close_match_has_no_suggestion():
    with pytest.raises(DemandError) as caught:
        resolve_demand(demand(("Zzzz", 1)), SNAP)
    (problem,) = caught.value.problems
    assert "did you mean" not in problem.expected
    assert "catalogue" in problem.expected


@pytest.mark.parametrize("units", ["0", "-1", "-0.001"], ids=["zero", "negative", "tiny negative"])
def test_units_must_be_above_zero(units):
    with pytest.raises(DemandError) as caught:
        resolve_demand(demand((MODIFIED, units)), SNAP)
    (problem,) = caught.value.problems
    assert (problem.row, problem.column) == (1, "units_required")


def test_all_problems_are_listed_together():
    lines = demand(
        (MODIFIED, 1),
        ("Nonsense habitat", 1),
        (NEUTRAL, 0),
        ("Net Gain (area)", -2),
        ("Also nonsense", -1),
    )
    with pytest.raises(DemandError) as caught:
        resolve_demand(lines, SNAP)
    assert [(p.row, p.column) for p in caught.value.problems] == [
        (2, "habitat_name"),
        (3, "units_required"),
        (4, "units_required"),
        (5, "units_required"),
        (5, "habitat_name"),
    ]
    assert "5 demand line problem(s)" in str(caught.value)


def test_empty_demand_is_an_error():
    with pytest.raises(DemandError, match="no demand lines"):
        resolve_demand((), SNAP)


# --- policy validation -------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"quotes_hold": "hold_25"}, "quotes_hold"),
        ({"solver": "gurobi"}, "solver"),
        ({"fractional_below": F(3)}, "thresholds must increase"),
        ({"small_below": F(20)}, "thresholds must increase"),
        ({"medium_below": F(1)}, "thresholds must increase"),
        ({"fractional_below": F(0)}, "thresholds must increase"),
        ({"bank_cap_small": 0}, "bank caps"),
        ({"paired_main_share_far": F(1)}, "paired_main_share_far"),
        ({"paired_main_share_adjacent": F(0)}, "paired_main_share_adjacent"),
        ({"suo_cap": F(3, 2)}, "suo_cap"),
        ({"suo_usable_share": F(-1)}, "suo_usable_share"),
        ({"time_limit_seconds": F(0)}, "time_limit_seconds"),
        ({"min_delivery": F(-1)}, "cannot be negative"),
    ],
    ids=[
        "bad quotes_hold",
        "bad solver",
        "fractional above small",
        "small above medium",
        "medium below small",
        "zero fractional",
        "bank cap 0",
        "far share 1",
        "adjacent share 0",
        "SUO cap above 1",
        "negative SUO share",
        "zero time limit",
        "negative minimum",
    ],
)
def test_invalid_policy(changes, message):
    with pytest.raises(PolicyError, match=message):
        Policy(**changes)


def test_every_policy_problem_is_listed_together():
    with pytest.raises(PolicyError) as caught:
        Policy(quotes_hold="x", solver="y", bank_cap_large=0)
    text = str(caught.value)
    assert "quotes_hold" in text and "solver" in text and "bank caps" in text


@pytest.mark.parametrize(
    ("discount_type", "value", "ok"),
    [
        ("percentage", F(100), False),
        ("percentage", F(150), False),
        ("percentage", F(-1), False),
        ("percentage", F("99.99"), True),
        ("percentage", F(0), True),
        ("tier_up", F(0), True),
        ("none", F(0), True),
        ("cashback", F(0), False),
    ],
    ids=["100%", "150%", "negative", "99.99%", "0%", "tier_up", "none", "unknown type"],
)
def test_promoter_validation(discount_type, value, ok):
    if ok:
        assert Promoter("P", discount_type, value).discount_type == discount_type
    else:
        with pytest.raises(PolicyError):
            Promoter("P", discount_type, value)


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        (
            {"promoter": {"name": "P", "discount_type": "percentage", "discount_value": "100"}},
            "100",
        ),
        ({"promoter": {"discount_type": "percentage"}}, "promoter"),
        ({"no_such_setting": "1"}, "unknown policy setting"),
        ({"bank_cap_small": "two"}, "whole number"),
        ({"bank_cap_small": "2.5"}, "whole number"),
        ({"split_lines": "maybe"}, "true or false"),
        ({"fractional_below": "abc"}, "must be a number"),
        ({"quotes_hold": "hold_75"}, "quotes_hold"),
        ({"small_below": "0.05"}, "thresholds must increase"),
    ],
    ids=[
        "percentage 100",
        "promoter without name",
        "unknown key",
        "int from words",
        "int from fraction",
        "bool from words",
        "number from words",
        "bad choice",
        "bad order",
    ],
)
def test_policy_from_mapping_errors(mapping, message):
    with pytest.raises(PolicyError, match=message):
        policy_from_mapping(mapping)


@pytest.mark.parametrize(
    ("mapping", "field", "value"),
    [
        ({"split_lines": "yes"}, "split_lines", True),
        ({"split_lines": "FALSE"}, "split_lines", False),
        ({"split_lines": True}, "split_lines", True),
        ({"bank_cap_small": "3"}, "bank_cap_small", 3),
        ({"bank_cap_small": 3.0}, "bank_cap_small", 3),
        ({"fractional_below": "0.05"}, "fractional_below", F(1, 20)),
        ({"fractional_below": 0.05}, "fractional_below", F(1, 20)),
        ({"paired_main_share_adjacent": "0.75"}, "paired_main_share_adjacent", F(3, 4)),
        ({"quotes_hold": " hold_50 "}, "quotes_hold", "hold_50"),
        ({"admin_fee_other": ""}, "admin_fee_other", F(500)),
        ({"admin_fee_other": None}, "admin_fee_other", F(500)),
    ],
    ids=[
        "bool yes",
        "bool FALSE",
        "bool",
        "int text",
        "int float",
        "fraction text",
        "fraction float",
        "fraction p/q",
        "text trimmed",
        "blank keeps default",
        "None keeps default",
    ],
)
def test_policy_from_mapping_coerces(mapping, field, value):
    assert getattr(policy_from_mapping(mapping), field) == value


def test_policy_from_mapping_starts_from_the_base():
    base = Policy(bank_cap_small=3, promoter=Promoter("P", "tier_up"))
    policy = policy_from_mapping({"split_lines": "true"}, base=base)
    assert (policy.bank_cap_small, policy.split_lines, policy.promoter) == (3, True, base.promoter)
    assert base.with_overrides({"promoter": None}).promoter is None


ROUND_TRIP = [
    ("defaults", Policy()),
    (
        "every field changed",
        Policy(
            split_lines=True,
            quotes_hold="hold_50",
            bank_cap_small=3,
            bank_cap_large=7,
            bank_cap_threshold=F(8),
            fractional_below=F(1, 5),
            small_below=F(3),
            medium_below=F(20),
            admin_fee_fractional=F(275),
            admin_fee_other=F("525.5"),
            paired_main_share_adjacent=F(2, 3),
            paired_main_share_far=F(3, 5),
            min_delivery=F(1, 1000),
            tolerance_abs=F(5),
            tolerance_rel=F(1, 3000),
            time_limit_seconds=F(45),
            suo_usable_share=F(2, 5),
            suo_cap=F(1, 2),
            solver="cbc",
            promoter=Promoter("Introducer Ltd", "percentage", F("12.5")),
        ),
    ),
    ("tier_up promoter", Policy(promoter=Promoter("P", "tier_up"))),
    (
        "thirds",
        Policy(paired_main_share_far=F(1, 3), promoter=Promoter("Q", "percentage", F(1, 3))),
    ),
]


@pytest.mark.parametrize("policy", [r[1] for r in ROUND_TRIP], ids=[r[0] for r in ROUND_TRIP])
def test_policy_mapping_round_trip(policy):
    mapping = policy_to_mapping(policy)
    assert policy_from_stored(mapping) == policy
    assert policy_from_stored(json.loads(json.dumps(mapping))) == policy


@pytest.mark.parametrize(
    ("raw", "hint"),
    [
        ("2/3", "as a decimal"),
        ("0,75", "use a point for decimals: 0.75"),
        ("1e999999999", "exponent out of range"),
        ("nan", "not a finite number"),
        ("9" * 10_000, "too long"),
        ("\ufeff0.5", "invisible character"),
        ("-1", "must be at least 0"),
    ],
)
def test_policy_numbers_given_by_people_are_read_by_the_number_reader(raw, hint):
    with pytest.raises(PolicyError) as refused:
        policy_from_mapping({"tolerance_abs": raw})
    assert hint in refused.value.hint
    assert str(refused.value).startswith("policy 'tolerance_abs' must be a number ≥ 0; found ")
    assert len(str(refused.value)) < 200


def test_policy_settings_are_text_without_the_promoter():
    settings = dict(policy_settings(Policy(split_lines=True, promoter=Promoter("P", "tier_up"))))
    assert settings["split_lines"] == "true"
    assert settings["fractional_below"] == "0.1"
    assert "promoter" not in settings
    assert all(isinstance(v, str) for v in settings.values())
    assert policy_from_stored(settings) == Policy(split_lines=True)


# --- canonical request key ---------------------------------------------------

REQUEST = QuoteRequest(
    Site("Winchester", "South Downs", ("Test Valley", "East Hampshire"), ("Hampshire Downs",)),
    (DemandLine(NEUTRAL, F(1)), DemandLine("Net Gain (area)", F("0.25"))),
    Policy(),
)
HASH = "a" * 64


def _key(request: QuoteRequest = REQUEST, reference_hash: str = HASH) -> str:
    return request_key(request, reference_hash)


def test_same_request_same_key():
    copy = QuoteRequest(
        Site("Winchester", "South Downs", ("Test Valley", "East Hampshire"), ("Hampshire Downs",)),
        (DemandLine(NEUTRAL, F(2, 2)), DemandLine("Net Gain (area)", F(1, 4))),
        Policy(),
    )
    assert _key(copy) == _key()
    assert len(_key()) == 64


def test_neighbour_order_is_irrelevant():
    site = dataclasses.replace(REQUEST.site, lpa_neighbours=("East Hampshire", "Test Valley"))
    assert _key(dataclasses.replace(REQUEST, site=site)) == _key()


def _replace_site(**changes):
    return dataclasses.replace(REQUEST, site=dataclasses.replace(REQUEST.site, **changes))


CHANGES = [
    ("site LPA", _replace_site(lpa="Test Valley")),
    ("site NCA", _replace_site(nca="Hampshire Downs")),
    ("LPA neighbour added", _replace_site(lpa_neighbours=("Test Valley", "East Hampshire", "X"))),
    ("NCA neighbour removed", _replace_site(nca_neighbours=())),
    (
        "units",
        dataclasses.replace(REQUEST, demand=(DemandLine(NEUTRAL, F("1.01")), REQUEST.demand[1])),
    ),
    (
        "habitat",
        dataclasses.replace(REQUEST, demand=(DemandLine(MODIFIED, F(1)), REQUEST.demand[1])),
    ),
    ("line dropped", dataclasses.replace(REQUEST, demand=REQUEST.demand[:1])),
    ("line order", dataclasses.replace(REQUEST, demand=REQUEST.demand[::-1])),
    ("policy setting", dataclasses.replace(REQUEST, policy=Policy(quotes_hold="hold_100"))),
    ("policy split", dataclasses.replace(REQUEST, policy=Policy(split_lines=True))),
    (
        "promoter",
        dataclasses.replace(REQUEST, policy=Policy(promoter=Promoter("P", "percentage", F(5)))),
    ),
    ("surplus", dataclasses.replace(REQUEST, eligible_surplus=F(2))),
]


@pytest.mark.parametrize("changed", [c[1] for c in CHANGES], ids=[c[0] for c in CHANGES])
def test_any_change_changes_the_key(changed):
    assert _key(changed) != _key()


def test_promoters_differing_only_in_value_have_different_keys():
    a = dataclasses.replace(REQUEST, policy=Policy(promoter=Promoter("P", "percentage", F(5))))
    b = dataclasses.replace(REQUEST, policy=Policy(promoter=Promoter("P", "percentage", F(6))))
    assert _key(a) != _key(b)


def test_reference_hash_application_version_and_rules_change_the_key():
    assert _key(reference_hash="b" * 64) != _key()
    assert request_key(REQUEST, HASH, app_version=__version__) == _key()
    assert request_key(REQUEST, HASH, app_version=__version__ + ".1") != _key()
    assert request_key(REQUEST, HASH, rules=fingerprint()) == _key()
    assert request_key(REQUEST, HASH, rules="0" * 64) != _key()


def test_canonical_request_is_plain_json():
    payload = canonical_request(REQUEST)
    assert json.loads(json.dumps(payload)) == payload
    assert payload["demand"] == [[NEUTRAL, "1"], ["Net Gain (area)", "0.25"]]
    assert payload["site"]["lpa_neighbours"] == ["East Hampshire", "Test Valley"]


def test_key_is_stable_for_the_site_in_use():
    # Two equal requests built independently share a key (no object identity).
    a = QuoteRequest(SITE, demand((NEUTRAL, "0.5")), Policy())
    b = QuoteRequest(dataclasses.replace(SITE), demand((NEUTRAL, "1/2")), Policy())
    assert request_key(a, HASH) == request_key(b, HASH)
