"""Exact allocation of order groups to (warehouse, service) columns by column generation.

The LP over all columns of all groups (see :mod:`~shopops.planning.fulfillment.options`) is
solved without writing it down:

1. every group takes its cheapest column; groups whose column uses a resource that ends up
   over capacity become *active*, the others stay *fixed* and their use is taken off the
   capacities;
2. the LP of the active groups over a pool of their columns is solved, giving resource
   prices ``y``; each active group's cheapest column at those prices joins the pool when its
   reduced cost ``cost + A_j . y - pi_g`` is negative (column generation, Dantzig-Wolfe);
3. a fixed group whose cheapest column at ``y`` beats its own becomes active; when none
   does, primal and dual are both feasible and complementary, so the LP is optimal over the
   whole option set and its value is a lower bound on any allocation.

When that LP is integral it is the optimum. Otherwise the pool is solved as a MILP (an upper
bound ``UB``); an integer solution cheaper than ``UB`` may only use columns whose reduced
cost is below ``UB - LB`` (reduced-cost fixing), so on batches small enough to list those
columns they are added and the MILP solved again, which is then exact. On larger batches
the proven gap ``(UB - LB) / UB`` is reported.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from shopops.planning.fulfillment.batch import FloatArray, IntArray
from shopops.planning.fulfillment.master import Master, MasterSolution, solve_lp, solve_milp
from shopops.planning.fulfillment.options import LineClass
from shopops.planning.fulfillment.pricing import (
    Columns,
    Resources,
    cheapest_columns,
    column_usage,
    columns_within,
)
from shopops.planning.fulfillment.rules import AllocationRules

MAX_ROUNDS = 500
CLOSURE_LIMIT = 2_000_000
"""Most (group x column) combinations listed to close the gap exactly."""
TOLERANCE = 1e-7
MILP_LIMIT = 20_000
"""Most pool columns solved as a MILP; larger pools are rounded by LP diving."""


@dataclass(frozen=True)
class GroupAllocation:
    """Chosen columns per class and how many orders of the group take each."""

    columns: list[Columns]
    counts: list[IntArray]
    objective_usd: float
    lower_bound_usd: float
    lp_integral: bool
    fractional_columns: int
    exact: bool
    rounds: int
    active_groups: int

    @property
    def gap(self) -> float:
        difference = max(self.objective_usd - self.lower_bound_usd, 0.0)
        return 0.0 if difference <= 1e-6 else difference / max(abs(self.objective_usd), 1e-9)


@dataclass
class _State:
    classes: list[LineClass]
    resources: Resources
    size: list[IntArray]
    fixed: list[Columns]
    active: list[np.ndarray]
    pool: list[Columns]
    split_usd: float


def optimise(
    classes: list[LineClass],
    resources: Resources,
    group_size: IntArray,
    rules: AllocationRules,
) -> GroupAllocation:
    """The least-cost allocation of every group's orders (see the module docstring)."""
    split = rules.split_penalty_usd_per_parcel
    zero = np.zeros(len(resources.capacity))
    fixed = [cheapest_columns(c, np.arange(c.size), resources, zero, split)[0] for c in classes]
    state = _State(
        classes,
        resources,
        [group_size[c.groups] for c in classes],
        fixed,
        [np.zeros(c.size, dtype=bool) for c in classes],
        [fixed[i].take(np.zeros(0, np.int64)) for i in range(len(classes))],
        split,
    )
    _activate(state, _overloaded(state))
    rounds, solution, converged = 0, None, False
    while any(a.any() for a in state.active) and rounds < MAX_ROUNDS:
        master, rows = _master(state, state.resources.capacity - _load(state, fixed_only=True))
        solution = solve_lp(master)
        rounds += 1
        if _generate(state, solution, rows):
            continue
        converged = not _activate_beaten(state, solution.resource_prices)
        if converged:
            break
    if solution is not None and not converged:
        solution = solve_lp(
            _master(state, state.resources.capacity - _load(state, fixed_only=True))[0]
        )
    return _finish(state, solution, converged, rounds, rules)


