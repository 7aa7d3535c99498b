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
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from shopops.planning.solvers import FloatArray, LinearProblem, SparseRows
from shopops.planning.sourcing.arrays import IntArray, SubProblem

Bound = FloatArray | NDArray[np.floating] | float


@dataclass
class _Builder:
    cost: list[FloatArray] = field(default_factory=list)
    lower: list[FloatArray] = field(default_factory=list)
    upper: list[FloatArray] = field(default_factory=list)
    integer: list[NDArray[np.bool_]] = field(default_factory=list)
    entries: list[tuple[IntArray, IntArray, FloatArray]] = field(default_factory=list)
    row_lower: list[FloatArray] = field(default_factory=list)
    row_upper: list[FloatArray] = field(default_factory=list)
    num_columns: int = 0
    num_rows: int = 0

    def columns(self, cost: FloatArray, lower: Bound, upper: Bound, integer: bool) -> IntArray:
        size = len(cost)
        self.cost.append(np.asarray(cost, np.float64))
        self.lower.append(np.broadcast_to(np.asarray(lower, np.float64), size))
        self.upper.append(np.broadcast_to(np.asarray(upper, np.float64), size))
        self.integer.append(np.full(size, integer))
        first, self.num_columns = self.num_columns, self.num_columns + size
        return np.arange(first, first + size, dtype=np.int64)

    def rows(
        self,
        row: IntArray,
        column: IntArray,
        value: FloatArray,
        lower: Bound,
        upper: Bound,
    ) -> None:
        """Rows numbered from 0 locally, entries ``(row, column, value)``; ``lower`` or
        ``upper`` (one may be a scalar) gives the number of rows."""
        size = np.broadcast(np.asarray(lower), np.asarray(upper)).size
        self.entries.append((np.asarray(row, np.int64) + self.num_rows, column, value))
        self.row_lower.append(np.broadcast_to(np.asarray(lower, np.float64), size))
        self.row_upper.append(np.broadcast_to(np.asarray(upper, np.float64), size))
        self.num_rows += size

    def problem(self) -> LinearProblem:
        def join(parts: list[FloatArray]) -> FloatArray:
            return np.concatenate(parts) if parts else np.zeros(0)

        rows = SparseRows.from_coo(
            row=np.concatenate([e[0] for e in self.entries]) if self.entries else [],
            column=np.concatenate([e[1] for e in self.entries]) if self.entries else [],
            value=np.concatenate([e[2] for e in self.entries]) if self.entries else [],
            lower=join(self.row_lower),
            upper=join(self.row_upper),
        )
        integer = np.concatenate(self.integer) if self.integer else np.zeros(0, bool)
        return LinearProblem(join(self.cost), join(self.lower), join(self.upper), rows, integer)


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
    builder = _Builder()
    ranged = sub.lo_multiples < sub.hi_multiples
    placed_cost = sub.fixed_cost_usd + np.where(
        ranged, 0.0, sub.cost_usd_per_unit * sub.multiple_units * sub.lo_multiples
    )
    placed = builder.columns(placed_cost, 0.0, 1.0, True)
    counts = builder.columns(
        (sub.cost_usd_per_unit * sub.multiple_units)[ranged], 0.0, sub.hi_multiples[ranged], True
    )
    units_column = placed.copy()
    units_column[ranged] = counts
    per_value = np.where(ranged, sub.multiple_units, sub.multiple_units * sub.lo_multiples)
    shortfall = builder.columns(sub.shortfall_cost_usd_per_unit, 0.0, sub.quantity_units, False)
    _coverage_rows(builder, sub, (units_column, per_value), placed, shortfall)
    _range_rows(builder, sub, ranged, placed, counts)
    _one_tier_rows(builder, sub.pair, placed)
    units = (units_column, per_value)
    _capacity_rows(builder, sub, units, ranged)
    _share_rows(builder, sub, units)
    _dual_rows(builder, sub, units, ranged)
    _floor_rows(builder, sub, (placed, counts, ranged), shortfall)
    count_column = np.full(sub.num_options, -1, np.int64)
    count_column[ranged] = counts
    problem = builder.problem()
    columns = ColumnMap(placed, count_column, sub.lo_multiples, shortfall, problem.num_columns)
    return problem, columns


