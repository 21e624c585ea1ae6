"""make_quote: demand + site + policy + reference snapshot → a priced quote.

The one entry point the CLI and the UI call. Pure: no I/O; progress and
cancellation come in as parameters.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from functools import partial

from .bands import ContractSize, Tier
from .bank_screening import screened_solve
from .contract import admin_fee, contract_size
from .demand import ResolvedLine, resolve_demand
from .diagnose import Feasibility, unmet_alone, unmet_together
from .errors import InfeasibleQuote, SolverError, SolverTimedOut, UnmetLine, UnmetReason
from .greedy import greedy_allocation, repaired_allocation
from .milp import installed_solvers
from .minimum_delivery import pad_cheapest_first, padded_positions, shortfall
from .model import Site
from .options import Option, OptionSet, availability, build_options, release_gradually
from .policy import Policy
from .pricing import PriceBook, pricing_size
from .progress import CancelToken, ProgressCallback, no_progress
from .pruning import OptionUniverse
from .reference import ReferenceSnapshot
from .result import AllocationLine, PairedPart, Quote, QuoteRequest, SolverInfo
from .solver import (
    Allocation,
    Heuristic,
    Solution,
    Stages,
    grace_seconds,
    solve_staged,
)
from .tiers import SiteGeography
from .totals import compute_suo, compute_totals
from .trading import needs_bespoke_flag, refusal

UNTRIED_PREFERENCES = "equally cheap answers with fewer or nearer banks"
"""What the search tries after the price, in a consultant's words."""


class SharedInputs:
    """What quotes on one snapshot have in common, worked out once for all of
    them (re-quoting many open quotes on a new version): each site's bank
    tiers, and the stock available under each policy. Not thread-safe: one
    per batch of quotes."""

    def __init__(self, snapshot: ReferenceSnapshot):
        self.snapshot = snapshot
        self._tiers: dict[Site, dict[str, Tier]] = {}
        self._available: dict[Policy, dict[str, Fraction]] = {}

    def tiers(self, site: Site) -> dict[str, Tier]:
        found = self._tiers.get(site)
        if found is None:
            found = self._tiers[site] = _site_tiers(self.snapshot, site)
        return found

    def available(self, policy: Policy) -> dict[str, Fraction]:
        found = self._available.get(policy)
        if found is None:
            found = self._available[policy] = availability(self.snapshot, policy)
        return found


def make_quote(
    snapshot: ReferenceSnapshot,
    request: QuoteRequest,
    *,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    shared: SharedInputs | None = None,
) -> Quote:
    """The cheapest legal allocation of the demand, or InfeasibleQuote naming
    each line that cannot be met and why. ``shared``: inputs common to a
    batch of quotes on ``snapshot``, worked out once."""
    shared = shared if shared is not None and shared.snapshot is snapshot else None
    started = time.perf_counter()
    policy = request.policy
    progress("prepare", 0.0, "Checking the demand")
    lines = resolve_demand(request.demand, snapshot)
    _, _, priced_at = _sizing(lines, snapshot, policy)
    refused = _refusals(lines)
    quotable = tuple(line for line in lines if line.index not in {u.demand_index for u in refused})
    tiers = shared.tiers(request.site) if shared else _site_tiers(snapshot, request.site)
    available = shared.available(policy) if shared else availability(snapshot, policy)
    book = PriceBook(
        snapshot.prices, snapshot.price_rows_at, snapshot.habitats, priced_at, policy.promoter
    )
    found = build_options(
        snapshot, quotable, tiers, book, policy, available, _scaled(progress, 0.0, 0.1), cancel
    )
    pieces = list(found.groups)
    try:
        return _priced(
            found,
            snapshot,
            request,
            (lines, quotable, refused),
            available,
            tiers,
            started,
            progress,
            cancel,
        )
    finally:
        del found
        release_gradually(pieces)


