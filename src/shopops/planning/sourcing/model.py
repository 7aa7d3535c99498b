"""The award MILP of one sub-problem, built from arrays and read back into line quantities.

Columns, per option ``i`` (requirement r, offer o, tier t): a binary ``y_i`` (the line is
placed) and, when its range has more than one value, an integer count of order multiples
``n_i`` in ``[lo_i y_i, hi_i y_i]``; the line's units are ``m_i n_i`` (or ``m_i lo_i y_i``).
Per requirement a shortfall ``u_r``. Minimise::

    sum_i (c_i units_i + f_i y_i) + sum_r s_r u_r
      + W_cap sum_{c,k} v_ck + sum_{d,k} w_d e_dk

subject to

- coverage: ``sum_{i in r} units_i + u_r >= Q_r``;
- one tier per pair: ``sum_{t} y_rot <= 1``;
- weekly capacity: ``sum_{i in (o, week)} units_i <= capacity_o`` (where it can bind);
- share cap per capped category ``c`` and supplier ``k``, spend ``p_i units_i``:
  ``S_c = sum_{i in c} p_i units_i``, ``sum_{i in c,k} p_i units_i <= cap S_c + v_ck``;
- dual sourcing per A-class SKU ``d``: ``T_d = sum_{i in d} units_i``; for each supplier
  ``units_dk + e_dk >= share T_d - M (1 - z_dk)`` with ``M = share x max T_d``, and
  ``sum_k z_dk >= 2``.

Two families of valid rows tighten the relaxation without changing the MILP (the coupling
rows are in :mod:`.coupling`): ``units_dk <= (1 - share) T_d + sum_j e_dj`` (one of the two
counted suppliers is not ``k``), and, when the sub-problem knows them, each requirement's
own cost is at least its least cost alone (the exact programme of :mod:`.exact`). A line
that alone covers its requirement counts ``Q_r`` in the coverage row, not its larger size.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from shopops.planning.solvers import FloatArray, LinearProblem
from shopops.planning.sourcing.arrays import IntArray, SubProblem
from shopops.planning.sourcing.builder import ModelBuilder
from shopops.planning.sourcing.coupling import dual_rows, floor_rows, pair_max_units, share_rows


@dataclass(frozen=True)
class ColumnMap:
    """Where a sub-problem's decisions sit among the columns of its LinearProblem."""

    placed_column: IntArray
    count_column: IntArray
    lo_multiples: FloatArray
    shortfall_column: IntArray
    num_columns: int

    @property
    def ranged(self) -> NDArray[np.bool_]:
        """Options with a count column (more than one possible quantity)."""
        return self.count_column >= 0

    def option_counts(self, values: FloatArray) -> FloatArray:
        """Order multiples of each option in a solution (0 when the line is not placed)."""
        placed = np.round(values[self.placed_column]) > 0.5
        counts = np.where(self.ranged, np.round(values[np.maximum(self.count_column, 0)]), 0.0)
        return np.where(placed, np.where(self.ranged, counts, self.lo_multiples), 0.0)

    def start(self, counts: FloatArray, shortfall_units: FloatArray) -> FloatArray:
        """Column values of the award ``counts``; ``nan`` (for HiGHS to complete) elsewhere."""
        values = np.full(self.num_columns, np.nan)
        values[self.placed_column] = counts > 0
        values[self.count_column[self.ranged]] = counts[self.ranged]
        values[self.shortfall_column] = shortfall_units
        return values


