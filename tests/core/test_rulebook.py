"""The rule tables' fingerprint: it follows every table the quoting rules read."""

from __future__ import annotations

from fractions import Fraction

import pytest

from bng_desktop.core import rounding, rulebook, tiers, trading
from bng_desktop.core.bands import Tier, UnitType
from bng_desktop.core.policy import Policy


def test_the_fingerprint_is_stable_while_the_rules_are():
    assert rulebook.fingerprint() == rulebook.fingerprint()
    assert len(rulebook.fingerprint()) == 64


def test_the_tables_hold_what_rules_md_states():
    tables = rulebook.rule_tables()
    assert tables["spatial_risk_multiplier"] == {"local": "1", "adjacent": "3/4", "far": "1/2"}
    assert tables["stock_per_unit"] == {"local": "1", "adjacent": "4/3", "far": "2"}
    assert tables["display_price_step"] == 50
    assert tables["policy_defaults"]["min_delivery"] == "0.01"
    medium_area = [row[2:] for row in tables["trading"] if row[0] == "area" and row[1] == "Medium"]
    assert ["Low", "same trading group", False] in medium_area
    assert ["Medium", "same trading group", True] in medium_area
    assert ["Medium", "other group", False] in medium_area
    assert ["High", "other group", True] in medium_area


def _refuse_all(demand, supply):
    return False


CHANGES = [
    (
        "spatial risk multiplier",
        "setitem",
        (tiers.SPATIAL_RISK_MULTIPLIER, Tier.FAR, Fraction(1, 3)),
    ),
    ("stock per unit", "setitem", (tiers.STOCK_PER_UNIT, Tier.ADJACENT, Fraction(3, 2))),
    ("trading rule", "setitem", (trading._DEFAULT_RULES, UnitType.HEDGEROW, _refuse_all)),
    ("price rounding step", "setattr", (rounding, "PRICE_STEP", 100)),
    ("units rounding step", "setattr", (rounding, "UNITS_STEP", Fraction(1, 100))),
]


@pytest.mark.parametrize("how, args", [c[1:] for c in CHANGES], ids=[c[0] for c in CHANGES])
def test_any_rule_table_change_changes_the_fingerprint(monkeypatch, how, args):
    before = rulebook.fingerprint()
    getattr(monkeypatch, how)(*args)
    assert rulebook.fingerprint() != before


def test_a_changed_policy_default_changes_the_fingerprint(monkeypatch):
    before = rulebook.fingerprint()
    monkeypatch.setattr(rulebook, "Policy", lambda: Policy(min_delivery=Fraction(1, 50)))
    assert rulebook.fingerprint() != before
