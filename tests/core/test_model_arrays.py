"""HiGHS is fed the allocation model as arrays, CBC as a PuLP problem: both
must be the same model, row for row, and the HiGHS model kept across the
solves of a quote must answer each solve as a model built afresh would."""

from __future__ import annotations

import math
from dataclasses import replace
from fractions import Fraction

import pytest

from bng_desktop.core import solver as solver_module
from bng_desktop.core.highs_model import HighsModel
from bng_desktop.core.milp import (
    CbcModel,
    ModelSpec,
    Objective,
    PulpModel,
    cost_objective,
    installed_solvers,
)
from bng_desktop.core.model_arrays import model_arrays
from bng_desktop.core.policy import Policy
from bng_desktop.core.quote import make_quote
from bng_desktop.core.result import QuoteRequest
from tests.shared_data import (
    generate_reference,
    needs_shared,
    read_demand_csv,
    read_site_json,
    snapshot_from_workbook,
)

pytestmark = [
    needs_shared,
    pytest.mark.skipif(set(installed_solvers()) != {"highs", "cbc"}, reason="needs HiGHS and CBC"),
]


class Recorder:
    """Stands in for a relaxation's model, keeping every spec it is asked to solve."""

    def __init__(self, solved: list[tuple[ModelSpec, Objective]]):
        self.model = HighsModel()
        self.solved = solved

    def solve(self, spec, objective, time_limit, cancel=None):
        self.solved.append((spec, objective))
        return self.model.solve(spec, objective, time_limit, cancel)

    def suggest(self, start):
        self.model.suggest(start)


def recorded_solves(tmp_path, monkeypatch, split: bool) -> list[tuple[ModelSpec, Objective]]:
    """Every solve of a generated 30-bank quote, in the order the quote asks for them."""
    workbook, demand_csv, site_json = generate_reference(tmp_path, 30, 1, 8)
    snapshot = snapshot_from_workbook(workbook)
    solved: list[tuple[ModelSpec, Objective]] = []
    monkeypatch.setattr(solver_module, "solver_model", lambda name: Recorder(solved))
    policy = Policy(solver="highs", split_lines=split)
    make_quote(
        snapshot, QuoteRequest(read_site_json(site_json), read_demand_csv(demand_csv), policy)
    )
    return solved


def variations(spec: ModelSpec) -> list[ModelSpec]:
    """The spec as it stands and with every kind of row it may carry."""
    stock = sorted({s for o in spec.options for s in o.stock_use})[:3]
    keys = frozenset(o.key for o in spec.options[:2])
    return [
        spec,
        replace(spec, constrained=None),
        replace(spec, constrained=frozenset(stock), tightened={stock[0]: 0.25}),
        replace(spec, bank_cap=2, cost_bound=Fraction(123_456, 7), exclusions=(keys, keys)),
        replace(spec, extra=Fraction(1, 100)),
        replace(spec, extra=Fraction(3, 1000), constrained=None, bank_cap=None),
    ]


def pulp_rows(model: PulpModel) -> list[tuple[float, float, tuple]]:
    """PuLP's rows through its public API: bounds and (variable, coefficient) terms."""
    out = []
    for constraint in model.prob.constraints.values():
        rhs = -constraint.constant
        lower = -math.inf if constraint.sense == -1 else rhs
        upper = math.inf if constraint.sense == 1 else rhs
        terms = tuple(sorted((v.name, c) for v, c in constraint.items() if c != 0))
        out.append((lower, upper, terms))
    return sorted(out)


def column_names(spec: ModelSpec) -> list[str]:
    """The arrays' columns, named as PuLP names its variables."""
    position = {o.key: i for i, o in enumerate(spec.options)}
    banks = sorted({o.bank_id for o in spec.options})
    option = "x" if spec.split_lines else "z"
    names = []
    for what, key in model_arrays(spec).col_keys:
        if what == "y":
            names.append(f"y{banks.index(key)}")
        else:
            names.append(f"{option if what == 'v' else 'e'}{position[key]}")
    return names


def array_rows(spec: ModelSpec) -> list[tuple[float, float, tuple]]:
    arrays = model_arrays(spec)
    names = column_names(spec)
    terms: list[list[tuple[str, float]]] = [[] for _ in arrays.row_keys]
    for r, c, v in zip(arrays.entry_row, arrays.entry_col, arrays.entry_value, strict=True):
        terms[int(r)].append((names[int(c)], float(v)))
    return sorted(
        (float(lo), float(up), tuple(sorted(t)))
        for lo, up, t in zip(arrays.row_lower, arrays.row_upper, terms, strict=True)
    )


