"""Contract size, admin fee: decided by the total demand, exactly summed."""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

from .bands import ContractSize
from .policy import Policy


def _upper_bounds(policy: Policy) -> dict[ContractSize, Fraction | None]:
    return {
        ContractSize.FRACTIONAL: policy.fractional_below,
        ContractSize.SMALL: policy.small_below,
        ContractSize.MEDIUM: policy.medium_below,
        ContractSize.LARGE: None,
    }


def ideal_size(total: Fraction, policy: Policy) -> ContractSize:
    for size, below in _upper_bounds(policy).items():
        if below is None or total < below:
            return size
    raise AssertionError("unreachable: large has no upper bound")


def contract_size(total: Fraction, present: Iterable[ContractSize], policy: Policy) -> ContractSize:
    """The size the total calls for, among sizes present in Pricing.

    When that size has no rows: the smallest present size whose threshold the
    total is below, else the largest present size.
    """
    present_sorted = sorted(set(present), key=lambda s: s.rank)
    if not present_sorted:
        return ideal_size(total, policy)
    wanted = ideal_size(total, policy)
    if wanted in present_sorted:
        return wanted
    bounds = _upper_bounds(policy)
    for size in present_sorted:
        below = bounds[size]
        if below is None or total < below:
            return size
    return present_sorted[-1]


def admin_fee(size: ContractSize, policy: Policy) -> Fraction:
    """The planning discharge pack: never discounted."""
    if size is ContractSize.FRACTIONAL:
        return policy.admin_fee_fractional
    return policy.admin_fee_other
