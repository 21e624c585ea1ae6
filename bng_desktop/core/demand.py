"""Demand lines resolved against the catalogue, with precise complaints."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from fractions import Fraction

from .errors import DemandError, Problem
from .exact import Number
from .model import NET_GAIN_NAMES, DemandLine, net_gain_unit_type
from .number_input import POSITIVE, NumberInputError, read_number
from .reference import ReferenceSnapshot
from .trading import Deficit, refusal


@dataclass(frozen=True)
class ResolvedLine:
    """A demand line the engine can trade: its catalogue habitat (or Net Gain)."""

    index: int
    name: str
    units: Fraction
    deficit: Deficit

    @property
    def band_label(self) -> str:
        return self.deficit.habitat.band.label if self.deficit.habitat else ""


def resolve_demand(
    demand: tuple[DemandLine, ...], snapshot: ReferenceSnapshot, source: str = "demand"
) -> tuple[ResolvedLine, ...]:
    """Every line must name a catalogue habitat or a Net Gain line and ask for
    more than 0 units; all problems are reported together."""
    problems: list[Problem] = []
    resolved: list[ResolvedLine] = []
    if not demand:
        raise DemandError("There are no demand lines to quote; add at least one line.")
    for index, line in enumerate(demand):
        row = index + 1
        units = _units(line, source, row, problems)
        line = DemandLine(line.habitat_name, units)
        unit_type = net_gain_unit_type(line.habitat_name)
        if unit_type is not None:
            resolved.append(
                ResolvedLine(index, NET_GAIN_NAMES[unit_type], line.units, Deficit(unit_type))
            )
            continue
        habitat = snapshot.habitat(line.habitat_name)
        if habitat is None:
            problems.append(
                Problem(
                    source, row, "habitat_name", line.habitat_name, _unknown_hint(line, snapshot)
                )
            )
            continue
        resolved.append(
            ResolvedLine(index, habitat.name, line.units, Deficit(habitat.unit_type, habitat))
        )
    if problems:
        raise DemandError(f"{len(problems)} demand line problem(s); nothing was quoted", problems)
    return tuple(resolved)


def _units(line: DemandLine, source: str, row: int, problems: list[Problem]) -> Fraction:
    """The line's units, exact; a problem (and 0) when they are not above 0.

    The record declares a Fraction, but callers outside the type checker (the
    UI, scripts) may still hand in a float or text: a float counts as the
    decimal the user typed, text is read by the product's number reader.
    """
    try:
        return read_number(line.units, POSITIVE)
    except NumberInputError as refused:
        value = line.units
        shown = float(value) if isinstance(value, Fraction | int) else value
        problems.append(
            Problem(source, row, "units_required", shown, "units above 0", hint=refused.problem)
        )
        return Fraction(0)


def _unknown_hint(line: DemandLine, snapshot: ReferenceSnapshot) -> str:
    close = difflib.get_close_matches(line.habitat_name, list(snapshot.habitats), n=2, cutoff=0.6)
    hint = "a habitat in the catalogue or a Net Gain line"
    if close:
        hint += " (did you mean " + " or ".join(repr(c) for c in close) + "?)"
    return hint


def line_problem(
    habitat_name: str, units: Number | None, snapshot: ReferenceSnapshot
) -> str | None:
    """What is wrong with one demand line as typed, in words, or None.

    The same checks the engine makes, for marking a line while it is edited:
    unknown habitat, units not above 0, and the refusals (V.Low area,
    irreplaceable).
    """
    name = (habitat_name or "").strip()
    if not name:
        return "choose a habitat"
    unit_type = net_gain_unit_type(name)
    habitat = None if unit_type else snapshot.habitat(name)
    if unit_type is None and habitat is None:
        return "unknown habitat"
    try:
        value = Fraction(0) if units is None or units == "" else read_number(units)
    except NumberInputError as unreadable:
        return f"units {unreadable}"
    if value <= 0:
        return "units must be above 0"
    if habitat is not None:
        refused = refusal(Deficit(habitat.unit_type, habitat))
        if refused is not None:
            return refused.reason
    return None
