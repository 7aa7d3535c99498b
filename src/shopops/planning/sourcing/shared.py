"""The exact award of requirements that share one offer's weekly capacity, and nothing else.

When the only rule tying some requirements together is the weekly capacity ``C`` of one
offer ``o`` (the same SKU needed at several warehouses in one week), the award splits into
how many units of ``o`` each requirement takes. For requirement ``r`` buying ``q`` units of
``o`` (0 or an order quantity its tiers allow) the rest is best covered by its other offers
or left short::

    H_r(q) = cost_o(q) + min_{x <= (Q_r - q)+} best_r[x] + s_r ((Q_r - q)+ - x)

with ``best_r`` the dynamic programme of :mod:`.exact` over the other offers; then a
knapsack over the requirements, ``V_k[u] = min_q V_{k-1}[u - q] + H_k(q)`` for the units
``u <= C`` used, gives the exact award of the piece without a MILP.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from shopops.planning.solvers import FloatArray
from shopops.planning.sourcing.arrays import IntArray, SubProblem
from shopops.planning.sourcing.exact import Option, cover_costs, offers_of, trace

LARGEST_CAPACITY_UNITS = 200_000
"""Above this the knapsack over capacity units is left to the MILP."""


@dataclass(frozen=True)
class _Choices:
    """One requirement's ways to use the shared offer: units, cost, and how to rebuild."""

    units: IntArray
    cost: FloatArray
    rows: IntArray
    counts: IntArray
    rest_target: IntArray
    stages: list[FloatArray]
    rest: list[list[Option]]


def solve_shared_capacity(
    sub: SubProblem, start: FloatArray | None = None
) -> tuple[FloatArray, float] | None:
    """Exact multiples per option and cost of the piece, or ``None`` when it needs a MILP.

    Only the weekly capacities that the award breaks are enforced, starting from those
    ``start`` breaks: the award of that relaxation is exact when it keeps the others. When
    two or more capacities must be enforced, or the piece has another rule (dual sourcing,
    a share cap) or a very large capacity, the piece is left to the MILP.
    """
    if (sub.dual_group >= 0).any() or (sub.share_group >= 0).any():
        return None
    enforced = _broken_groups(sub, np.zeros(sub.num_options) if start is None else start)
    while len(enforced) == 1:
        group = int(enforced[0])
        counts = _solve_one_group(sub, group)
        if counts is None:
            return None
        enforced = np.union1d(enforced, _broken_groups(sub, counts))
        if len(enforced) == 1:
            return counts, _cost(sub, counts)
    return None


def _broken_groups(sub: SubProblem, counts: FloatArray) -> IntArray:
    member = sub.capacity_group >= 0
    groups, local = np.unique(sub.capacity_group[member], return_inverse=True)
    used = np.bincount(local, weights=(counts * sub.multiple_units)[member], minlength=len(groups))
    capacity = np.zeros(len(groups))
    capacity[local] = sub.capacity_units[member]
    return groups[used > capacity + 1e-6].astype(np.int64)


def _cost(sub: SubProblem, counts: FloatArray) -> float:
    units = counts * sub.multiple_units
    lines = np.sum((counts > 0) * sub.fixed_cost_usd + units * sub.cost_usd_per_unit)
    covered = np.bincount(sub.option_requirement, weights=units, minlength=sub.num_requirements)
    short = np.maximum(sub.quantity_units - covered, 0.0)
    return float(lines + short @ sub.shortfall_cost_usd_per_unit)


def _solve_one_group(sub: SubProblem, group: int) -> FloatArray | None:
    """The exact award with only capacity ``group`` shared (the others lifted)."""
    in_group = sub.capacity_group == group
    capacity = int(sub.capacity_units[in_group][0])
    if capacity > LARGEST_CAPACITY_UNITS:
        return None
    choices = [_choices(sub, r, in_group) for r in range(sub.num_requirements)]
    used, _ = _knapsack([c.cost for c in choices], [c.units for c in choices], capacity)
    counts = np.zeros(sub.num_options)
    for choice, pick in zip(choices, used, strict=True):
        _rebuild(choice, pick, counts)
    return counts


