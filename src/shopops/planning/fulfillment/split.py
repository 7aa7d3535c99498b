"""Orders that cannot ship whole: each takes the cheapest column of the whole option set
that still fits.

Used by the large path for the groups with no whole-order option (no warehouse holds every
line) and for those the repair had to leave. Their columns — partitions of their lines into
parcels from distinct warehouses, lines left at their penalty — are priced with
:func:`~shopops.planning.fulfillment.pricing.cheapest_columns` at the Lagrangian prices,
with ``BLOCKED_USD`` on every row that has no room left. Each round every waiting group
takes its cheapest column and the rows accept orders up to their slack, in turn; what does
not fit waits for the next round with the full rows blocked. After ``ROUNDS`` the orders
still waiting are left unallocated.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from shopops.planning.fulfillment.batch import FloatArray, IntArray, Network, Orders
from shopops.planning.fulfillment.lagrangian import Prices
from shopops.planning.fulfillment.large_model import LargeModel, spans
from shopops.planning.fulfillment.options import LineClass, build_classes
from shopops.planning.fulfillment.plan import LinePlan
from shopops.planning.fulfillment.pricing import Columns, Resources, cheapest_columns, column_usage
from shopops.planning.fulfillment.rates import RateTable
from shopops.planning.fulfillment.rules import AllocationRules

ROUNDS = 8
BLOCKED_USD = 1e7


@dataclass(frozen=True)
class SplitPlan:
    """Columns taken by the split groups: per class, the group of each column and how many
    of its orders take it."""

    classes: list[LineClass]
    which: list[int]
    """Class of each entry of ``columns``."""
    columns: list[Columns]
    group: list[IntArray]
    count: list[IntArray]

    def orders_per_group(self, groups: int) -> IntArray:
        total = np.zeros(groups, dtype=np.int64)
        for group, count in zip(self.group, self.count, strict=True):
            np.add.at(total, group, count)
        return total


def split_orders(
    model: LargeModel,
    context: tuple[Network, Orders, RateTable, AllocationRules],
    prices: Prices,
    groups: IntArray,
    counts: IntArray,
    capacity: FloatArray,
) -> tuple[SplitPlan, FloatArray]:
    """Columns for ``counts`` orders of each of ``groups``, and the load they put on every
    row (rows of :mod:`~shopops.planning.fulfillment.repair`)."""
    network, orders, rates, rules = context
    sub = dataclasses.replace(
        orders, group_first_order=orders.group_first_order[groups], group_size=counts
    )
    classes = build_classes(network, sub, rates, rules) if len(groups) else []
    resources = Resources.of(network)
    row_map = _row_map(model, resources)
    load = np.zeros(len(capacity))
    plan = SplitPlan(classes, [], [], [], [])
    for which, lines in enumerate(classes):
        waiting = np.arange(lines.size)
        left = counts[lines.groups].copy()
        for _ in range(ROUNDS):
            if len(waiting) == 0:
                break
            blocked = _prices(model, resources, prices, capacity - load)
            columns, _ = cheapest_columns(
                lines, waiting, resources, blocked, rules.split_penalty_usd_per_parcel
            )
            taken, use = _fit(lines, columns, resources, row_map, left[waiting], capacity - load)
            load += use
            plan.which.append(which)
            plan.columns.append(columns)
            plan.group.append(groups[lines.groups[waiting]])
            plan.count.append(taken)
            left[waiting] -= taken
            waiting = waiting[left[waiting] > 0]
        if len(waiting):
            plan.which.append(which)
            plan.columns.append(_left_column(lines, waiting))
            plan.group.append(groups[lines.groups[waiting]])
            plan.count.append(left[waiting])
    return plan, load


def _row_map(model: LargeModel, resources: Resources) -> IntArray:
    """Row of the repair layout of every row of ``resources`` (-1: a stock row that
    cannot bind)."""
    n_w, n_o = model.warehouses, model.options
    stock = model.tight_row.ravel()
    return np.concatenate(
        [np.where(stock >= 0, n_w + n_o + stock, -1), np.arange(n_w), n_w + np.arange(n_o)]
    )


def _prices(
    model: LargeModel, resources: Resources, prices: Prices, slack: FloatArray
) -> FloatArray:
    """The Lagrangian prices in the layout of ``resources``, ``BLOCKED_USD`` on full rows."""
    n_w, n_o = model.warehouses, model.options
    tight = model.tight_row.ravel()
    stock = np.where(tight >= 0, np.append(prices.stock, 0.0)[tight], 0.0)
    full = np.concatenate([stock, prices.outbound, prices.pickup])
    room = np.concatenate(
        [
            np.where(tight >= 0, np.append(slack[n_w + n_o :], np.inf)[tight], np.inf),
            slack[: n_w + n_o],
        ]
    )
    full[room < 1.0] = BLOCKED_USD
    return full


def _fit(
    lines: LineClass,
    columns: Columns,
    resources: Resources,
    row_map: IntArray,
    wanted: IntArray,
    slack: FloatArray,
) -> tuple[IntArray, FloatArray]:
    """Orders of each column the rows take, in turn up to their slack, and their load."""
    column, row, amount = column_usage(lines, columns, resources)
    row = row_map[row]
    keep = row >= 0
    column, row, amount = column[keep], row[keep], amount[keep]
    order = np.lexsort((column, row))
    column, row, amount = column[order], row[order], amount[order]
    volume = amount * wanted[column]
    cumulative = np.cumsum(volume)
    start = np.searchsorted(row, row, side="left")
    before = cumulative - volume - np.concatenate([[0.0], cumulative])[start]
    fits = np.floor((np.maximum(slack[row], 0.0) - before) / amount + 1e-9)
    taken = wanted.astype(np.float64)
    np.minimum.at(taken, column, np.maximum(fits, 0.0))
    accepted = taken.astype(np.int64)
    use = np.bincount(row, weights=amount * accepted[column], minlength=len(slack))
    return accepted, use.astype(np.float64)


def _left_column(lines: LineClass, local: IntArray) -> Columns:
    """Every line left (the empty partition, always the first)."""
    width = lines.partition_blocks.shape[1]
    return Columns(
        local,
        np.zeros(len(local), dtype=np.int64),
        np.full((len(local), width), -1, dtype=np.int64),
        np.full((len(local), width), -1, dtype=np.int64),
        lines.unallocated_usd[local, 0],
    )


def write_split(
    plan: LinePlan, orders: Orders, split: SplitPlan, first_slot: IntArray, by_group: IntArray
) -> None:
    """Give the orders of each split group, from ``first_slot[g]`` in ``by_group`` on, the
    columns of ``split``, piece after piece."""
    next_slot = first_slot.copy()
    for which, columns, group, count in zip(
        split.which, split.columns, split.group, split.count, strict=True
    ):
        lines = split.classes[which]
        slot = np.repeat(next_slot[group], count) + spans(np.zeros(len(count), np.int64), count)
        np.add.at(next_slot, group, count)
        order = by_group[slot]
        column = np.repeat(np.arange(len(count)), count)
        blocks = lines.partition_blocks[columns.partition[column]]
        for line in range(lines.lines):
            warehouse = np.full(len(column), -1, dtype=np.int64)
            service = np.full(len(column), -1, dtype=np.int64)
            for i in range(blocks.shape[1]):
                inside = (blocks[:, i] >= 0) & lines.mask_lines[np.maximum(blocks[:, i], 0), line]
                warehouse[inside] = columns.warehouse[column[inside], i]
                service[inside] = columns.service[column[inside], i]
            at = orders.line_start[order] + line
            plan.warehouse[at] = warehouse
            plan.service[at] = service


def split_load(
    model: LargeModel, context: tuple[Network, Orders, RateTable, AllocationRules], plan: SplitPlan
) -> FloatArray:
    """Load of the columns of ``plan`` on every row (rows of
    :mod:`~shopops.planning.fulfillment.repair`)."""
    resources = Resources.of(context[0])
    row_map = _row_map(model, resources)
    rows = model.warehouses + model.options + len(model.tight_stock)
    load = np.zeros(rows)
    for which, columns, count in zip(plan.which, plan.columns, plan.count, strict=True):
        column, row, amount = column_usage(plan.classes[which], columns, resources)
        row = row_map[row]
        keep = row >= 0
        load += np.bincount(row[keep], weights=amount[keep] * count[column[keep]], minlength=rows)
    return load
