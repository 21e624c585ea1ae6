"""The allocation MILP of a ModelSpec as arrays, for solvers fed directly.

The same model ``milp.PulpModel`` states in PuLP for CBC (same rows, same
columns, same coefficients; ``tests/core/test_model_arrays.py`` holds them
side by side), built as coordinate entries and handed over as compressed rows.
Every column and row has a key that names what it stands for, so a model kept
across solves (``highs_model.HighsModel``) can tell which of them it already has.

Columns: ("v", option key) the option (chosen, or its units when split);
("y", bank) the bank used; ("e", option key) the option's share of the extra.
Rows: ("line", line), ("use", line, bank), ("bank_cap",), ("e", option key),
("minimum_delivery",), ("stock", stock line), ("cost_bound",),
("exclude", option keys).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from .milp import ModelSpec, Objective, option_scale, worst_draw

ColumnKey = tuple
RowKey = tuple


@dataclass(frozen=True)
class ModelArrays:
    col_keys: list[ColumnKey]
    col_lower: np.ndarray
    col_upper: np.ndarray
    integer: np.ndarray
    """True for binary columns."""
    row_keys: list[RowKey]
    row_lower: np.ndarray
    row_upper: np.ndarray
    entry_row: np.ndarray
    entry_col: np.ndarray
    entry_value: np.ndarray
    """The constraint matrix as coordinate entries, in row order."""
    options: int
    """Columns 0..options-1 are the options, in the spec's order."""
    extras: np.ndarray
    """Column of each option's extra (empty when the spec has no extra)."""

    def objective_vector(self, objective: Objective) -> np.ndarray:
        cost = np.zeros(len(self.col_keys), dtype=np.float64)
        cost[: self.options] = objective.options
        if len(self.extras):
            cost[self.extras] = objective.extras
        return cost


class _Rows:
    def __init__(self) -> None:
        self.keys: list[RowKey] = []
        self.lower: list[np.ndarray] = []
        self.upper: list[np.ndarray] = []
        self.rows: list[np.ndarray] = []
        self.cols: list[np.ndarray] = []
        self.values: list[np.ndarray] = []

    def add_many(
        self,
        keys: list[RowKey],
        lower: np.ndarray | list[float],
        upper: np.ndarray | list[float],
        rows: np.ndarray,
        cols: np.ndarray,
        values: np.ndarray,
    ) -> None:
        """Rows ``keys``; ``rows`` numbers each entry's row from 0 within them."""
        first = len(self.keys)
        self.keys.extend(keys)
        self.lower.append(np.asarray(lower, dtype=np.float64))
        self.upper.append(np.asarray(upper, dtype=np.float64))
        self.rows.append(np.asarray(rows, dtype=np.int64) + first)
        self.cols.append(np.asarray(cols, dtype=np.int64))
        self.values.append(np.asarray(values, dtype=np.float64))

    def add(
        self, key: RowKey, cols: list[int], values: list[float], lower: float, upper: float
    ) -> None:
        rows = np.zeros(len(cols))
        self.add_many([key], [lower], [upper], rows, np.array(cols), np.array(values))


def model_arrays(spec: ModelSpec) -> ModelArrays:
    """The model of ``spec`` as arrays, row for row what PuLP states for CBC."""
    options = spec.options
    n = len(options)
    units = {line: float(u) for line, u in spec.units.items()}
    banks = sorted({o.bank_id for o in options})
    bank_of = {b: k for k, b in enumerate(banks)}
    extra = float(spec.extra)
    y0 = n
    e0 = n + len(banks)
    extras = np.arange(e0, e0 + n) if extra else np.zeros(0, dtype=np.int64)
    line = np.array([o.line for o in options], dtype=np.int64)
    bank = np.array([bank_of[o.bank_id] for o in options], dtype=np.int64)
    scale = option_scale(spec)
    rows = _Rows()
    _demand_rows(rows, spec, line, units)
    _bank_rows(rows, spec, line, bank, banks, units, y0)
    if extra:
        _extra_rows(rows, spec, bank, extras, y0, extra)
    _stock_rows(rows, spec, scale, extras, units)
    if spec.cost_bound is not None:
        cols = np.arange(n)
        values = np.array([o.price for o in options]) * scale
        if extra:
            cols = np.concatenate((cols, extras))
            values = np.concatenate((values, [o.price for o in options]))
        rows.add(("cost_bound",), list(cols), list(values), -math.inf, float(spec.cost_bound))
    _exclusion_rows(rows, spec)
    col_keys: list[ColumnKey] = [("v", o.key) for o in options]
    col_keys += [("y", b) for b in banks]
    upper = [units[o.line] for o in options] if spec.split_lines else [1.0] * n
    upper += [1.0] * len(banks)
    integer = [not spec.split_lines] * n + [True] * len(banks)
    if extra:
        col_keys += [("e", o.key) for o in options]
        upper += [extra] * n
        integer += [False] * n
    return ModelArrays(
        col_keys=col_keys,
        col_lower=np.zeros(len(col_keys), dtype=np.float64),
        col_upper=np.array(upper, dtype=np.float64),
        integer=np.array(integer, dtype=bool),
        row_keys=rows.keys,
        row_lower=_joined(rows.lower, np.float64),
        row_upper=_joined(rows.upper, np.float64),
        entry_row=_joined(rows.rows, np.int64),
        entry_col=_joined(rows.cols, np.int64),
        entry_value=_joined(rows.values, np.float64),
        options=n,
        extras=extras,
    )