def _finish(
    state: _State,
    solution: MasterSolution | None,
    converged: bool,
    rounds: int,
    rules: AllocationRules,
) -> GroupAllocation:
    fixed_cost = _fixed_cost(state)
    n_active = int(sum(a.sum() for a in state.active))
    if solution is None:
        no_values = [np.zeros(0)] * len(state.classes)
        return _allocation(state, no_values, fixed_cost, fixed_cost, 0, True, rounds, 0)
    prices = solution.resource_prices
    cheapest = [
        cheapest_columns(lines, np.arange(lines.size), state.resources, prices, state.split_usd)[1]
        for lines in state.classes
    ]
    lower = _lagrangian_bound(state, cheapest, prices)
    if converged:
        lower = max(lower, solution.objective + fixed_cost)
    values = _split_values(state, solution.values)
    fractional = int(sum(np.sum(np.abs(v - np.round(v)) > 1e-6) for v in values))
    objective = solution.objective + fixed_cost
    if fractional == 0:
        return _allocation(state, values, objective, lower, 0, converged, rounds, n_active)
    residual = state.resources.capacity - _load(state, fixed_only=True)
    dived = _round(state, values, residual)
    upper = _pool_cost(state, dived) + fixed_cost
    first = _allocation(state, dived, upper, lower, fractional, False, rounds, n_active)
    if sum(len(p.local) for p in state.pool) > MILP_LIMIT:
        return first
    milp = solve_milp(
        _master(state, residual)[0],
        mip_gap=rules.mip_gap,
        time_limit_seconds=rules.time_limit_seconds,
    )
    if milp.objective + fixed_cost < upper:
        upper = milp.objective + fixed_cost
        values = _split_values(state, milp.values)
        first = _allocation(state, values, upper, lower, fractional, False, rounds, n_active)
    if converged and _close(state, cheapest, prices, upper - lower):
        fixed_cost = _fixed_cost(state)
        residual = state.resources.capacity - _load(state, fixed_only=True)
        milp = solve_milp(
            _master(state, residual)[0],
            mip_gap=rules.mip_gap,
            time_limit_seconds=rules.time_limit_seconds,
        )
        objective = milp.objective + fixed_cost
        bound = max(lower, milp.best_bound + fixed_cost)
        values = _split_values(state, milp.values)
        if not milp.optimal and objective >= upper:
            return dataclasses.replace(first, lower_bound_usd=bound)
        n_active = int(sum(a.sum() for a in state.active))
        return _allocation(
            state, values, objective, bound, fractional, milp.optimal, rounds, n_active
        )
    return first


def _round(state: _State, values: list[FloatArray], residual: FloatArray) -> list[FloatArray]:
    """Round the LP down, then send each order left, one at a time, by its cheapest column
    over the whole option set that avoids every resource with too little left (a price of
    ``BLOCKED_USD`` on them); the unallocated column always fits."""
    rounded = [np.floor(v + 1e-9) for v in values]
    left = residual.copy()
    for i, lines in enumerate(state.classes):
        col, row, amount = column_usage(lines, state.pool[i], state.resources)
        np.subtract.at(left, row, amount * rounded[i][col])
    for _ in range(MAX_DIVES):
        missing = _missing(state, rounded)
        if not any(m.any() for m in missing):
            return rounded
        more = _dive(state, missing, left)
        for i, lines in enumerate(state.classes):
            grown = len(state.pool[i].local) - len(rounded[i])
            rounded[i] = np.concatenate([rounded[i], np.zeros(grown)]) + more[i]
            col, row, amount = column_usage(lines, state.pool[i], state.resources)
            np.subtract.at(left, row, amount * more[i][col])
        if not any(v.any() for v in more):
            break
    for i, lines in enumerate(state.classes):
        short = _missing(state, rounded)[i]
        extra: list[Columns] = []
        for local in np.flatnonzero(short > 0.5):
            for _ in range(round(float(short[local]))):
                column = _cheapest_fitting(state, lines, int(local), left)
                _, row, amount = column_usage(lines, column, state.resources)
                np.subtract.at(left, row, amount)
                extra.append(column)
        if extra:
            state.pool[i] = Columns.concat([state.pool[i], *extra])
            rounded[i] = np.concatenate([rounded[i], np.ones(len(extra))])
    return rounded


