"""The large-batch allocation: Lagrangian prices, a repaired allocation and a proven bound.

For batches beyond :attr:`AllocationRules.exact_up_to_orders` orders, where listing and
re-solving the LP of the exact path costs minutes:

1. every group's whole-order options, one parcel from ``w`` by ``s``, are priced once
   (:mod:`~shopops.planning.fulfillment.large_model`);
2. prices on outbound, pickup and tight stock rows are searched
   (:mod:`~shopops.planning.fulfillment.lagrangian`);
3. each group takes its cheapest priced option and overloads are repaired, least regret
   first (:mod:`~shopops.planning.fulfillment.repair`);
4. orders that cannot ship whole (no warehouse holds every line) or were left by the repair
   are split, each line its own parcel, over the capacity left (orders of at most
   ``max_parcels_per_order`` and ``max_lines_to_split`` lines); splits into blocks of
   several lines are left to the exact path;
   lines a split leaves, and single-line orders left, take stock freed by single-line
   orders of their SKU that move to another warehouse (:mod:`~shopops.planning.fulfillment.swap`);
   orders shipped whole that the bound would split take the cheapest split that fits and
   costs less (:mod:`~shopops.planning.fulfillment.heavy`);
5. the bound is the Lagrangian at the prices, over every option, splits included
   (:mod:`~shopops.planning.fulfillment.large_bound`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from shopops.planning.fulfillment.batch import IntArray, Network, Orders
from shopops.planning.fulfillment.heavy import split_heavy
from shopops.planning.fulfillment.lagrangian import Prices, search_prices
from shopops.planning.fulfillment.large_bound import lower_bound_usd, stock_usd
from shopops.planning.fulfillment.large_model import LargeModel, build_model, spans
from shopops.planning.fulfillment.plan import LinePlan
from shopops.planning.fulfillment.rates import RateTable
from shopops.planning.fulfillment.repair import LEFT, Items, Pieces, reinserted, repair, usage
from shopops.planning.fulfillment.rules import AllocationRules
from shopops.planning.fulfillment.split import split_orders, write_split
from shopops.planning.fulfillment.swap import (
    free_stock,
    units_left_per_sku,
    units_left_single,
)

HEAVY_PASSES = 3
"""Rounds of splitting whole-shipped orders: each frees the parcels of the orders it splits."""


@dataclass(frozen=True)
class LargeAllocation:
    plan: LinePlan
    lower_bound_usd: float
    groups: int
    rounds: int
    split_orders: int


def allocate_large(
    network: Network, orders: Orders, rates: RateTable, rules: AllocationRules
) -> LargeAllocation:
    """The allocation of the batch and a lower bound on its cost (module docstring)."""
    model = build_model(network, orders, rates, rules)
    search = search_prices(model)
    prices = search.prices
    capacity = np.concatenate([model.outbound, model.pickup, model.tight_stock])
    bound = lower_bound_usd(model, prices, network, rates, rules)
    count = model.lines.count
    may_split = (count >= 2) & (count <= rules.max_lines_to_split)
    first = np.flatnonzero(may_split & ~np.isfinite(model.whole_usd).any(axis=1))
    context = (network, orders, rates, rules)
    split, load = split_orders(model, context, prices, first, model.size[first], capacity)
    whole = _whole_items(model, prices)
    whole.count[first] = 0
    pieces = repair(whole, capacity - load)
    resplit = np.flatnonzero((pieces.option == LEFT) & may_split[pieces.item])
    groups, counts = pieces.item[resplit], pieces.count[resplit]
    left = capacity - load - usage(whole, pieces, len(capacity))
    more, more_load = split_orders(model, context, prices, groups, counts, left)
    wanted = units_left_per_sku(more, len(model.tight_row)) + units_left_single(model, pieces)
    if wanted.any():
        pieces = free_stock(model, whole, pieces, wanted, left)
        pieces = reinserted(whole, pieces, capacity - load)
        resplit = np.flatnonzero((pieces.option == LEFT) & may_split[pieces.item])
        groups, counts = pieces.item[resplit], pieces.count[resplit]
        left = capacity - load - usage(whole, pieces, len(capacity))
        more, more_load = split_orders(model, context, prices, groups, counts, left)
    slack = left - more_load
    heavy_plans = []
    for _ in range(HEAVY_PASSES):
        found = split_heavy(
            model, context, prices, (whole, pieces), bound.splits & may_split, slack
        )
        if found is None:
            break
        heavy_plan, pieces, slack = found
        heavy_plans.append(heavy_plan)
    plan = LinePlan.empty(len(orders.line_sku))
    by_group, group_start = _orders_by_group(orders)
    split_per_group = split.orders_per_group(len(model.size))
    write_split(plan, orders, split, group_start[:-1], by_group)
    more_per_group = more.orders_per_group(len(model.size))
    write_split(plan, orders, more, group_start[1:] - more_per_group, by_group)
    split_per_group += more_per_group
    taken_slots = more_per_group
    for heavy_plan in heavy_plans:
        heavy_per_group = heavy_plan.orders_per_group(len(model.size))
        taken_slots = taken_slots + heavy_per_group
        write_split(plan, orders, heavy_plan, group_start[1:] - taken_slots, by_group)
        split_per_group += heavy_per_group
    keep = np.flatnonzero((pieces.option != LEFT) | ~may_split[pieces.item])
    pieces = Pieces(pieces.item[keep], pieces.option[keep], pieces.count[keep])
    _write_whole(plan, model, orders, (by_group, group_start), pieces)
    return LargeAllocation(
        plan, bound.lower_bound_usd, len(model.size), search.rounds, int(split_per_group.sum())
    )


def _whole_items(model: LargeModel, prices: Prices) -> Items:
    """Every group as an item over its whole-order options."""
    n_g, n_w, n_s = len(model.size), model.warehouses, model.services
    priced = model.whole_usd + prices.option_usd(n_s)
    tight = np.flatnonzero((model.tight_row[model.lines.sku] >= 0).any(axis=1))
    tight_groups = np.unique(model.lines.group_of_line[tight])
    stock = stock_usd(model, prices, tight_groups)
    priced[tight_groups] += np.repeat(stock, n_s, axis=1)
    lines = model.lines
    tight_lines = (model.tight_row[lines.sku] >= 0).any(axis=1)
    start = np.zeros(n_g + 1, dtype=np.int64)
    np.cumsum(np.bincount(lines.group_of_line[tight_lines], minlength=n_g), out=start[1:])
    return Items(
        warehouses=n_w,
        services=n_s,
        count=model.size.copy(),
        cost_usd=model.whole_usd,
        priced_usd=priced,
        penalty_usd=model.unallocated_usd,
        tight_start=start,
        tight_rows=model.tight_row[lines.sku[tight_lines]],
        tight_units=lines.quantity[tight_lines].astype(np.float64),
    )


def _orders_by_group(orders: Orders) -> tuple[IntArray, IntArray]:
    """Orders sorted by group, and where each group's orders start in that list."""
    by_group = np.argsort(orders.group, kind="stable")
    start = np.zeros(len(orders.group_size) + 1, dtype=np.int64)
    np.cumsum(orders.group_size, out=start[1:])
    return by_group, start


def _write_whole(
    plan: LinePlan,
    model: LargeModel,
    orders: Orders,
    by_group: tuple[IntArray, IntArray],
    pieces: Pieces,
) -> None:
    """Give the first orders of each group the options of its pieces."""
    ranked = np.lexsort((pieces.option == LEFT, pieces.item))
    item, option, count = pieces.item[ranked], pieces.option[ranked], pieces.count[ranked]
    order_list, start = by_group
    offset = (
        np.cumsum(count)
        - count
        - np.concatenate([[0], np.cumsum(count)])[np.searchsorted(item, item, side="left")]
    )
    placed = option >= 0
    owner = np.repeat(np.flatnonzero(placed), count[placed])
    rank = spans(np.zeros(int(placed.sum()), dtype=np.int64), count[placed])
    order = order_list[start[item[owner]] + offset[owner] + rank]
    n_lines = orders.num_lines[order]
    line = spans(orders.line_start[order], n_lines)
    chosen = np.repeat(option[owner], n_lines)
    plan.warehouse[line] = chosen // model.services
    plan.service[line] = chosen % model.services