def _priced(
    found: OptionSet,
    snapshot: ReferenceSnapshot,
    request: QuoteRequest,
    demand: tuple[tuple[ResolvedLine, ...], tuple[ResolvedLine, ...], list[UnmetLine]],
    available: Mapping[str, Fraction],
    tiers: Mapping[str, Tier],
    started: float,
    progress: ProgressCallback,
    cancel: CancelToken | None,
) -> Quote:
    """make_quote on the options found: the allocation, priced and explained.
    ``demand``: every line, the quotable ones, and the refusals."""
    lines, quotable, refused = demand
    policy = request.policy
    total, size, priced_at = _sizing(lines, snapshot, policy)
    cap = policy.bank_cap(total)
    units = {line.index: line.units for line in quotable}
    universe = OptionUniverse(
        found.groups,
        units,
        available,
        policy.split_lines,
        left=found.left,
        stock_banks=found.stock_banks,
    )
    unmet = refused + unmet_alone(quotable, found.supply, universe, size)
    if unmet:
        raise InfeasibleQuote(unmet)
    extra = shortfall(total, policy.min_delivery)
    padded = (
        OptionUniverse(
            found.groups,
            units,
            available,
            policy.split_lines,
            extra,
            left=found.left,
            stock_banks=found.stock_banks,
        )
        if extra > 0
        else None
    )
    solution, notes = _solve(
        universe, padded, quotable, snapshot, tiers, cap, policy, progress, cancel
    )
    for worked in (universe, padded):
        if worked is not None:
            worked.release()
    ordered = tuple(sorted(solution.allocations, key=lambda a: (a.option.line, a.option.key)))
    allocation = _allocation_lines(ordered, lines, snapshot)
    suo = compute_suo(request.eligible_surplus, allocation, policy)
    totals = compute_totals(allocation, admin_fee(size, policy), suo)
    progress("done", 1.0, "Quote ready")
    return Quote(
        request=request,
        reference_version=snapshot.info.version_id,
        reference_hash=snapshot.info.content_hash,
        contract_size=size,
        pricing_size=priced_at,
        bank_cap=cap,
        total_demand=total,
        lines=allocation,
        totals=totals,
        solver=SolverInfo(
            name=solution.solver,
            status=solution.status,
            optimal=solution.optimal,
            stages=solution.stages,
            seconds=round(time.perf_counter() - started, 4),
            options=solution.options,
            note="; ".join(notes),
            bound=solution.bound,
            gap=_gap(solution),
        ),
        suo=suo,
        warnings=_warnings(
            request, lines, snapshot, solution, size, priced_at, padded_positions(ordered), notes
        ),
    )


def _sizing(
    lines: tuple[ResolvedLine, ...], snapshot: ReferenceSnapshot, policy: Policy
) -> tuple[Fraction, ContractSize, ContractSize]:
    """The demand's total, its contract size and the size its prices are read at."""
    total = sum((line.units for line in lines), Fraction(0))
    size = contract_size(total, snapshot.sizes_present, policy)
    return total, size, pricing_size(size, snapshot.sizes_present, policy.promoter)


def _gap(solution: Solution) -> Fraction | None:
    """How far the allocation's cost may be above the cheapest possible, as a
    fraction of the proven bound."""
    if solution.bound is None or solution.bound <= 0:
        return None
    return (solution.cost - solution.bound) / solution.bound


def _scaled(progress: ProgressCallback, start: float, end: float) -> ProgressCallback:
    """A stage's own 0..1 mapped onto its share of the whole quote's bar."""
    return lambda stage, fraction, message: progress(
        stage, start + (end - start) * fraction, message
    )


def _refusals(lines: Sequence[ResolvedLine]) -> list[UnmetLine]:
    unmet = []
    for line in lines:
        refused = refusal(line.deficit)
        if refused is not None:
            unmet.append(
                UnmetLine(
                    line.index,
                    line.name,
                    UnmetReason(refused.code),
                    refused.reason,
                    refused.action,
                )
            )
    return unmet


def _site_tiers(snapshot: ReferenceSnapshot, site: Site) -> dict[str, Tier]:
    geography = SiteGeography(site)
    return {bank_id: geography.tier_of(bank) for bank_id, bank in snapshot.banks.items()}


def _tie_order(tiers: Mapping[str, Tier], snapshot: ReferenceSnapshot) -> Callable[[Option], tuple]:
    """Closer tier first, then the bank with more total stock, then stable ids."""

    def key(option: Option) -> tuple:
        stock = snapshot.bank_total_stock.get(option.bank_id, Fraction(0))
        return (tiers[option.bank_id].rank, -stock, option.bank_id, option.key)

    return key


def _solver_order(policy: Policy) -> list[str]:
    installed = list(installed_solvers())
    if policy.solver in ("highs", "cbc"):
        return [policy.solver] + [s for s in installed if s != policy.solver]
    if policy.solver == "greedy":
        return []
    return installed