def _missing(state: _State, rounded: list[FloatArray]) -> list[FloatArray]:
    """Orders of each active group not yet placed by ``rounded``."""
    missing = []
    for i in range(len(state.classes)):
        short = state.size[i].astype(np.float64)
        np.subtract.at(short, state.pool[i].local, rounded[i])
        missing.append(np.where(state.active[i], np.round(short), 0.0))
    return missing


def _dive(state: _State, missing: list[FloatArray], left: FloatArray) -> list[FloatArray]:
    """Column generation over the orders still missing and the capacity left; returns the
    rounded-down LP values over the (grown) pool, in pool order."""
    pool, active, size = state.pool, state.active, state.size
    keep = [np.flatnonzero(m[p.local] > 0) for m, p in zip(missing, pool, strict=True)]
    state.pool = [p.take(k) for p, k in zip(pool, keep, strict=True)]
    state.active = [m > 0 for m in missing]
    state.size = [m.astype(np.int64) for m in missing]
    try:
        for _ in range(MAX_ROUNDS):
            master, rows = _master(state, np.maximum(left, 0.0))
            solution = solve_lp(master)
            if not _generate(state, solution, rows):
                break
        raw = _split_values(state, solution.values)
        values = [np.floor(v + 1e-9) for v in raw]
        if not any(v.any() for v in values):
            values = _fix_largest(state, raw, left)
        grown = state.pool
    finally:
        state.pool, state.active, state.size = pool, active, size
    result = []
    for i, (k, g) in enumerate(zip(keep, grown, strict=True)):
        before = len(pool[i].local)
        new = g.take(np.arange(len(k), len(g.local)))
        state.pool[i] = Columns.concat([pool[i], new])
        full = np.zeros(before + len(new.local))
        full[k] = values[i][: len(k)]
        full[before:] = values[i][len(k) :]
        result.append(full)
    return result


def _fix_largest(state: _State, raw: list[FloatArray], left: FloatArray) -> list[FloatArray]:
    """One order on the column with the largest fractional value that fits (LP diving)."""
    values = [np.zeros_like(v) for v in raw]
    ranked = sorted(
        ((float(v[j]), i, int(j)) for i, v in enumerate(raw) for j in np.flatnonzero(v > 1e-6)),
        reverse=True,
    )
    for _, i, j in ranked:
        column = state.pool[i].take(np.array([j]))
        _, row, amount = column_usage(state.classes[i], column, state.resources)
        use = np.zeros(len(left))
        np.add.at(use, row, amount)
        if np.all(left >= use - 1e-9):
            values[i][j] = 1.0
            break
    return values


BLOCKED_USD = 1e9
MAX_DIVES = 1000
MAX_REPAIRS = 20


def _cheapest_fitting(state: _State, lines: LineClass, local: int, left: FloatArray) -> Columns:
    """The cheapest column of one order of group ``local`` that fits in ``left``: resources
    it would overrun are priced out and the search repeated."""
    blocked = np.where(left < 1.0 - 1e-9, BLOCKED_USD, 0.0)
    for _ in range(MAX_REPAIRS):
        column, priced = cheapest_columns(
            lines, np.array([local]), state.resources, blocked, state.split_usd
        )
        if priced[0] >= BLOCKED_USD:
            break
        _, row, amount = column_usage(lines, column, state.resources)
        use = np.zeros(len(left))
        np.add.at(use, row, amount)
        over = left < use - 1e-9
        if not over.any():
            return column
        blocked[over] = BLOCKED_USD
    return Columns(
        np.array([local]),
        np.zeros(1, np.int64),
        np.full((1, lines.partition_blocks.shape[1]), -1, dtype=np.int64),
        np.full((1, lines.partition_blocks.shape[1]), -1, dtype=np.int64),
        lines.unallocated_usd[[local], 0],
    )