def pulp_columns(model: PulpModel) -> dict[str, tuple[float, float, bool]]:
    return {
        v.name: (v.lowBound or 0.0, 1.0 if v.cat == "Integer" else v.upBound, v.cat == "Integer")
        for v in model.prob.variables()
    }


def array_columns(spec: ModelSpec) -> dict[str, tuple[float, float, bool]]:
    arrays = model_arrays(spec)
    return {
        name: (float(arrays.col_lower[k]), float(arrays.col_upper[k]), bool(arrays.integer[k]))
        for k, name in enumerate(column_names(spec))
    }


def pulp_objective(model: PulpModel, objective: Objective) -> dict[str, float]:
    return {v.name: c for v, c in model.objective(objective).items() if c != 0}


def array_objective(spec: ModelSpec, objective: Objective) -> dict[str, float]:
    vector = model_arrays(spec).objective_vector(objective)
    return {name: float(c) for name, c in zip(column_names(spec), vector, strict=True) if c != 0}


@pytest.mark.parametrize("split", [False, True], ids=["one option per line", "split lines"])
def test_pulp_and_the_arrays_state_the_same_model(tmp_path, monkeypatch, split):
    """Rows, columns and objectives (the quote's own and total cost), for every
    solve of a quote and that solve with every other kind of row added."""
    solved = recorded_solves(tmp_path, monkeypatch, split)
    assert len(solved) >= 2
    for spec, objective in solved:
        for variant in variations(spec):
            model = PulpModel(variant)
            assert pulp_rows(model) == array_rows(variant)
            assert pulp_columns(model) == array_columns(variant)
            stated = [cost_objective(variant)]
            if variant.extra == spec.extra:
                stated.append(objective)
            for each in stated:
                assert pulp_objective(model, each) == array_objective(variant, each)


def kept_rows(model: HighsModel, spec: ModelSpec) -> list[tuple[float, float, tuple]]:
    """The kept model's rows that bind, on the columns that are not fixed at zero,
    its columns named as PuLP names its variables."""
    lp = model.highs.getLp()
    named = dict(zip(model_arrays(spec).col_keys, column_names(spec), strict=True))
    name = {k: named.get(key) for key, k in model._cols.items()}
    live = {k for k in name if lp.col_upper_[k] > 0}
    terms: dict[int, list[tuple[str, float]]] = {r: [] for r in range(lp.num_row_)}
    matrix = lp.a_matrix_
    assert "colwise" in str(matrix.format_).lower()
    for c in range(lp.num_col_):
        for p in range(matrix.start_[c], matrix.start_[c + 1]):
            if c in live:
                terms[matrix.index_[p]].append((name[c], matrix.value_[p]))
    return sorted(
        (lp.row_lower_[r], lp.row_upper_[r], tuple(sorted(t)))
        for r, t in terms.items()
        if lp.row_lower_[r] > -math.inf or lp.row_upper_[r] < math.inf
    )


@pytest.mark.parametrize("split", [False, True], ids=["one option per line", "split lines"])
def test_the_kept_highs_model_answers_as_a_fresh_one_and_as_cbc(tmp_path, monkeypatch, split):
    """The quote's solves again, in order, on one kept model, with the extra
    rows of each kind between them, then backwards: the kept model's binding
    rows are the spec's, and each answer's objective is a fresh model's, and
    CBC's."""
    solved = recorded_solves(tmp_path, monkeypatch, split)
    kept = HighsModel()
    for spec, objective in solved + solved[::-1]:
        for variant in variations(spec)[:4]:
            again = kept.solve(variant, objective, 30.0)
            assert kept_rows(kept, variant) == array_rows(variant)
            fresh = HighsModel().solve(variant, objective, 30.0)
            cbc = CbcModel().solve(variant, objective, 30.0)
            assert again.status == fresh.status == cbc.status
            if fresh.objective is not None:
                assert again.objective == pytest.approx(fresh.objective, rel=1e-9, abs=1e-6)
                assert cbc.objective == pytest.approx(fresh.objective, rel=1e-9, abs=1e-6)
                assert again.bound is not None and again.bound <= again.objective + 1e-6