def _coverage_rows(
    builder: _Builder,
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
    builder: _Builder,
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


def _one_tier_rows(builder: _Builder, pair: IntArray, placed: IntArray) -> None:
    _, local, sizes = np.unique(pair, return_inverse=True, return_counts=True)
    several = sizes[local] > 1
    if not several.any():
        return
    kept, row = np.unique(local[several], return_inverse=True)
    builder.rows(row, placed[several], np.ones(len(row)), -np.inf, np.ones(len(kept)))


def _max_units(sub: SubProblem, per_value: FloatArray, ranged: NDArray[np.bool_]) -> FloatArray:
    return per_value * np.where(ranged, sub.hi_multiples, 1.0)


def _pair_max_units(
    sub: SubProblem, per_value: FloatArray, ranged: NDArray[np.bool_], member: NDArray[np.bool_]
) -> FloatArray:
    """Per member option: the most units its pair can take if it is the pair's largest
    option, else 0 (so that sums over options count each pair once)."""
    most = _max_units(sub, per_value, ranged)[member]
    _, pair_of = np.unique(sub.pair[member], return_inverse=True)
    pair_most = np.zeros(int(pair_of.max()) + 1)
    np.maximum.at(pair_most, pair_of, most)
    first = np.zeros(len(pair_of), bool)
    first[np.unique(pair_of, return_index=True)[1]] = True
    return np.where(first, pair_most[pair_of], 0.0)


def _capacity_rows(
    builder: _Builder,
    sub: SubProblem,
    units: tuple[IntArray, FloatArray],
    ranged: NDArray[np.bool_],
) -> None:
    """Weekly capacity rows, only for the offer-weeks whose options could exceed it."""
    member = sub.capacity_group >= 0
    if not member.any():
        return
    codes, local = np.unique(sub.capacity_group[member], return_inverse=True)
    most = np.bincount(local, weights=_max_units(sub, units[1], ranged)[member])
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


def _group_supplier_rows(
    group: IntArray, supplier: IntArray
) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """Per member option: its group number, its (group, supplier) number; group of each
    (group, supplier) and the number of suppliers per group."""
    groups, group_of = np.unique(group, return_inverse=True)
    keys = group_of.astype(np.int64) * (int(supplier.max()) + 1) + supplier
    _, first, pair_of = np.unique(keys, return_index=True, return_inverse=True)
    pair_group = group_of[first]
    suppliers_per_group = np.bincount(pair_group, minlength=len(groups))
    return group_of, pair_of, pair_group, suppliers_per_group


def _share_rows(builder: _Builder, sub: SubProblem, units: tuple[IntArray, FloatArray]) -> None:
    """Category spend ``S_c`` and ``spend_ck - cap S_c - v_ck <= 0`` per supplier."""
    member = sub.share_group >= 0
    if not member.any():
        return
    group_of, pair_of, pair_group, _ = _group_supplier_rows(
        sub.share_group[member], sub.supplier[member]
    )
    groups = int(group_of.max()) + 1
    spend_columns = builder.columns(np.zeros(groups), 0.0, np.inf, False)
    excess = builder.columns(np.full(len(pair_group), sub.share_penalty_rate), 0.0, np.inf, False)
    column = units[0][member]
    spend = units[1][member] * sub.spend_usd_per_unit[member]
    builder.rows(
        np.concatenate([group_of, np.arange(groups)]),
        np.concatenate([column, spend_columns]),
        np.concatenate([-spend, np.ones(groups)]),
        np.zeros(groups),
        np.zeros(groups),
    )
    pairs = np.arange(len(pair_group))
    builder.rows(
        np.concatenate([pair_of, pairs, pairs]),
        np.concatenate([column, spend_columns[pair_group], excess]),
        np.concatenate([spend, np.full(len(pairs), -sub.share_cap), -np.ones(len(pairs))]),
        -np.inf,
        np.zeros(len(pairs)),
    )


def _dual_rows(
    builder: _Builder,
    sub: SubProblem,
    units: tuple[IntArray, FloatArray],
    ranged: NDArray[np.bool_],
) -> None:
    """SKU units ``T_d`` and the minimum share of at least two suppliers per A-class SKU."""
    member = sub.dual_group >= 0
    if not member.any():
        return
    group_of, pair_of, pair_group, suppliers = _group_supplier_rows(
        sub.dual_group[member], sub.supplier[member]
    )
    groups = len(suppliers)
    most = np.bincount(group_of, weights=_pair_max_units(sub, units[1], ranged, member))
    big_m = sub.min_share * most
    penalty = np.zeros(groups)
    penalty[group_of] = sub.dual_penalty_usd_per_unit[member]
    total = builder.columns(np.zeros(groups), 0.0, np.inf, False)
    counted = builder.columns(
        np.zeros(len(pair_group)), (suppliers[pair_group] <= 2).astype(np.float64), 1.0, True
    )
    deficit = builder.columns(penalty[pair_group], 0.0, big_m[pair_group], False)
    column, per_value = units[0][member], units[1][member]
    builder.rows(
        np.concatenate([group_of, np.arange(groups)]),
        np.concatenate([column, total]),
        np.concatenate([-per_value, np.ones(groups)]),
        np.zeros(groups),
        np.zeros(groups),
    )
    pairs = np.arange(len(pair_group))
    builder.rows(
        np.concatenate([pair_of, pairs, pairs, pairs]),
        np.concatenate([column, total[pair_group], deficit, counted]),
        np.concatenate(
            [
                per_value,
                np.full(len(pairs), -sub.min_share),
                np.ones(len(pairs)),
                -big_m[pair_group],
            ]
        ),
        -big_m[pair_group],
        np.inf,
    )
    needed = np.minimum(suppliers, 2).astype(np.float64)
    builder.rows(pair_group, counted, np.ones(len(pairs)), needed, np.inf)
    _no_supplier_above_rows(builder, sub, (column, per_value), pair_of, pair_group, total, deficit)


def _no_supplier_above_rows(
    builder: _Builder,
    sub: SubProblem,
    units: tuple[IntArray, FloatArray],
    pair_of: IntArray,
    pair_group: IntArray,
    total: IntArray,
    deficit: IntArray,
) -> None:
    """``units_dk <= (1 - share) T_d + sum_j e_dj`` for every supplier ``k`` of SKU ``d``.

    Valid for every award: of the two counted suppliers one is not ``k`` and takes at least
    ``share T_d - e``. Implied by the rows above, but without it the relaxation spreads the
    counted binaries thin and forgets dual sourcing altogether.
    """
    sizes = np.bincount(pair_group)
    group_start = np.cumsum(sizes) - sizes
    repeats = sizes[pair_group]
    row = np.repeat(np.arange(len(pair_group)), repeats)
    offset = np.arange(len(row)) - np.repeat(np.cumsum(repeats) - repeats, repeats)
    others = group_start[pair_group[row]] + offset
    pairs = np.arange(len(pair_group))
    builder.rows(
        np.concatenate([pair_of, pairs, row]),
        np.concatenate([units[0], total[pair_group], deficit[others]]),
        np.concatenate([units[1], np.full(len(pairs), sub.min_share - 1.0), -np.ones(len(row))]),
        -np.inf,
        np.zeros(len(pairs)),
    )


def _floor_rows(
    builder: _Builder,
    sub: SubProblem,
    columns: tuple[IntArray, IntArray, NDArray[np.bool_]],
    shortfall: IntArray,
) -> None:
    """``own cost of requirement r >= floor_r``: the least cost of ``r`` on its own (no
    coupling) bounds its cost in any award; it closes most of the relaxation's gap."""
    if sub.requirement_floor_usd is None:
        return
    placed, counts, ranged = columns
    floor = sub.requirement_floor_usd
    kept = np.isfinite(floor)
    row_of = np.cumsum(kept) - 1
    placed_cost = builder.cost[0]
    count_cost = builder.cost[1]
    options = kept[sub.option_requirement]
    ranged_options = options & ranged
    requirements = np.flatnonzero(kept)
    builder.rows(
        np.concatenate(
            [
                row_of[sub.option_requirement[options]],
                row_of[sub.option_requirement[ranged_options]],
                row_of[requirements],
            ]
        ),
        np.concatenate([placed[options], counts[ranged_options[ranged]], shortfall[requirements]]),
        np.concatenate(
            [
                placed_cost[options],
                count_cost[ranged_options[ranged]],
                sub.shortfall_cost_usd_per_unit[requirements],
            ]
        ),
        floor[kept],
        np.inf,
    )
