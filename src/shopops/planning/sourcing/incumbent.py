"""A quick feasible award to start the MILP from: each requirement's cheapest single line.

For each requirement, in turn, the option with the least ``fixed + units x cost + shortfall
x shortfall cost`` when it alone buys ``ceil(quantity / multiple)`` multiples, clipped to its
range and to the weekly capacity still free, or no line at all when leaving the quantity
short is cheaper. Share caps and dual sourcing are left to their penalised slacks, which the
solver fills in, so the award is always feasible.
"""

from __future__ import annotations

import numpy as np

from shopops.planning.solvers import FloatArray
from shopops.planning.sourcing.arrays import IntArray, SubProblem

MAX_LINES = 5


def greedy_counts(sub: SubProblem) -> FloatArray:
    """Multiples per option of the greedy award (see module notes)."""
    counts = np.zeros(sub.num_options)
    sharing = _in_capacity_requirements(sub, sub.capacity_group >= 0)
    _choose_free(sub, counts, ~sharing[sub.option_requirement])
    _choose_in_turn(sub, counts, np.flatnonzero(sharing))
    return counts


def _in_capacity_requirements(sub: SubProblem, member: np.ndarray) -> np.ndarray:
    flagged = np.zeros(sub.num_requirements, bool)
    flagged[sub.option_requirement[member]] = True
    return flagged


def _saving(
    sub: SubProblem, rows: IntArray, remaining: FloatArray, hi: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """For each option row, the multiples that best cover ``remaining`` units of its
    requirement, and the saving ``shortfall cost of the units covered - line cost``."""
    multiple = sub.multiple_units[rows]
    count = np.clip(np.ceil(remaining / multiple), sub.lo_multiples[rows], hi)
    covered = np.minimum(count * multiple, remaining)
    shortfall_cost = sub.shortfall_cost_usd_per_unit[sub.option_requirement[rows]]
    cost = sub.fixed_cost_usd[rows] + count * multiple * sub.cost_usd_per_unit[rows]
    reachable = (sub.lo_multiples[rows] <= hi) & (remaining > 0)
    return np.where(reachable, count, 0.0), np.where(
        reachable, covered * shortfall_cost - cost, -np.inf
    )


def _choose_free(sub: SubProblem, counts: FloatArray, rows_mask: np.ndarray) -> None:
    """Rounds of one line per requirement, for requirements outside any capacity group:
    each round places, per requirement, the line of a pair not yet used that saves most."""
    rows = np.flatnonzero(rows_mask)
    remaining = sub.quantity_units.copy()
    used = np.zeros(len(rows), bool)
    requirement = sub.option_requirement[rows]
    for _ in range(MAX_LINES):
        count, saving = _saving(sub, rows, remaining[requirement], sub.hi_multiples[rows])
        saving[used] = -np.inf
        order = np.lexsort((-saving, requirement))
        first = np.ones(len(order), bool)
        first[1:] = requirement[order][1:] != requirement[order][:-1]
        best = order[first]
        best = best[saving[best] > 0]
        if not len(best):
            return
        counts[rows[best]] = count[best]
        remaining[requirement[best]] -= count[best] * sub.multiple_units[rows[best]]
        np.maximum(remaining, 0.0, out=remaining)
        used |= np.isin(sub.pair[rows], sub.pair[rows[best]])


def _choose_in_turn(sub: SubProblem, counts: FloatArray, requirements: IntArray) -> None:
    """Requirement by requirement, for those sharing a weekly capacity."""
    member = sub.capacity_group >= 0
    groups, local = np.unique(sub.capacity_group[member], return_inverse=True)
    free_units = np.zeros(len(groups))
    free_units[local] = sub.capacity_units[member]
    group_of = np.full(sub.num_options, -1)
    group_of[member] = local
    order = np.argsort(sub.option_requirement, kind="stable")
    bounds = np.searchsorted(sub.option_requirement[order], [requirements, requirements + 1])
    for first, last, requirement in zip(bounds[0], bounds[1], requirements, strict=True):
        rows = order[first:last]
        remaining = np.full(len(rows), sub.quantity_units[requirement])
        open_pair = np.ones(len(rows), bool)
        for _ in range(MAX_LINES):
            group = group_of[rows]
            room = np.where(group >= 0, free_units[group] // sub.multiple_units[rows], np.inf)
            count, saving = _saving(sub, rows, remaining, np.minimum(sub.hi_multiples[rows], room))
            saving[~open_pair] = -np.inf
            best = int(np.argmax(saving)) if len(rows) else -1
            if best < 0 or not saving[best] > 0:
                break
            units = count[best] * sub.multiple_units[rows[best]]
            counts[rows[best]] = count[best]
            remaining = np.maximum(remaining - units, 0.0)
            open_pair &= sub.pair[rows] != sub.pair[rows[best]]
            if group[best] >= 0:
                free_units[group[best]] -= units