def _pool_cost(state: _State, values: list[FloatArray]) -> float:
    return sum(float(p.cost @ v) for p, v in zip(state.pool, values, strict=True))


def _fixed_cost(state: _State) -> float:
    """Cost of the orders of the inactive groups on their fixed columns."""
    return sum(
        float(size[~active] @ fixed.cost[~active])
        for size, fixed, active in zip(state.size, state.fixed, state.active, strict=True)
    )


def _lagrangian_bound(state: _State, cheapest: list[FloatArray], prices: FloatArray) -> float:
    """``sum_g n_g min_j (c_j + A_j y) - y . b``: a lower bound for any prices ``y >= 0``."""
    total = sum(float(size @ best) for size, best in zip(state.size, cheapest, strict=True))
    bounded = np.isfinite(state.resources.capacity)
    return total - float(prices[bounded] @ state.resources.capacity[bounded])


def _priced(
    lines: LineClass, columns: Columns, resources: Resources, prices: FloatArray
) -> FloatArray:
    col, row, amount = column_usage(lines, columns, resources)
    priced = columns.cost.copy()
    np.add.at(priced, col, amount * prices[row])
    return priced


def _load(state: _State, *, fixed_only: bool) -> FloatArray:
    """Resource use of the fixed columns (of inactive groups, or of all groups)."""
    load = np.zeros(len(state.resources.capacity))
    for lines, fixed, size, active in zip(
        state.classes, state.fixed, state.size, state.active, strict=True
    ):
        col, row, amount = column_usage(lines, fixed, state.resources)
        weight = size * (~active if fixed_only else np.ones_like(active))
        np.add.at(load, row, amount * weight[col])
    return load


def _overloaded(state: _State) -> list[IntArray]:
    over = _load(state, fixed_only=False) > state.resources.capacity + 1e-9
    found = []
    for lines, fixed in zip(state.classes, state.fixed, strict=True):
        col, row, _ = column_usage(lines, fixed, state.resources)
        found.append(np.unique(col[over[row]]))
    return found


def _activate(state: _State, locals_: list[IntArray]) -> int:
    """Make groups active: their fixed column and their unallocated column join the pool."""
    added = 0
    for i, new in enumerate(locals_):
        new = new[~state.active[i][new]]
        if len(new) == 0:
            continue
        state.active[i][new] = True
        fixed = state.fixed[i].take(new)
        nothing = Columns(
            new,
            np.zeros(len(new), np.int64),
            np.full_like(fixed.warehouse, -1),
            np.full_like(fixed.service, -1),
            state.classes[i].unallocated_usd[new, 0],
        )
        state.pool[i] = Columns.concat([state.pool[i], fixed, nothing])
        added += len(new)
    return added


def _master(state: _State, capacity: FloatArray) -> tuple[Master, list[IntArray]]:
    """The LP of the active groups over the pool; ``rows[i][local]`` is a group's row."""
    rows, groups, costs, cols, res, amounts, demand = [], [], [], [], [], [], []
    n_rows = n_cols = 0
    for i, lines in enumerate(state.classes):
        row_of = np.full(lines.size, -1, dtype=np.int64)
        active = np.flatnonzero(state.active[i])
        row_of[active] = n_rows + np.arange(len(active))
        rows.append(row_of)
        demand.append(state.size[i][active].astype(np.float64))
        pool = state.pool[i]
        keep = np.flatnonzero(state.active[i][pool.local])
        pool = state.pool[i] = pool.take(keep)
        groups.append(row_of[pool.local])
        costs.append(pool.cost)
        col, row, amount = column_usage(lines, pool, state.resources)
        cols.append(col + n_cols)
        res.append(row)
        amounts.append(amount)
        n_rows += len(active)
        n_cols += len(pool.local)
    master = Master(
        group=np.concatenate(groups),
        cost=np.concatenate(costs),
        usage_column=np.concatenate(cols),
        usage_row=np.concatenate(res),
        usage_amount=np.concatenate(amounts),
        demand=np.concatenate(demand),
        capacity=capacity,
    )
    return master, rows


