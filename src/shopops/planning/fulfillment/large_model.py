"""The arrays of the large-batch allocation: each order group's whole-order options and
the stock rows that can bind.

A group (identical orders, :mod:`~shopops.planning.fulfillment.batch`) ships *whole* from
warehouse ``w`` by service ``s`` at ``whole_usd[g, w * S + s]`` — one parcel of all its
lines, ``inf`` where a line lacks stock at ``w`` or no service takes the parcel. A stock
row ``(k, w)`` is *tight* when it can bind (the warehouse holds less than the batch's demand
for ``k`` but at least its smallest line): only tight rows get a price and a check; the
others never bind (:func:`~shopops.planning.fulfillment.merge.free_stock_rows`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from shopops.planning.fulfillment.batch import FloatArray, IntArray, Network, Orders
from shopops.planning.fulfillment.merge import free_stock_rows
from shopops.planning.fulfillment.parcel_grid import parcel_cost_grid
from shopops.planning.fulfillment.rates import RateTable
from shopops.planning.fulfillment.rules import AllocationRules

CHUNK_ROWS = 32_768
"""Parcels priced at a time: temporaries stay small enough for the allocator to reuse."""


def spans(start: IntArray, count: IntArray) -> IntArray:
    """``start[i], start[i] + 1, ..., start[i] + count[i] - 1`` for every ``i``, in a row."""
    offset = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
    result: IntArray = np.repeat(start, count) + offset
    return result


@dataclass(frozen=True)
class GroupLines:
    """Lines of every group (those of its first order), in compressed rows."""

    start: IntArray
    sku: IntArray
    quantity: IntArray
    region: IntArray
    dispatch_by: np.ndarray
    deliver_by: np.ndarray

    @property
    def count(self) -> IntArray:
        return np.diff(self.start)

    @property
    def group_of_line(self) -> IntArray:
        return np.repeat(np.arange(len(self.start) - 1), self.count)


@dataclass(frozen=True)
class LargeModel:
    """Whole-order options, penalties and tight stock rows of a batch's groups."""

    warehouses: int
    services: int
    size: IntArray
    """Orders per group."""
    lines: GroupLines
    whole_usd: FloatArray
    """``whole_usd[g, w * S + s]``: the one-parcel cost of an order of ``g``."""
    unallocated_usd: FloatArray
    """Penalty of leaving every line of an order of ``g``."""
    unallocated_usd_per_unit: float
    loose_line: IntArray
    """Lines of the groups that cannot ship whole but may split (2 to
    ``max_lines_to_split`` lines), as positions in ``lines``."""
    loose_usd: FloatArray
    """``loose_usd[i, w * S + s]``: loose line ``i`` as its own parcel, plus its share of
    the split penalty."""
    split_usd: FloatArray
    """For the groups that can ship whole, may split and hold a tight line: each line on
    its cheapest parcel (or left), plus the split penalty — what the price search takes
    as their way out of a dear stock row; ``inf`` for the others."""
    tight_row: IntArray
    """``tight_row[k, w]``: position of the stock row among the tight ones, or -1."""
    tight_stock: FloatArray
    """Units of each tight row."""
    outbound: FloatArray
    pickup: FloatArray
    """``pickup[w * S + s]``."""

    @property
    def options(self) -> int:
        return self.warehouses * self.services


def group_lines(orders: Orders) -> GroupLines:
    """The lines of each group's first order."""
    first = orders.group_first_order
    count = orders.num_lines[first]
    start = np.zeros(len(first) + 1, dtype=np.int64)
    np.cumsum(count, out=start[1:])
    line = spans(orders.line_start[first], count)
    return GroupLines(
        start=start,
        sku=orders.line_sku[line],
        quantity=orders.line_quantity[line],
        region=orders.region[first],
        dispatch_by=orders.dispatch_by[first],
        deliver_by=orders.deliver_by[first],
    )


