"""Comparing an import's JSON with the generator's expected JSON.

Figures compare with a tolerance of 1e-9 (the generator computes exactly and
prints floats); lines compare as a set; the report's keys are the issue's
names where they differ from the generator's.
"""

from __future__ import annotations

import math
from typing import Any

TOLERANCE = 1e-9
REPORT_KEYS = {
    "net_gain_units": "net_gain",
    "surplus_left_by_band": "surplus_left",
    "surplus_after_offsetting_by_band": "surplus_after_offsetting",
}


def differences(actual: Any, expected: Any, path: str = "") -> list[str]:
    """Every place ``actual`` differs from ``expected`` (keys of ``expected`` only)."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path}: {actual!r} is not an object"]
        found = []
        for key, value in expected.items():
            ours = REPORT_KEYS.get(key, key)
            if ours not in actual:
                found.append(f"{path}/{key}: missing")
            else:
                found += differences(actual[ours], value, f"{path}/{key}")
        return found
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [f"{path}: {actual!r} != {expected!r}"]
        return [
            d
            for i, pair in enumerate(zip(actual, expected, strict=True))
            for d in differences(*pair, f"{path}[{i}]")
        ]
    if isinstance(expected, float) or isinstance(actual, float):
        ok = isinstance(actual, int | float) and isinstance(expected, int | float)
        if ok and math.isclose(actual, expected, rel_tol=0, abs_tol=TOLERANCE):
            return []
        return [f"{path}: {actual!r} != {expected!r}"]
    return [] if actual == expected else [f"{path}: {actual!r} != {expected!r}"]


def line_key(line: dict) -> tuple:
    return (line["unit_type"], line["kind"], line["habitat_name"])


def line_differences(actual: list[dict], expected: list[dict]) -> list[str]:
    """Lines compared as a set (the order within a unit type is not specified)."""
    return differences(sorted(actual, key=line_key), sorted(expected, key=line_key), "lines")


def labelled_warnings(warnings: list[dict]) -> list[tuple]:
    return [(w["unit_type"], w["label"], w["band"]) for w in warnings if w.get("label")]
