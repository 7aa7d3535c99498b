"""The options of each order group: which lines ship from which warehouse, by which service.

An option (a *column*) of a group with ``L`` lines is a partition of some of its lines into
at most ``max_parcels_per_order`` blocks, each block one parcel from its own warehouse by
one service; lines outside the partition are left unallocated at their penalty. Groups are
handled by *class* (their number of lines), with the parcel cost of every block ``mask``
(a set of lines, as a bit mask), warehouse and service precomputed once:
``cost[g, m, w, s]`` (``inf`` where a line of the block has too little stock at ``w`` or no
service takes the parcel). Orders with more than ``max_lines_to_split`` lines ship whole.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from shopops.planning.fulfillment.batch import FloatArray, IntArray, Network, Orders
from shopops.planning.fulfillment.parcel_grid import parcel_cost_grid
from shopops.planning.fulfillment.rates import RateTable
from shopops.planning.fulfillment.rules import AllocationRules

BoolArray = NDArray[np.bool_]


@dataclass(frozen=True)
class LineClass:
    """Groups with the same number of lines, their partitions and parcel costs."""

    lines: int
    groups: IntArray
    """Global group ids of the class."""
    masks: IntArray
    """Block masks used by the partitions (bit ``l`` set: line ``l`` in the block)."""
    mask_lines: BoolArray
    """``mask_lines[m, l]``: line ``l`` is in block mask ``m``."""
    partition_blocks: IntArray
    """``partition_blocks[p, i]``: position in ``masks`` of block ``i`` of partition ``p``
    (-1 past its last block)."""
    line_sku: IntArray
    line_quantity: IntArray
    cost: FloatArray
    """``cost[g, m, w, s]``: the parcel of block ``m`` of group ``g`` from ``w`` by ``s``."""
    unallocated_usd: FloatArray
    """``unallocated_usd[g, p]``: penalty of the lines partition ``p`` leaves out."""

    @property
    def size(self) -> int:
        return len(self.groups)

    def blocks(self, partition: int) -> list[int]:
        return [int(m) for m in self.partition_blocks[partition] if m >= 0]


def partitions(lines: int, max_blocks: int, *, split: bool) -> list[tuple[int, ...]]:
    """Partitions (as block masks) of every subset of ``lines`` lines into at most
    ``max_blocks`` blocks; without ``split``, only the whole order or nothing."""
    full = (1 << lines) - 1
    if not split:
        return [(), (full,)]
    result: list[tuple[int, ...]] = []
    for subset in range(full + 1):
        members = [line for line in range(lines) if subset >> line & 1]
        result.extend(_set_partitions(members, max_blocks))
    return result


def _set_partitions(members: list[int], max_blocks: int) -> list[tuple[int, ...]]:
    if not members:
        return [()]
    first, rest = members[0], members[1:]
    found: list[tuple[int, ...]] = []
    for partial in _set_partitions(rest, max_blocks):
        for i in range(len(partial)):
            found.append((*partial[:i], partial[i] | 1 << first, *partial[i + 1 :]))
        if len(partial) < max_blocks:
            found.append((1 << first, *partial))
    return found


def build_classes(
    network: Network, orders: Orders, rates: RateTable, rules: AllocationRules
) -> list[LineClass]:
    """One :class:`LineClass` per number of lines present among the groups."""
    first = orders.group_first_order
    n_lines = orders.num_lines[first]
    return [
        _build_class(network, orders, rates, rules, np.flatnonzero(n_lines == lines), lines)
        for lines in np.unique(n_lines)
        if lines > 0
    ]


def _build_class(
    network: Network,
    orders: Orders,
    rates: RateTable,
    rules: AllocationRules,
    groups: IntArray,
    lines: int,
) -> LineClass:
    parts = partitions(lines, rules.max_parcels_per_order, split=lines <= rules.max_lines_to_split)
    masks = np.array(sorted({m for part in parts for m in part}), dtype=np.int64)
    position = {int(m): i for i, m in enumerate(masks)}
    width = max((len(part) for part in parts), default=0)
    blocks = np.full((len(parts), max(width, 1)), -1, dtype=np.int64)
    for p, part in enumerate(parts):
        blocks[p, : len(part)] = [position[m] for m in part]
    mask_lines = (masks[:, None] >> np.arange(lines)[None, :] & 1).astype(bool)
    order = orders.group_first_order[groups]
    line_index = orders.line_start[order][:, None] + np.arange(lines)[None, :]
    sku, quantity = orders.line_sku[line_index], orders.line_quantity[line_index]
    covered = np.array([sum(part) for part in parts], dtype=np.int64)
    left_out = ~(covered[:, None] >> np.arange(lines)[None, :] & 1).astype(bool)
    unallocated = rules.unallocated_penalty_usd_per_unit * (quantity @ left_out.T.astype(np.int64))
    return LineClass(
        lines=lines,
        groups=groups,
        masks=masks,
        mask_lines=mask_lines,
        partition_blocks=blocks,
        line_sku=sku,
        line_quantity=quantity,
        cost=_block_costs(network, orders, rates, rules, groups, sku, quantity, mask_lines),
        unallocated_usd=unallocated.astype(np.float64),
    )


def _block_costs(
    network: Network,
    orders: Orders,
    rates: RateTable,
    rules: AllocationRules,
    groups: IntArray,
    sku: IntArray,
    quantity: IntArray,
    mask_lines: BoolArray,
) -> FloatArray:
    """``cost[g, m, w, s]``: :func:`~shopops.planning.fulfillment.costs.price_parcels`'
    numbers, by :func:`~shopops.planning.fulfillment.parcel_grid.parcel_cost_grid`."""
    n_w, n_s = network.num_warehouses, network.num_services
    first = orders.group_first_order[groups]
    in_mask = mask_lines.astype(np.float64)
    units = quantity.astype(np.float64) @ in_mask.T
    weight = (quantity * network.sku_weight_kg[sku]) @ in_mask.T
    volume = (quantity * network.sku_volume_cm3[sku]) @ in_mask.T
    n_g, n_m = units.shape
    cost = parcel_cost_grid(
        network,
        rates,
        rules,
        region=np.repeat(orders.region[first], n_m),
        units=units.astype(np.int64).ravel(),
        weight_kg=weight.ravel(),
        volume_cm3=volume.ravel(),
        dispatch_by=np.repeat(orders.dispatch_by[first], n_m),
        deliver_by=np.repeat(orders.deliver_by[first], n_m),
    ).reshape(n_g, n_m, n_w, n_s)
    short = network.stock_units[sku] < quantity[:, :, None]
    lacking = np.einsum("glw,ml->gmw", short.astype(np.int64), mask_lines.astype(np.int64)) > 0
    return np.where(lacking[..., None], np.inf, cost)