def build_model(
    network: Network, orders: Orders, rates: RateTable, rules: AllocationRules
) -> LargeModel:
    """Whole-order costs of every group, penalties, tight rows and capacities."""
    lines = group_lines(orders)
    group = lines.group_of_line
    n_g = len(lines.start) - 1
    units = np.bincount(group, weights=lines.quantity, minlength=n_g)
    weight = np.bincount(
        group, weights=lines.quantity * network.sku_weight_kg[lines.sku], minlength=n_g
    )
    volume = np.bincount(
        group, weights=lines.quantity * network.sku_volume_cm3[lines.sku], minlength=n_g
    )
    whole = price_contents(
        network,
        rates,
        rules,
        region=lines.region,
        units=units.astype(np.int64),
        weight_kg=weight,
        volume_cm3=volume,
        dispatch_by=lines.dispatch_by,
        deliver_by=lines.deliver_by,
    )
    n_w = network.num_warehouses
    short = network.stock_units[lines.sku] < lines.quantity[:, None]
    lacking = np.zeros((n_g, n_w), dtype=bool)
    for w in range(n_w):
        lacking[:, w] = np.bincount(group, weights=short[:, w], minlength=n_g) > 0
    whole.reshape(n_g, n_w, -1)[lacking] = np.inf
    free = free_stock_rows(network, orders)
    tight = ~free
    tight_row = np.full(tight.shape, -1, dtype=np.int64)
    tight_row[tight] = np.arange(int(tight.sum()))
    count = lines.count
    loose = np.flatnonzero(
        (count >= 2) & (count <= rules.max_lines_to_split) & ~np.isfinite(whole).any(axis=1)
    )
    loose_line = spans(lines.start[loose], count[loose])
    holds_tight = np.bincount(group, weights=tight[lines.sku].any(axis=1), minlength=n_g) > 0
    splits = np.flatnonzero(
        (count >= 2) & (count <= rules.max_lines_to_split) & holds_tight
        & np.isfinite(whole).any(axis=1)
    )  # fmt: skip
    return LargeModel(
        warehouses=n_w,
        services=network.num_services,
        size=orders.group_size,
        lines=lines,
        whole_usd=whole,
        unallocated_usd=(rules.unallocated_penalty_usd_per_unit * units).astype(np.float64),
        unallocated_usd_per_unit=rules.unallocated_penalty_usd_per_unit,
        loose_line=loose_line,
        loose_usd=_line_usd(network, rates, rules, lines, loose_line),
        split_usd=_split_usd(network, rates, rules, lines, splits),
        tight_row=tight_row,
        tight_stock=network.stock_units[tight].astype(np.float64),
        outbound=network.outbound_capacity.astype(np.float64),
        pickup=network.pickup_capacity.ravel().astype(np.float64),
    )


def _line_usd(
    network: Network,
    rates: RateTable,
    rules: AllocationRules,
    lines: GroupLines,
    line: IntArray,
) -> FloatArray:
    """Each of ``line`` as its own parcel (``inf`` where the stock is short), plus its share
    of its order's split penalty."""
    owner = lines.group_of_line[line]
    sku, quantity = lines.sku[line], lines.quantity[line]
    cost = price_contents(
        network,
        rates,
        rules,
        region=lines.region[owner],
        units=quantity,
        weight_kg=quantity * network.sku_weight_kg[sku],
        volume_cm3=quantity * network.sku_volume_cm3[sku],
        dispatch_by=lines.dispatch_by[owner],
        deliver_by=lines.deliver_by[owner],
    )
    short = np.repeat(network.stock_units[sku] < quantity[:, None], network.num_services, axis=1)
    cost[short] = np.inf
    count = lines.count[owner]
    share = rules.split_penalty_usd_per_parcel * (count - 1) / count
    with_share: FloatArray = cost + share[:, None]
    return with_share


def _split_usd(
    network: Network,
    rates: RateTable,
    rules: AllocationRules,
    lines: GroupLines,
    groups: IntArray,
) -> FloatArray:
    """Each line of ``groups`` on its cheapest parcel or left, plus the split penalty
    (``inf`` for the other groups)."""
    split = np.full(len(lines.start) - 1, np.inf)
    line = spans(lines.start[groups], lines.count[groups])
    per_line = np.minimum(
        _line_usd(network, rates, rules, lines, line).min(axis=1, initial=np.inf),
        rules.unallocated_penalty_usd_per_unit * lines.quantity[line],
    )
    owner = np.repeat(np.arange(len(groups)), lines.count[groups])
    split[groups] = np.bincount(owner, weights=per_line, minlength=len(groups))
    return split


def price_contents(
    network: Network,
    rates: RateTable,
    rules: AllocationRules,
    *,
    region: IntArray,
    units: np.ndarray,
    weight_kg: np.ndarray,
    volume_cm3: np.ndarray,
    dispatch_by: np.ndarray,
    deliver_by: np.ndarray,
) -> FloatArray:
    """``cost[i, w * S + s]`` of parcels with the given contents, priced in chunks."""
    n, n_ws = len(region), network.num_warehouses * network.num_services
    cost = np.empty((n, n_ws))
    for at in range(0, n, CHUNK_ROWS):
        part = slice(at, min(at + CHUNK_ROWS, n))
        cost[part] = parcel_cost_grid(
            network,
            rates,
            rules,
            region=region[part],
            units=units[part],
            weight_kg=weight_kg[part],
            volume_cm3=volume_cm3[part],
            dispatch_by=dispatch_by[part],
            deliver_by=deliver_by[part],
        ).reshape(-1, n_ws)
    return cost