def _solve(
    universe: OptionUniverse,
    padded: OptionUniverse | None,
    lines: tuple[ResolvedLine, ...],
    snapshot: ReferenceSnapshot,
    tiers: Mapping[str, Tier],
    cap: int,
    policy: Policy,
    progress: ProgressCallback,
    cancel: CancelToken | None,
) -> tuple[Solution, list[str]]:
    """The staged MILP on the first solver that runs; the next solver only
    when one fails (a time-out keeps the best legal allocation found, or is
    an error of its own: another solver would start from scratch). The
    greedy heuristic only when no MILP solver is installed (or the policy
    asks for it), and as the legal allocation a time-out can fall back on. A
    demand short of the minimum delivery is solved ``padded`` first, as it
    stands only when that has no allocation."""
    notes: list[str] = []
    limit = float(policy.time_limit_seconds)
    solvers = _solver_order(policy)
    failures: list[str] = []
    tie_score = _tie_order(tiers, snapshot)

    def tolerance(cost: Fraction) -> Fraction:
        return min(policy.tolerance_abs, policy.tolerance_rel * cost)

    for solver in solvers:

        def staged(
            candidate: OptionUniverse,
            seconds: float,
            *,
            stock_rows: frozenset[str] = frozenset(),
            start: tuple[Allocation, ...] = (),
            stages: Stages = Stages.ALL,
            cheapest: Solution | None = None,
        ) -> Solution | None:
            return solve_staged(
                candidate,
                solver,  # noqa: B023 - used before the loop moves on
                bank_cap=cap,
                time_limit=seconds,
                tolerance=tolerance,
                tie_score=tie_score,
                progress=progress,
                cancel=cancel,
                heuristic=_heuristic(candidate, seconds, cancel),
                stock_rows=stock_rows,
                start=start,
                stages=stages,
                cheapest=cheapest,
            )

        feasible = Feasibility(universe, solver, limit, cancel)
        try:
            solution = None
            for candidate in (padded, universe):
                if solution is None and candidate is not None:
                    exists = partial(feasible.of_every_line, cap) if candidate is universe else None
                    solution = screened_solve(
                        candidate, cap, limit, tolerance, staged, exists=exists
                    )
        except SolverTimedOut:
            raise
        except SolverError as exc:
            failures.append(f"{solver}: {exc}")
            notes.append(f"{solver} failed ({exc}); tried the next solver")
            continue
        if solution is None:
            progress("diagnose", 0.98, "Working out which lines cannot be met")
            raise InfeasibleQuote(unmet_together(lines, feasible, cap))
        return solution, notes
    if failures:
        raise SolverError("No solver finished: " + "; ".join(failures))
    extra = Fraction(0) if padded is None else padded.extra
    return _greedy(universe, lines, cap, policy, extra, notes, cancel), notes


def _heuristic(universe: OptionUniverse, limit: float, cancel: CancelToken | None) -> Heuristic:
    """The relaxation's answer repaired, or else the greedy allocation, under
    a bank cap with the universe's extra placed; None when neither is found
    with room for all the extra, or within the grace time the time limit
    leaves (the heuristic runs once the limit has ended)."""

    def legal(cap: int | None, hint: tuple[Allocation, ...]) -> tuple[Allocation, ...] | None:
        banks = len(universe.available) if cap is None else cap
        deadline = time.perf_counter() + grace_seconds(limit)
        try:
            if hint:
                repaired = repaired_allocation(universe, hint, banks, cancel, deadline)
                if repaired is not None and (padded := _padded(repaired, universe)) is not None:
                    return padded
            found = greedy_allocation(universe, banks, cancel, deadline)
        except SolverTimedOut:
            return None
        return None if found is None else _padded(found, universe)

    return legal


def _padded(
    allocations: tuple[Allocation, ...], universe: OptionUniverse
) -> tuple[Allocation, ...] | None:
    if universe.extra <= 0:
        return allocations
    padded = pad_cheapest_first(allocations, universe.extra, universe.available)
    return padded if padded is not allocations else None


def _greedy(
    universe: OptionUniverse,
    lines: tuple[ResolvedLine, ...],
    cap: int,
    policy: Policy,
    extra: Fraction,
    notes: list[str],
    cancel: CancelToken | None,
) -> Solution:
    started = time.perf_counter()
    deadline = started + float(policy.time_limit_seconds)
    found = greedy_allocation(universe, cap, cancel, deadline)
    if found is None:
        chosen = policy.solver == "greedy"
        reason = "the greedy heuristic found no allocation" + (
            "" if chosen else " (no MILP solver is installed)"
        )
        action = (
            "choose the MILP solver (auto) in the options" if chosen else ("install HiGHS or CBC")
        )
        raise InfeasibleQuote(
            [
                UnmetLine(ln.index, ln.name, UnmetReason.HEURISTIC_FAILED, reason, action)
                for ln in lines
            ]
        )
    found = pad_cheapest_first(found, extra, universe.available)
    cost = sum((a.option.unit_price * a.units for a in found), Fraction(0))
    if policy.solver != "greedy":
        notes.append("no MILP solver is available; a greedy heuristic was used")
    return Solution(
        found,
        "greedy",
        "heuristic",
        False,
        ("greedy",),
        time.perf_counter() - started,
        cost,
        len(found),
    )