def _choices(sub: SubProblem, requirement: int, in_group: np.ndarray) -> _Choices:
    """``H_r(q)`` for every quantity ``q`` of the shared offer (0 included)."""
    mine = sub.option_requirement == requirement
    quantity = int(sub.quantity_units[requirement])
    shortfall = float(sub.shortfall_cost_usd_per_unit[requirement])
    others = np.flatnonzero(mine & ~in_group)
    rest = offers_of(sub, others[np.argsort(sub.pair[others], kind="stable")])
    stages = cover_costs(quantity, rest)
    x = np.arange(quantity + 1)
    shifted = np.minimum.accumulate(stages[-1] - shortfall * x)
    target = _argmin_prefix(stages[-1] - shortfall * x)
    rows, counts = _quantities(sub, np.flatnonzero(mine & in_group))
    units = (counts * sub.multiple_units[rows]).astype(np.int64)
    left = np.maximum(quantity - units, 0)
    placed = rows >= 0
    line = np.where(placed, sub.fixed_cost_usd[rows] + units * sub.cost_usd_per_unit[rows], 0.0)
    cost = line + shifted[left] + shortfall * left
    return _Choices(units, cost, rows, counts, target[left], stages, rest)


def _argmin_prefix(values: FloatArray) -> IntArray:
    """For each ``y``, the first ``x <= y`` where ``values`` reaches its prefix minimum."""
    best = np.minimum.accumulate(values)
    new_low = np.r_[True, values[1:] < best[:-1]]
    positions = np.where(new_low, np.arange(len(values)), 0)
    return np.maximum.accumulate(positions).astype(np.int64)


def _quantities(sub: SubProblem, rows: IntArray) -> tuple[IntArray, IntArray]:
    """Every (option row, multiple count) of the shared offer, plus "none" (row -1)."""
    spans = (sub.hi_multiples[rows] - sub.lo_multiples[rows] + 1).astype(np.int64)
    option = np.repeat(rows, spans)
    start = np.repeat(sub.lo_multiples[rows].astype(np.int64), spans)
    offset = np.arange(int(spans.sum())) - np.repeat(np.cumsum(spans) - spans, spans)
    return np.r_[-1, option].astype(np.int64), np.r_[0, start + offset].astype(np.int64)


def _knapsack(
    costs: list[FloatArray], units: list[IntArray], capacity: int
) -> tuple[list[int], float]:
    """Pick one choice per requirement, total units within ``capacity``, at least cost."""
    value = np.full(capacity + 1, np.inf)
    value[0] = 0.0
    picks: list[IntArray] = []
    for cost, used in zip(costs, units, strict=True):
        fits = used <= capacity
        table = np.full((int(fits.sum()), capacity + 1), np.inf)
        for k, (c, u) in enumerate(zip(cost[fits], used[fits], strict=True)):
            table[k, u:] = value[: capacity + 1 - u] + c
        choice = np.flatnonzero(fits)[np.argmin(table, axis=0)]
        value = table.min(axis=0)
        picks.append(choice)
    at = int(np.argmin(value))
    total = float(value[at])
    chosen: list[int] = []
    for used, pick in zip(units[::-1], picks[::-1], strict=True):
        chosen.append(int(pick[at]))
        at -= int(used[pick[at]])
    return chosen[::-1], total


def _rebuild(choice: _Choices, pick: int, counts: FloatArray) -> None:
    row = int(choice.rows[pick])
    if row >= 0:
        counts[row] = choice.counts[pick]
    for rest_row, count in trace(choice.stages, choice.rest, int(choice.rest_target[pick])).items():
        counts[rest_row] = count
