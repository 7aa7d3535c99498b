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
    for main, second in itertools.permutations(alone, 2):
        plan = _split(sub, mine[sub.supplier[mine] == second], alone[main], quantity, target)
        if plan is not None:
            plans.append(plan)
    return plans


class _Cover:
    """The dynamic programme of one requirement over some of its options, reusable for any
    quantity up to the requirement's."""

    def __init__(self, sub: SubProblem, rows: IntArray, quantity: int, shortfall: float) -> None:
        ordered = rows[np.argsort(sub.pair[rows], kind="stable")]
        self.offers = offers_of(sub, ordered)
        self.stages = cover_costs(quantity, self.offers)
        self.shortfall = shortfall

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
