"""A near-optimal start for an A-class SKU under dual sourcing, from exact single-offer plans.

For each requirement of the SKU a handful of plans, each exact for its restriction (the
dynamic programme of :mod:`.exact`): the unrestricted plan, the best plan from each
supplier alone, and for each ordered pair of suppliers ``(a, b)`` the plan where ``b``
takes the least order reaching ``min_share`` of the SKU's need and ``a`` covers the rest.
Every combination of one plan per requirement is priced with its dual-sourcing penalty and
weekly capacities; the cheapest feasible one starts the MILP, which then mostly has only
its bound to prove.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from shopops.planning.solvers import FloatArray
from shopops.planning.sourcing.arrays import IntArray, SubProblem
from shopops.planning.sourcing.evaluate import evaluate
from shopops.planning.sourcing.exact import cover_costs, offers_of, trace

MOST_COMBINATIONS = 20_000


@dataclass(frozen=True)
class _Plan:
    counts: FloatArray
    cost_usd: float


def dual_start(sub: SubProblem, counts: FloatArray) -> FloatArray:
    """The cheaper of ``counts`` and the best plan combination (module notes)."""
    groups = np.unique(sub.dual_group[sub.dual_group >= 0])
    if len(groups) != 1:
        return counts
    plans = [_plans(sub, r) for r in range(sub.num_requirements)]
    if np.prod([len(p) for p in plans], dtype=np.float64) > MOST_COMBINATIONS:
        return counts
    picks = np.array(list(itertools.product(*[range(len(p)) for p in plans])), np.int64)
    cost = _combination_costs(sub, plans, picks)
    best = int(np.argmin(cost))
    if not np.isfinite(cost[best]) or cost[best] >= _objective(sub, counts):
        return counts
    combined: FloatArray = np.sum([plans[r][k].counts for r, k in enumerate(picks[best])], axis=0)
    return combined


def _combination_costs(sub: SubProblem, plans: list[list[_Plan]], picks: IntArray) -> FloatArray:
    """Own costs plus dual-sourcing penalty of each combination; ``inf`` past a capacity."""
    member = sub.capacity_group >= 0
    _, group_of = np.unique(sub.capacity_group[member], return_inverse=True)
    groups = int(group_of.max()) + 1 if member.any() else 0
    suppliers, supplier_of = np.unique(sub.supplier, return_inverse=True)
    total = np.zeros(len(picks))
    by_supplier = np.zeros((len(picks), len(suppliers)))
    by_group = np.zeros((len(picks), groups))
    capacity = np.zeros(groups)
    capacity[group_of] = sub.capacity_units[member]
    for r, options in enumerate(plans):
        units = np.array([p.counts * sub.multiple_units for p in options])
        own = np.array([p.cost_usd for p in options])
        chosen = picks[:, r]
        total += own[chosen]
        supplier_units = np.stack([np.bincount(supplier_of, u, len(suppliers)) for u in units])
        by_supplier += supplier_units[chosen]
        if groups:
            group_units = np.stack([np.bincount(group_of, u[member], groups) for u in units])
            by_group += group_units[chosen]
    need = sub.min_share * by_supplier.sum(axis=1, keepdims=True)
    deficit = np.sort(np.maximum(need - by_supplier, 0.0), axis=1)[:, :2].sum(axis=1)
    penalty = deficit * sub.dual_penalty_usd_per_unit[sub.dual_group >= 0][0]
    over = (by_group > capacity + 1e-6).any(axis=1) if groups else np.zeros(len(picks), bool)
    return np.where(over, np.inf, total + penalty)


def _objective(sub: SubProblem, counts: FloatArray) -> float:
    result = evaluate(sub, counts)
    return float(np.inf) if result.broken_capacity.any() else result.objective_usd


def _plans(sub: SubProblem, requirement: int) -> list[_Plan]:
    """Exact plans of one requirement under the restrictions of the module notes."""
    mine = np.flatnonzero(sub.option_requirement == requirement)
    quantity = int(sub.quantity_units[requirement])
    shortfall = float(sub.shortfall_cost_usd_per_unit[requirement])
    everyone = _Cover(sub, mine, quantity, shortfall)
    alone = {
        int(k): _Cover(sub, mine[sub.supplier[mine] == k], quantity, shortfall)
        for k in np.unique(sub.supplier[mine])
    }
    plans = [
        cover.plan(quantity, np.zeros(sub.num_options)) for cover in (everyone, *alone.values())
    ]
    target = sub.min_share * float(sub.quantity_units.sum())
    for main, second in _split_pairs(alone, lone=sub.num_requirements == 1):
        theirs = mine[sub.supplier[mine] == second]
        plan = _split(sub, theirs, alone[main], quantity, target)
        fitted = _fitted_split(sub, requirement, mine[sub.supplier[mine] == main], theirs, target)
        plans += [p for p in (plan, fitted) if p is not None]
    return plans


def _split_pairs(alone: dict[int, _Cover], lone: bool) -> list[tuple[int, int]]:
    """Ordered (main, second) supplier pairs to split a requirement between: all of them for
    a lone requirement, else those led by the supplier cheapest alone (the combinations of
    several requirements already mix whole plans)."""
    if lone:
        return list(itertools.permutations(alone, 2))
    main = min(alone, key=lambda k: alone[k].least_cost)
    return [(main, second) for second in alone if second != main]


class _Cover:
    """The dynamic programme of one requirement over some of its options, reusable for any
    quantity up to the requirement's."""

    def __init__(self, sub: SubProblem, rows: IntArray, quantity: int, shortfall: float) -> None:
        ordered = rows[np.argsort(sub.pair[rows], kind="stable")]
        self.offers = offers_of(sub, ordered)
        self.stages = cover_costs(quantity, self.offers)
        self.shortfall = shortfall
        reach = np.arange(quantity + 1)
        self.least_cost = float(np.min(self.stages[-1] + shortfall * (quantity - reach)))

    def plan(self, quantity: int, fixed: FloatArray) -> _Plan:
        """Lines covering ``quantity`` units (the rest short), added to ``fixed``."""
        reach = np.arange(quantity + 1)
        total = self.stages[-1][: quantity + 1] + self.shortfall * (quantity - reach)
        x = int(np.argmin(total))
        counts = fixed.copy()
        for row, count in trace(self.stages, self.offers, x).items():
            counts[row] = count
        return _Plan(counts, float(total[x]))