def _generate(state: _State, solution: MasterSolution, rows: list[IntArray]) -> int:
    """Add every active group's cheapest column at the LP's prices if its reduced cost < 0."""
    added = 0
    for i, lines in enumerate(state.classes):
        active = np.flatnonzero(state.active[i])
        if len(active) == 0:
            continue
        columns, priced = cheapest_columns(
            lines, active, state.resources, solution.resource_prices, state.split_usd
        )
        dual = solution.group_prices[rows[i][active]]
        better = np.flatnonzero(priced < dual - TOLERANCE * np.maximum(1.0, np.abs(dual)))
        if len(better):
            state.pool[i] = Columns.concat([state.pool[i], columns.take(better)])
            added += len(better)
    return added


def _activate_beaten(state: _State, prices: FloatArray) -> int:
    """Activate fixed groups whose own column is no longer their cheapest at ``prices``."""
    beaten = []
    for i, lines in enumerate(state.classes):
        idle = np.flatnonzero(~state.active[i])
        if len(idle) == 0:
            beaten.append(idle)
            continue
        own = _priced(lines, state.fixed[i].take(idle), state.resources, prices)
        _, best = cheapest_columns(lines, idle, state.resources, prices, state.split_usd)
        beaten.append(idle[best < own - TOLERANCE * np.maximum(1.0, np.abs(own))])
    return _activate(state, beaten)


def _close(state: _State, cheapest: list[FloatArray], prices: FloatArray, slack: float) -> bool:
    """List every column of reduced cost <= ``slack`` (none other can be in a cheaper
    allocation); a group with one such column is fixed on it, the others become active with
    those columns as their pool. False (and nothing changed) when there are too many."""
    pairs = state.resources.warehouses * state.resources.services
    listed = sum(
        lines.size * sum(pairs ** len(lines.blocks(p)) for p in range(len(lines.partition_blocks)))
        for lines in state.classes
    )
    if listed > CLOSURE_LIMIT:
        return False
    for i, lines in enumerate(state.classes):
        limit = cheapest[i] + slack + 1e-6 * np.maximum(1.0, np.abs(cheapest[i]))
        candidates = columns_within(
            lines, np.arange(lines.size), state.resources, prices, limit, state.split_usd
        )
        count = np.bincount(candidates.local, minlength=lines.size)
        alone = np.flatnonzero(count[candidates.local] == 1)
        fixed = state.fixed[i]
        warehouse, service = fixed.warehouse.copy(), fixed.service.copy()
        partition, cost = fixed.partition.copy(), fixed.cost.copy()
        local = candidates.local[alone]
        warehouse[local], service[local] = candidates.warehouse[alone], candidates.service[alone]
        partition[local], cost[local] = candidates.partition[alone], candidates.cost[alone]
        state.fixed[i] = Columns(fixed.local, partition, warehouse, service, cost)
        state.active[i] = count > 1
        state.pool[i] = candidates.take(np.flatnonzero(count[candidates.local] > 1))
    return True


def _split_values(state: _State, values: FloatArray) -> list[FloatArray]:
    """Cut the master's column values back into one array per class (pool order)."""
    sizes = np.cumsum([0] + [len(p.local) for p in state.pool])
    return [values[sizes[i] : sizes[i + 1]] for i in range(len(state.pool))]


def _allocation(
    state: _State,
    values: list[FloatArray],
    objective: float,
    lower: float,
    fractional: int,
    exact: bool,
    rounds: int,
    n_active: int,
) -> GroupAllocation:
    """Pool columns with their integer counts plus the fixed columns of inactive groups."""
    columns, counts = [], []
    for i in range(len(state.classes)):
        idle = np.flatnonzero(~state.active[i])
        count = np.round(values[i]).astype(np.int64) if len(values[i]) else np.zeros(0, np.int64)
        used = np.flatnonzero(count > 0)
        columns.append(Columns.concat([state.fixed[i].take(idle), state.pool[i].take(used)]))
        counts.append(np.concatenate([state.size[i][idle], count[used]]))
    return GroupAllocation(
        columns, counts, objective, lower, fractional == 0, fractional, exact, rounds, n_active
    )
