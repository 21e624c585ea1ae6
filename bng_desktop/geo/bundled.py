"""District neighbours from the bundled ONS shared-boundary list: no network needed."""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

from ..core.tiers import normalise_place
from ..io.statutory import load_statutory_facts


def bundled_lpa_neighbours(lpa: str) -> tuple[str, ...] | None:
    """The districts sharing a boundary with ``lpa`` (names compared loosely);
    None when ``lpa`` is not a district the bundled list knows."""
    known, index = _index()
    key = normalise_place(lpa)
    if key not in known:
        return None
    return index.get(key, ())


@lru_cache(maxsize=1)
def _index() -> tuple[frozenset[str], dict[str, tuple[str, ...]]]:
    facts = load_statutory_facts()
    near: dict[str, set[str]] = defaultdict(set)
    for a, b in facts.lpa_neighbours:
        near[normalise_place(a)].add(b)
        near[normalise_place(b)].add(a)
    known = frozenset(normalise_place(name) for name in facts.districts)
    return known, {key: tuple(sorted(names)) for key, names in near.items()}
