"""Policy: the admin-set rules of a quote (RULES.md marks them *policy*).

Defaults live here; an admin's settings travel with the reference data (the
workbook's optional Policy sheet) and a consultant may override some of them
per quote. Every quote stores the policy it was made under.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from .errors import PolicyError
from .exact import fraction_text, to_fraction
from .number_input import NOT_NEGATIVE, POSITIVE, NumberInputError, NumberRule, read_number

QUOTES_HOLD = ("ignore", "hold_100", "hold_50")
DISCOUNT_TYPES = ("none", "tier_up", "percentage")
SOLVERS = ("auto", "highs", "cbc", "greedy")
KEEP_LOOKING_FACTOR = 4
"""How many times longer a "keep looking" run may take than the run before."""


DEFAULT_TIME_LIMIT_SECONDS = 300
"""Sized so a national reference (1,000 banks, 100 demand lines) finishes
proven on a 2-core laptop (≈ 160 s CPU, ≈ 170 s wall, benchmarks/bench_scale.py);
a quote of usual size is proven in well under a second, so it never waits for
this. The admin can set another in the Policy sheet (the bundled sample says 20 s)."""


@dataclass(frozen=True)
class Promoter:
    """An introducer and the discount agreed with them."""

    name: str
    discount_type: str = "none"
    discount_value: Fraction = Fraction(0)

    def __post_init__(self) -> None:
        if self.discount_type not in DISCOUNT_TYPES:
            raise PolicyError(
                f"promoter discount type {self.discount_type!r} is not one of "
                f"{', '.join(DISCOUNT_TYPES)}"
            )
        if self.discount_type == "percentage" and not 0 <= self.discount_value < 100:
            raise PolicyError(
                f"promoter percentage discount must be at least 0 and below 100, "
                f"got {float(self.discount_value)}"
            )

    def discount_words(self) -> str:
        """The discount in a few words, as lists show it."""
        if self.discount_type == "percentage":
            return f"{float(self.discount_value):g}% off every price"
        if self.discount_type == "tier_up":
            return "priced at the next larger contract size"
        return "no discount"


@dataclass(frozen=True)
class Policy:
    split_lines: bool = False
    quotes_hold: str = "ignore"
    bank_cap_small: int = 2
    bank_cap_large: int = 5
    bank_cap_threshold: Fraction = Fraction(5)
    fractional_below: Fraction = Fraction(1, 10)
    small_below: Fraction = Fraction(5, 2)
    medium_below: Fraction = Fraction(15)
    admin_fee_fractional: Fraction = Fraction(300)
    admin_fee_other: Fraction = Fraction(500)
    paired_main_share_adjacent: Fraction = Fraction(3, 4)
    paired_main_share_far: Fraction = Fraction(1, 2)
    min_delivery: Fraction = Fraction(1, 100)
    tolerance_abs: Fraction = Fraction(10)
    tolerance_rel: Fraction = Fraction(1, 10000)
    time_limit_seconds: Fraction = Fraction(DEFAULT_TIME_LIMIT_SECONDS)
    suo_usable_share: Fraction = Fraction(1, 2)
    suo_cap: Fraction = Fraction(3, 5)
    solver: str = "auto"
    promoter: Promoter | None = field(default=None)

    def __post_init__(self) -> None:
        problems = []
        if self.quotes_hold not in QUOTES_HOLD:
            problems.append(f"quotes_hold must be one of {', '.join(QUOTES_HOLD)}")
        if self.solver not in SOLVERS:
            problems.append(f"solver must be one of {', '.join(SOLVERS)}")
        if self.bank_cap_small < 1 or self.bank_cap_large < 1:
            problems.append("bank caps must be at least 1")
        if not 0 < self.fractional_below < self.small_below < self.medium_below:
            problems.append("contract size thresholds must increase: fractional < small < medium")
        for name in ("paired_main_share_adjacent", "paired_main_share_far"):
            if not 0 < getattr(self, name) < 1:
                problems.append(f"{name} must be between 0 and 1")
        for name in ("suo_usable_share", "suo_cap"):
            if not 0 <= getattr(self, name) <= 1:
                problems.append(f"{name} must be between 0 and 1")
        if self.time_limit_seconds <= 0:
            problems.append("time_limit_seconds must be positive")
        if self.min_delivery < 0 or self.tolerance_abs < 0 or self.tolerance_rel < 0:
            problems.append("min_delivery and tolerances cannot be negative")
        if problems:
            raise PolicyError("Invalid policy: " + "; ".join(problems))

    def bank_cap(self, total_units: Fraction) -> int:
        """At most 2 banks, or 5 when the total demand is above 5 units."""
        return self.bank_cap_large if total_units > self.bank_cap_threshold else self.bank_cap_small

    def with_overrides(self, overrides: dict[str, Any]) -> Policy:
        return policy_from_mapping(overrides, base=self)

    def longer_time_limit(self) -> Policy:
        """This policy with KEEP_LOOKING_FACTOR times the time limit: the
        consultant's "keep looking" when a quote is not proven cheapest."""
        return dataclasses.replace(
            self, time_limit_seconds=self.time_limit_seconds * KEEP_LOOKING_FACTOR
        )


