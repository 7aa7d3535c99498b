"""The cost of an award and the coupling rules it breaks, computed from line quantities.

This is the MILP's objective evaluated directly: line costs, shortfall at its cost, spend
above a category share cap at ``share_penalty_rate``, and per A-class SKU the two smallest
shortfalls of a supplier's units below ``min_share x T`` at the SKU's dual-sourcing penalty
(the MILP counts the two suppliers that serve it best).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from shopops.planning.solvers import FloatArray
from shopops.planning.sourcing.arrays import IntArray, SubProblem

TOLERANCE_UNITS = 1e-6
TOLERANCE_USD = 1e-6


@dataclass(frozen=True)
class AwardCost:
    """Cost of an award by part; ``broken_*`` flag options whose coupling group the award
    breaks (capacity exceeded, share cap exceeded, dual-sourcing minimum missed)."""

    lines_usd: float
    shortfall_usd: float
    share_penalty_usd: float
    dual_penalty_usd: float
    shortfall_units: FloatArray
    broken_capacity: NDArray[np.bool_]
    broken_share: NDArray[np.bool_]
    broken_dual: NDArray[np.bool_]

    @property
    def objective_usd(self) -> float:
        return self.lines_usd + self.shortfall_usd + self.share_penalty_usd + self.dual_penalty_usd


def evaluate(sub: SubProblem, counts: FloatArray) -> AwardCost:
    """Cost and broken rules of the award that buys ``counts`` multiples of each option."""
    units = counts * sub.multiple_units
    lines = float(np.sum((counts > 0) * sub.fixed_cost_usd + units * sub.cost_usd_per_unit))
    covered = np.bincount(sub.option_requirement, weights=units, minlength=sub.num_requirements)
    short = np.maximum(sub.quantity_units - covered, 0.0)
    over_capacity = _over_capacity(sub, units)
    share_usd, broken_share = _share_excess(sub, units)
    dual_usd, broken_dual = _dual_deficit(sub, units)
    return AwardCost(
        lines_usd=lines,
        shortfall_usd=float(short @ sub.shortfall_cost_usd_per_unit),
        share_penalty_usd=share_usd,
        dual_penalty_usd=dual_usd,
        shortfall_units=short,
        broken_capacity=over_capacity,
        broken_share=broken_share,
        broken_dual=broken_dual,
    )


def _groups(codes: IntArray) -> tuple[NDArray[np.bool_], IntArray, int]:
    member = codes >= 0
    _, local = np.unique(codes[member], return_inverse=True)
    return member, local.astype(np.int64), int(local.max()) + 1 if member.any() else 0


def _over_capacity(sub: SubProblem, units: FloatArray) -> NDArray[np.bool_]:
    member, local, count = _groups(sub.capacity_group)
    broken = np.zeros(sub.num_options, bool)
    if not count:
        return broken
    used = np.bincount(local, weights=units[member], minlength=count)
    capacity = np.zeros(count)
    capacity[local] = sub.capacity_units[member]
    broken[member] = (used > capacity + TOLERANCE_UNITS)[local]
    return broken


def _per_supplier(
    codes: IntArray, supplier: IntArray, values: FloatArray
) -> tuple[NDArray[np.bool_], IntArray, IntArray, FloatArray, FloatArray]:
    """Group member mask, group and (group, supplier) number per member, and the sums of
    ``values`` per group and per (group, supplier)."""
    member, local, count = _groups(codes)
    keys = local * (int(supplier.max()) + 1 if len(supplier) else 1) + supplier[member]
    _, pair_first, pair_of = np.unique(keys, return_index=True, return_inverse=True)
    per_group = np.bincount(local, weights=values[member], minlength=count).astype(np.float64)
    per_pair = np.bincount(pair_of, weights=values[member], minlength=len(pair_first))
    return member, local, pair_of.astype(np.int64), per_group, per_pair.astype(np.float64)


def _share_excess(sub: SubProblem, units: FloatArray) -> tuple[float, NDArray[np.bool_]]:
    broken = np.zeros(sub.num_options, bool)
    if not (sub.share_group >= 0).any():
        return 0.0, broken
    spend = units * sub.spend_usd_per_unit
    member, local, pair_of, total, per_pair = _per_supplier(sub.share_group, sub.supplier, spend)
    pair_group = np.zeros(len(per_pair), np.int64)
    pair_group[pair_of] = local
    excess = np.maximum(per_pair - sub.share_cap * total[pair_group], 0.0)
    over = excess > TOLERANCE_USD
    group_broken = np.bincount(pair_group, weights=over, minlength=len(total)) > 0
    broken[member] = group_broken[local]
    return float(sub.share_penalty_rate * excess[over].sum()), broken


def _dual_deficit(sub: SubProblem, units: FloatArray) -> tuple[float, NDArray[np.bool_]]:
    broken = np.zeros(sub.num_options, bool)
    if not (sub.dual_group >= 0).any():
        return 0.0, broken
    member, local, pair_of, total, per_pair = _per_supplier(sub.dual_group, sub.supplier, units)
    pair_group = np.zeros(len(per_pair), np.int64)
    pair_group[pair_of] = local
    deficit = np.maximum(sub.min_share * total[pair_group] - per_pair, 0.0)
    penalty = np.zeros(len(total))
    penalty[local] = sub.dual_penalty_usd_per_unit[member]
    order = np.lexsort((deficit, pair_group))
    rank = np.empty(len(order), np.int64)
    starts = np.searchsorted(pair_group[order], pair_group[order])
    rank[order] = np.arange(len(order)) - starts
    counted = deficit * (rank < 2)
    group_deficit = np.bincount(pair_group, weights=counted, minlength=len(total))
    group_broken = group_deficit > TOLERANCE_UNITS
    broken[member] = group_broken[local]
    return float(group_deficit @ penalty), broken