def _joined(parts: list[np.ndarray], dtype: type) -> np.ndarray:
    return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype=dtype)


def _demand_rows(rows: _Rows, spec: ModelSpec, line: np.ndarray, units: dict[int, float]) -> None:
    """Each line met in full (one option chosen, or its units)."""
    lines, inverse = np.unique(line, return_inverse=True)
    rhs = [units[int(x)] for x in lines] if spec.split_lines else [1.0] * len(lines)
    keys: list[RowKey] = [("line", x) for x in lines.tolist()]
    n = len(line)
    rows.add_many(keys, rhs, rhs, inverse, np.arange(n), np.ones(n))


def _bank_rows(
    rows: _Rows,
    spec: ModelSpec,
    line: np.ndarray,
    bank: np.ndarray,
    banks: list[str],
    units: dict[int, float],
    y0: int,
) -> None:
    """An option only at a used bank, per (line, bank); at most ``bank_cap`` banks."""
    n = len(line)
    codes, inverse = np.unique(line * len(banks) + bank, return_inverse=True)
    pair_lines, pair_banks = np.divmod(codes, len(banks))
    k = len(codes)
    at = pair_lines.tolist()
    big = np.array([units[x] for x in at]) if spec.split_lines else np.ones(k)
    keys: list[RowKey] = [
        ("use", x, banks[b]) for x, b in zip(at, pair_banks.tolist(), strict=True)
    ]
    rows.add_many(
        keys,
        np.full(k, -math.inf),
        np.zeros(k),
        np.concatenate((inverse, np.arange(k))),
        np.concatenate((np.arange(n), y0 + pair_banks)),
        np.concatenate((np.ones(n), -big)),
    )
    if spec.bank_cap is not None:
        b = len(banks)
        cols = list(range(y0, y0 + b))
        rows.add(("bank_cap",), cols, [1.0] * b, -math.inf, float(spec.bank_cap))


def _extra_rows(
    rows: _Rows, spec: ModelSpec, bank: np.ndarray, extras: np.ndarray, y0: int, extra: float
) -> None:
    """The extra, all of it, only on chosen options (at used banks when split)."""
    n = len(bank)
    gate = y0 + bank if spec.split_lines else np.arange(n)
    keys: list[RowKey] = [("e", o.key) for o in spec.options]
    rows.add_many(
        keys,
        np.full(n, -math.inf),
        np.zeros(n),
        np.concatenate((np.arange(n), np.arange(n))),
        np.concatenate((extras, gate)),
        np.concatenate((np.ones(n), np.full(n, -extra))),
    )
    rows.add(("minimum_delivery",), list(extras), [1.0] * n, extra, extra)


def _stock_rows(
    rows: _Rows,
    spec: ModelSpec,
    scale: np.ndarray,
    extras: np.ndarray,
    units: dict[int, float],
) -> None:
    """Only stock lines that the options could overdraw need a row (and,
    when the spec names the ``constrained`` ones, only those: the entries of
    the others are not gathered)."""
    wanted = spec.constrained
    if wanted is not None and not wanted:
        return
    cols: dict[str, list[int]] = defaultdict(list)
    coefs: dict[str, list[float]] = defaultdict(list)
    for i, o in enumerate(spec.options):
        for stock_id, coef in o.stock_use.items():
            if wanted is None or stock_id in wanted:
                cols[stock_id].append(i)
                coefs[stock_id].append(float(coef))
    for stock_id in sorted(cols):
        available = float(spec.available[stock_id]) - spec.tightened.get(stock_id, 0)
        idx = cols[stock_id]
        values = np.array(coefs[stock_id]) * scale[idx]
        if (
            wanted is None
            and not len(extras)
            and worst_draw(spec, zip(idx, values, strict=True)) <= available
        ):
            continue
        cols_all = list(idx)
        values_all = list(values)
        if len(extras):
            cols_all += [int(extras[i]) for i in idx]
            values_all += coefs[stock_id]
        rows.add(("stock", stock_id), cols_all, values_all, -math.inf, available)


def _exclusion_rows(rows: _Rows, spec: ModelSpec) -> None:
    """No-good cuts: at most all but one of each forbidden combination."""
    position = {o.key: i for i, o in enumerate(spec.options)}
    for keys in dict.fromkeys(spec.exclusions):
        if all(k in position for k in keys):
            cols = sorted(position[k] for k in keys)
            key: RowKey = ("exclude", keys)
            rows.add(key, cols, [1.0] * len(cols), -math.inf, float(len(keys) - 1))
