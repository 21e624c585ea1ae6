"""Row-by-row validation of the settings sheets: DistinctivenessLevels, SRM,
Policy and the neighbour lists."""

from __future__ import annotations

from fractions import Fraction

from ..core.bands import Band, Tier
from ..core.errors import PolicyError, Problem
from ..core.exact import fraction_text
from ..core.model import DistinctivenessLevel, SrmRow
from ..core.policy import QUOTES_HOLD, SOLVERS, Policy, policy_from_mapping, policy_settings
from .reference_sheets import BAND_EXPECTED, TIER_EXPECTED
from .sheet_table import RowCells, SheetTable


def parse_levels(
    table: SheetTable | None, problems: list[Problem]
) -> tuple[DistinctivenessLevel, ...]:
    """One level per band (the same band under two spellings must agree)."""
    if table is None:
        return ()
    levels: dict[Band, Fraction] = {}
    for row in table.cells(problems):
        band = row.parsed("distinctiveness_name", Band.parse, BAND_EXPECTED)
        value = row.number("level_value")
        if band is None or value is None:
            continue
        if levels.get(band, value) != value:
            row.report(
                "level_value",
                row.raw("level_value"),
                f"the same level as the earlier {band.label} row ({fraction_text(levels[band])})",
            )
            continue
        levels[band] = value
    return tuple(DistinctivenessLevel(b.label, v) for b, v in sorted(levels.items()))


def parse_srm(table: SheetTable | None, problems: list[Problem]) -> tuple[SrmRow, ...]:
    if table is None:
        return ()
    rows, seen = {}, {}
    for row in table.cells(problems):
        tier = row.parsed("tier", Tier.parse, TIER_EXPECTED)
        multiplier = row.number("multiplier", positive=True)
        if tier is None or not row.once("tier", tier.value, tier, seen):
            continue
        if multiplier is not None:
            rows[tier] = SrmRow(tier, multiplier)
    return tuple(rows[t] for t in sorted(rows, key=lambda t: t.rank))


# ---------------------------------------------------------------- Policy


def parse_policy(table: SheetTable | None, problems: list[Problem]) -> tuple[tuple[str, str], ...]:
    """Admin policy settings as canonical (key, text) pairs, sorted by key.

    Each value is checked on its own row (type, choices), then all together
    (thresholds must increase...), since a value may be valid only with another.
    """
    if table is None:
        return ()
    settings: dict[str, tuple[RowCells, object]] = {}
    seen: dict[str, int] = {}
    known = {key for key, _ in policy_settings(Policy())}
    for row in table.cells(problems):
        key = row.text("key", required="a policy setting name").lower()
        raw = row.raw("value")
        if not key or not row.once("key", key, key, seen):
            continue
        if key not in known:
            row.report("key", key, f"a policy setting, one of {', '.join(sorted(known))}")
        elif raw is not None and _valid_policy_value(row, key, raw):
            settings[key] = (row, raw)
    return _policy_pairs(table.title, settings, problems)


def _valid_policy_value(row: RowCells, key: str, raw: object) -> bool:
    try:
        policy_from_mapping({key: raw})
    except PolicyError as exc:
        if str(exc).startswith(_INVALID):
            return True  # a rule between settings: judged with the others
        row.report("value", raw, _policy_expectation(key), hint=exc.hint)
        return False
    return True


_INVALID = "Invalid policy: "


def _policy_expectation(key: str) -> str:
    choices = {"quotes_hold": QUOTES_HOLD, "solver": SOLVERS}
    if key in choices:
        return f"{key}: one of {', '.join(choices[key])}"
    default = getattr(Policy(), key)
    if isinstance(default, bool):
        return f"{key}: true or false"
    if isinstance(default, int):
        return f"{key}: a whole number"
    return f"{key}: a number"


def _policy_pairs(
    title: str, settings: dict[str, tuple[RowCells, object]], problems: list[Problem]
) -> tuple[tuple[str, str], ...]:
    """Check the settings together and canonicalise them.

    When they fail together, blame each row that fails even beside the
    defaults; when none does, the combination is at fault (no single row).
    """
    values = {key: raw for key, (_, raw) in settings.items()}
    try:
        policy = policy_from_mapping(values)
    except PolicyError as exc:
        blamed = False
        for key, (row, raw) in settings.items():
            try:
                policy_from_mapping({key: raw})
            except PolicyError as alone:
                row.report("value", raw, str(alone).removeprefix(_INVALID))
                blamed = True
        if not blamed:
            problems.append(Problem(title, None, "value", None, str(exc).removeprefix(_INVALID)))
        return ()
    canonical = dict(policy_settings(policy))
    return tuple(sorted((key, canonical[key]) for key in settings))


# ---------------------------------------------------------------- neighbours


def parse_pairs(table: SheetTable | None, problems: list[Problem]) -> tuple[tuple[str, str], ...]:
    """Neighbour pairs, each unordered pair once, sorted; a place is not its own neighbour."""
    if table is None:
        return ()
    first, second = table.spec.column_names
    pairs = set()
    for row in table.cells(problems):
        a = row.text(first, required=f"a name in {first}")
        b = row.text(second, required=f"a name in {second}")
        if a and b and a != b:
            pairs.add((a, b) if a <= b else (b, a))
    return tuple(sorted(pairs))
