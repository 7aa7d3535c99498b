"""Orders shipped whole that cost less split: heavy multi-line orders sent as two lighter
parcels.

The bound marks the groups whose cheapest column at the prices is not the whole order. Their
orders placed whole (groups on one option) take the cheapest column at the prices that fits
in the slack left (:func:`~shopops.planning.fulfillment.split.split_orders`); a column is
kept only where it costs less than the whole order, ``column cost < whole cost``, and the
orders it takes give back their whole parcel. The split columns fit in the slack before the
whole parcels are given back, so capacities stay exact; each pass frees room for the next.
"""

from __future__ import annotations

import numpy as np

from shopops.planning.fulfillment.batch import FloatArray, Network, Orders
from shopops.planning.fulfillment.lagrangian import Prices
from shopops.planning.fulfillment.large_bound import BoolArray
from shopops.planning.fulfillment.large_model import LargeModel
from shopops.planning.fulfillment.rates import RateTable
from shopops.planning.fulfillment.repair import Items, Pieces, merged, usage
from shopops.planning.fulfillment.rules import AllocationRules
from shopops.planning.fulfillment.split import SplitPlan, split_load, split_orders


def split_heavy(
    model: LargeModel,
    context: tuple[Network, Orders, RateTable, AllocationRules],
    prices: Prices,
    whole: tuple[Items, Pieces],
    marked: BoolArray,
    slack: FloatArray,
) -> tuple[SplitPlan, Pieces, FloatArray] | None:
    """The columns of the whole-shipped orders of the ``marked`` groups that gain by
    splitting, the pieces then and the slack left, or ``None`` when that saves nothing
    (module docstring)."""
    items, pieces = whole
    placed = pieces.option >= 0
    once = np.bincount(pieces.item[placed], minlength=len(marked)) == 1
    taken = placed & marked[pieces.item] & once[pieces.item]
    chosen = np.flatnonzero(taken)
    if len(chosen) == 0:
        return None
    item, option, count = pieces.item[chosen], pieces.option[chosen], pieces.count[chosen]
    whole_usd = np.full(len(marked), np.inf)
    whole_usd[item] = items.cost_usd[item, option]
    rest = Pieces(pieces.item[~taken], pieces.option[~taken], pieces.count[~taken])
    freed = slack + usage(items, pieces, len(slack)) - usage(items, rest, len(slack))
    plan, _ = split_orders(model, context, prices, item, count, slack)
    kept = _cheaper(plan, whole_usd)
    split_count = kept.orders_per_group(len(marked))
    back = Pieces(item, option, count - split_count[item])
    left = freed - usage(items, back, len(slack)) - split_load(model, context, kept)
    if (left < -1e-9).any() or not split_count.any():
        return None
    return kept, merged(_joined(rest, back)), left


def _joined(first: Pieces, second: Pieces) -> Pieces:
    return Pieces(
        np.concatenate([first.item, second.item]),
        np.concatenate([first.option, second.option]),
        np.concatenate([first.count, second.count]),
    )


def _cheaper(plan: SplitPlan, whole_usd: FloatArray) -> SplitPlan:
    """``plan`` with only the columns that cost less than their group's whole order."""
    kept = SplitPlan(plan.classes, [], [], [], [])
    for which, columns, group, count in zip(
        plan.which, plan.columns, plan.group, plan.count, strict=True
    ):
        keep = np.flatnonzero((columns.cost < whole_usd[group] - 1e-9) & (count > 0))
        kept.which.append(which)
        kept.columns.append(columns.take(keep))
        kept.group.append(group[keep])
        kept.count.append(count[keep])
    return kept