_FIELDS = {f.name: f for f in dataclasses.fields(Policy) if f.name != "promoter"}
_WHOLE_COUNT = NumberRule(minimum=1, whole=True, exponent_allowed=False)
_SHARE = NumberRule(minimum=0, maximum=1)
_RULES = {
    "bank_cap_small": _WHOLE_COUNT,
    "bank_cap_large": _WHOLE_COUNT,
    "paired_main_share_adjacent": _SHARE,
    "paired_main_share_far": _SHARE,
    "suo_usable_share": _SHARE,
    "suo_cap": _SHARE,
    "time_limit_seconds": POSITIVE,
    "fractional_below": POSITIVE,
}
"""What each number setting must be on its own (rules between settings: Policy)."""


def _coerce(name: str, raw: Any, current: Any, read: NumberReader) -> Any:
    if isinstance(current, bool):
        return _flag(name, raw)
    if isinstance(current, int | Fraction):
        rule = _RULES.get(name, NOT_NEGATIVE)
        try:
            value = read(raw, rule)
        except NumberInputError as refused:
            raise PolicyError(
                f"policy {name!r} must be {rule.expected}; found {refused}", hint=refused.problem
            ) from None
        except (TypeError, ValueError):
            raise PolicyError(f"policy {name!r} must be {rule.expected}; found {raw!r}") from None
        return int(value) if isinstance(current, int) else value
    return str(raw).strip()


def _flag(name: str, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in ("true", "yes", "1"):
        return True
    if text in ("false", "no", "0"):
        return False
    raise PolicyError(
        f"policy {name!r} must be true or false, got {raw!r}", hint="type true or false"
    )


NumberReader = Callable[[Any, NumberRule], Fraction]


def _stored_number(raw: Any, rule: NumberRule) -> Fraction:
    """A number as the store wrote it (fraction_text), already checked when it came in."""
    return to_fraction(raw)


def policy_from_mapping(
    values: dict[str, Any], base: Policy | None = None, *, read: NumberReader = read_number
) -> Policy:
    """Build a policy from text/JSON values, starting from ``base`` (defaults).

    Numbers are read by the product's number reader: a file or a person gave
    them. ``policy_from_stored`` reads what the product itself wrote.
    """
    base = base or Policy()
    changes: dict[str, Any] = {}
    for name, raw in values.items():
        if name == "promoter":
            changes["promoter"] = _promoter_from(raw, read)
            continue
        if name not in _FIELDS:
            raise PolicyError(
                f"unknown policy setting {name!r}; known settings: {', '.join(sorted(_FIELDS))}"
            )
        if raw is None or raw == "":
            continue
        changes[name] = _coerce(name, raw, getattr(base, name), read)
    return dataclasses.replace(base, **changes)


def policy_from_stored(values: dict[str, Any], base: Policy | None = None) -> Policy:
    """A policy as the store or the reference data hold it (``policy_to_mapping``)."""
    return policy_from_mapping(values, base, read=_stored_number)


def _promoter_from(raw: Any, read: NumberReader) -> Promoter | None:
    if raw in (None, "", {}):
        return None
    if isinstance(raw, Promoter):
        return raw
    if not isinstance(raw, dict) or "name" not in raw:
        raise PolicyError("promoter must be an object with name, discount_type, discount_value")
    try:
        value = read(raw.get("discount_value", 0) or 0, NOT_NEGATIVE)
    except NumberInputError as refused:
        raise PolicyError(
            f"promoter discount_value: found {refused}", hint=refused.problem
        ) from None
    except (TypeError, ValueError):
        raise PolicyError(f"promoter discount_value must be a number, got {raw!r}") from None
    return Promoter(str(raw["name"]), str(raw.get("discount_type", "none")), value)


def policy_to_mapping(policy: Policy) -> dict[str, Any]:
    """JSON-ready, lossless: numbers as text where they are fractions."""
    out: dict[str, Any] = {}
    for name in _FIELDS:
        value = getattr(policy, name)
        out[name] = fraction_text(value) if isinstance(value, Fraction) else value
    if policy.promoter:
        out["promoter"] = {
            "name": policy.promoter.name,
            "discount_type": policy.promoter.discount_type,
            "discount_value": fraction_text(policy.promoter.discount_value),
        }
    return out


def policy_settings(policy: Policy) -> tuple[tuple[str, str], ...]:
    """The admin-level settings as (key, text) pairs, for the reference store."""
    return tuple(
        (k, str(v).lower() if isinstance(v, bool) else str(v))
        for k, v in policy_to_mapping(policy).items()
        if k != "promoter"
    )