def build_problem(sub: SubProblem) -> tuple[LinearProblem, ColumnMap]:
    """The MILP of ``sub`` (see module notes) and the map to read its solution."""
    builder = ModelBuilder()
    ranged = sub.lo_multiples < sub.hi_multiples
    placed_cost = sub.fixed_cost_usd + np.where(
        ranged, 0.0, sub.cost_usd_per_unit * sub.multiple_units * sub.lo_multiples
    )
    placed = builder.columns(placed_cost, 0.0, 1.0, True)
    count_cost = (sub.cost_usd_per_unit * sub.multiple_units)[ranged]
    counts = builder.columns(count_cost, 0.0, sub.hi_multiples[ranged], True)
    units_column = placed.copy()
    units_column[ranged] = counts
    per_value = np.where(ranged, sub.multiple_units, sub.multiple_units * sub.lo_multiples)
    shortfall = builder.columns(sub.shortfall_cost_usd_per_unit, 0.0, sub.quantity_units, False)
    _coverage_rows(builder, sub, (units_column, per_value), placed, shortfall)
    _range_rows(builder, sub, ranged, placed, counts)
    _one_tier_rows(builder, sub.pair, placed)
    units = (units_column, per_value)
    _capacity_rows(builder, sub, units, ranged)
    share_rows(builder, sub, units)
    dual_rows(builder, sub, units, ranged)
    floor_rows(builder, sub, (placed, counts, ranged), (placed_cost, count_cost), shortfall)
    count_column = np.full(sub.num_options, -1, np.int64)
    count_column[ranged] = counts
    problem = builder.problem()
    columns = ColumnMap(placed, count_column, sub.lo_multiples, shortfall, problem.num_columns)
    return problem, columns


def _coverage_rows(
    builder: ModelBuilder,
    sub: SubProblem,
    units: tuple[IntArray, FloatArray],
    placed_column: IntArray,
    shortfall: IntArray,
) -> None:
    """``sum units + u_r >= Q_r``; a single-quantity line counts at most ``Q_r`` (it covers
    the requirement alone), which tightens the relaxation without changing the MILP."""
    units_column, per_value = units
    requirements = np.arange(sub.num_requirements)
    need = sub.quantity_units[sub.option_requirement]
    single = units_column == placed_column
    counted = np.where(single, np.minimum(per_value, need), per_value)
    builder.rows(
        np.concatenate([sub.option_requirement, requirements]),
        np.concatenate([units_column, shortfall]),
        np.concatenate([counted, np.ones(sub.num_requirements)]),
        sub.quantity_units,
        np.inf,
    )


def _range_rows(
    builder: ModelBuilder,
    sub: SubProblem,
    ranged: NDArray[np.bool_],
    placed: IntArray,
    counts: IntArray,
) -> None:
    """``n_i >= lo_i y_i`` and ``n_i <= hi_i y_i`` for the options with a range."""
    size = len(counts)
    local = np.arange(size)
    ones = np.ones(size)
    builder.rows(
        np.concatenate([local, local]),
        np.concatenate([counts, placed[ranged]]),
        np.concatenate([ones, -sub.lo_multiples[ranged]]),
        np.zeros(size),
        np.inf,
    )
    builder.rows(
        np.concatenate([local, local]),
        np.concatenate([counts, placed[ranged]]),
        np.concatenate([ones, -sub.hi_multiples[ranged]]),
        -np.inf,
        np.zeros(size),
    )


def _one_tier_rows(builder: ModelBuilder, pair: IntArray, placed: IntArray) -> None:
    _, local, sizes = np.unique(pair, return_inverse=True, return_counts=True)
    several = sizes[local] > 1
    if not several.any():
        return
    kept, row = np.unique(local[several], return_inverse=True)
    builder.rows(row, placed[several], np.ones(len(row)), -np.inf, np.ones(len(kept)))


def _capacity_rows(
    builder: ModelBuilder,
    sub: SubProblem,
    units: tuple[IntArray, FloatArray],
    ranged: NDArray[np.bool_],
) -> None:
    """Weekly capacity rows, only for the offer-weeks whose options could exceed it."""
    member = sub.capacity_group >= 0
    if not member.any():
        return
    codes, local = np.unique(sub.capacity_group[member], return_inverse=True)
    most = np.bincount(local, weights=pair_max_units(sub, units[1], ranged, member))
    capacity = np.zeros(len(codes))
    capacity[local] = sub.capacity_units[member]
    binding = most > capacity + 1e-9
    if not binding.any():
        return
    row_of_group = np.cumsum(binding) - 1
    keep = binding[local]
    builder.rows(
        row_of_group[local[keep]],
        units[0][member][keep],
        units[1][member][keep],
        -np.inf,
        capacity[binding],
    )