def _allocation_lines(
    ordered: tuple[Allocation, ...], lines: tuple[ResolvedLine, ...], snapshot: ReferenceSnapshot
) -> tuple[AllocationLine, ...]:
    by_index = {line.index: line for line in lines}
    return tuple(
        _allocation_line(a, by_index[a.option.line], snapshot, n) for n, a in enumerate(ordered)
    )


def _allocation_line(
    allocation: Allocation, line: ResolvedLine, snapshot: ReferenceSnapshot, position: int
) -> AllocationLine:
    option, units = allocation.option, allocation.units
    parts = option.parts
    paired = (
        tuple(
            PairedPart(
                p.stock_id,
                p.habitat_name,
                p.share,
                p.price.value,
                p.price.source,
                p.price.habitat,
                p.stock_per_unit * units,
            )
            for p in parts
        )
        if option.paired
        else ()
    )
    supply_bands = [snapshot.habitats[p.habitat_name].band for p in parts]
    return AllocationLine(
        demand_index=line.index,
        demand_habitat=line.name,
        unit_type=line.deficit.unit_type,
        bank_id=option.bank_id,
        bank_name=snapshot.banks[option.bank_id].name,
        supply_habitat=" + ".join(p.habitat_name for p in parts),
        tier=option.tier,
        units_supplied=units,
        unit_price=option.unit_price,
        cost=option.unit_price * units,
        price_source=option.price_source,
        price_habitat=" + ".join(p.price.habitat for p in parts),
        stock_use=tuple(sorted((s, c * units) for s, c in option.stock_use.items())),
        paired_parts=paired,
        kind="optimiser",
        demand_band=line.band_label,
        supply_band=max(supply_bands).label,
        line_id=f"opt-{position + 1}",
    )


def _short_of_minimum(request: QuoteRequest) -> bool:
    total = sum((d.units for d in request.demand), Fraction(0))
    return total < request.policy.min_delivery


def _line_list(positions: tuple[int, ...]) -> str:
    """'allocation line 2 delivers' or 'allocation lines 1 and 3 deliver'."""
    numbers = [str(n + 1) for n in positions]
    if len(numbers) == 1:
        return f"allocation line {numbers[0]} delivers"
    return f"allocation lines {', '.join(numbers[:-1])} and {numbers[-1]} deliver"


def _warnings(
    request: QuoteRequest,
    lines: tuple[ResolvedLine, ...],
    snapshot: ReferenceSnapshot,
    solution: Solution,
    size: ContractSize,
    priced_at: ContractSize,
    padded: tuple[int, ...],
    notes: list[str],
) -> tuple[str, ...]:
    out: list[str] = []
    if not request.site.has_location:
        out.append("No site location was given: every bank is priced as far.")
    for line in lines:
        if needs_bespoke_flag(line.deficit):
            out.append(
                f"Line {line.index + 1} ({line.name}) is a V.High area habitat: "
                "bespoke compensation is likely."
            )
    if priced_at is not size and request.policy.promoter is not None:
        out.append(
            f"Priced at the {priced_at.value} contract size for {request.policy.promoter.name} "
            f"(tier up); the contract size and admin fee stay {size.value}."
        )
    # A search the time limit left unproven is said once, by the solver's
    # outcome (plain_terms.not_proven_text), never again among the warnings.
    if solution.status == "time_limit" and solution.shortened:
        out.append(
            f"The time limit also left {UNTRIED_PREFERENCES} untried; keeping looking "
            "tries them too."
        )
    elif solution.shortened:
        out.append(
            "The time limit cut the search short after the cheapest allocation was "
            f"found: {UNTRIED_PREFERENCES} were not tried. Raise the time limit "
            "to try them."
        )
    if solution.solver == "greedy":
        out.append(
            "No MILP solver was used: a greedy heuristic made this allocation, which is "
            "not proven cheapest."
        )
    if not padded and _short_of_minimum(request):
        out.append(
            f"The demand totals less than the minimum delivery of "
            f"{float(request.policy.min_delivery):g} units and no legal allocation has room "
            "for the extra: the quote delivers the demand as it stands."
        )
    if padded:
        out.append(
            f"The demand totals less than the minimum delivery of "
            f"{float(request.policy.min_delivery):g} units: {_line_list(padded)} the extra."
        )
    out.extend(notes)
    out.extend(snapshot.srm_warnings)
    return tuple(out)