def _split(
    sub: SubProblem, theirs: IntArray, main: _Cover, quantity: int, target_units: float
) -> _Plan | None:
    """The second supplier (options ``theirs``) takes its cheapest order of at least
    ``target_units``; the main supplier covers the rest."""
    count = np.maximum(sub.lo_multiples[theirs], np.ceil(target_units / sub.multiple_units[theirs]))
    fits = count <= sub.hi_multiples[theirs]
    if not fits.any():
        return None
    units = count * sub.multiple_units[theirs]
    line = sub.fixed_cost_usd[theirs] + units * sub.cost_usd_per_unit[theirs]
    pick = int(np.argmin(np.where(fits, line, np.inf)))
    counts = np.zeros(sub.num_options)
    counts[theirs[pick]] = count[pick]
    plan = main.plan(max(int(quantity - units[pick]), 0), counts)
    return _Plan(plan.counts, plan.cost_usd + float(line[pick]))


def _fitted_split(
    sub: SubProblem, requirement: int, main: IntArray, second: IntArray, target_units: float
) -> _Plan | None:
    """Every order of the main supplier, each topped up by the second supplier's cheapest
    order reaching both ``target_units`` and the rest of the need: catches the splits whose
    order multiples fit the need exactly. A lone requirement is judged with its penalty."""
    rows, counts = _all_orders(sub, main)
    if not len(rows) or not len(second):
        return None
    quantity = float(sub.quantity_units[requirement])
    main_units = counts * sub.multiple_units[rows]
    main_cost = sub.fixed_cost_usd[rows] + main_units * sub.cost_usd_per_unit[rows]
    need = np.maximum(target_units, quantity - main_units)[:, None]
    multiple = sub.multiple_units[second][None, :]
    top_up = np.maximum(sub.lo_multiples[second][None, :], np.ceil(need / multiple))
    top_units = top_up * multiple
    own = (
        main_cost[:, None]
        + sub.fixed_cost_usd[second][None, :]
        + top_units * sub.cost_usd_per_unit[second][None, :]
        + sub.shortfall_cost_usd_per_unit[requirement]
        * np.maximum(quantity - main_units[:, None] - top_units, 0.0)
    )
    judged = own + _lone_penalty(sub, main_units[:, None], top_units)
    judged = np.where(top_up <= sub.hi_multiples[second][None, :], judged, np.inf)
    i, j = np.unravel_index(int(np.argmin(judged)), judged.shape)
    if not np.isfinite(judged[i, j]):
        return None
    plan = np.zeros(sub.num_options)
    plan[rows[i]] = counts[i]
    plan[second[j]] = top_up[i, j]
    return _Plan(plan, float(own[i, j]))


def _lone_penalty(sub: SubProblem, main_units: FloatArray, second_units: FloatArray) -> FloatArray:
    """Dual-sourcing penalty when the SKU has this one requirement (else 0: the
    combination prices it)."""
    if sub.num_requirements != 1:
        return np.zeros(np.broadcast(main_units, second_units).shape)
    total = main_units + second_units
    deficit = np.maximum(sub.min_share * total - main_units, 0.0) + np.maximum(
        sub.min_share * total - second_units, 0.0
    )
    rate: float = sub.dual_penalty_usd_per_unit[sub.dual_group >= 0][0]
    return deficit * rate


def _all_orders(sub: SubProblem, rows: IntArray) -> tuple[IntArray, FloatArray]:
    """Every (option row, multiple count) the options ``rows`` allow."""
    spans = (sub.hi_multiples[rows] - sub.lo_multiples[rows] + 1).astype(np.int64)
    option = np.repeat(rows, spans)
    start = np.repeat(sub.lo_multiples[rows], spans)
    offset = np.arange(int(spans.sum())) - np.repeat(np.cumsum(spans) - spans, spans)
    return option.astype(np.int64), (start + offset).astype(np.float64)
