"""Columns of the order groups, their resource use, and pricing them against resource prices.

Resources are rows ``A x <= b``: the stock of each SKU at each warehouse (units), each
warehouse's outbound capacity (parcels) and each service's pickup capacity at each
warehouse (parcels). With prices ``y >= 0`` on them, a column's *priced cost* is
``cost + A_j . y``; the cheapest column of a group minimises it. Per partition of the lines
into ``t`` blocks the cheapest choice of distinct warehouses uses, for each block, one of
its ``t`` cheapest warehouses (swap any other for an unused one of those), so ``t^t``
combinations suffice.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from shopops.planning.fulfillment.batch import FloatArray, IntArray, Network
from shopops.planning.fulfillment.options import LineClass


@dataclass(frozen=True)
class Resources:
    """Row layout and capacities: stock ``k * W + w``, then outbound ``w``, then pickup
    ``w * S + s``."""

    skus: int
    warehouses: int
    services: int
    capacity: FloatArray

    @classmethod
    def of(cls, network: Network) -> Resources:
        capacity = np.concatenate(
            [
                network.stock_units.ravel(),
                network.outbound_capacity,
                network.pickup_capacity.ravel(),
            ]
        ).astype(np.float64)
        return cls(len(network.sku_ids) + 1, network.num_warehouses, network.num_services, capacity)

    @property
    def outbound_start(self) -> int:
        return self.skus * self.warehouses

    @property
    def pickup_start(self) -> int:
        return self.outbound_start + self.warehouses

    def split(self, prices: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Stock ``[k, w]``, outbound ``[w]`` and pickup ``[w, s]`` parts of ``prices``."""
        stock = prices[: self.outbound_start].reshape(self.skus, self.warehouses)
        outbound = prices[self.outbound_start : self.pickup_start]
        pickup = prices[self.pickup_start :].reshape(self.warehouses, self.services)
        return stock, outbound, pickup


@dataclass(frozen=True)
class Columns:
    """Columns of one class: ``local`` group, ``partition``, warehouse and service per block
    (-1 past the last block), ``cost`` without prices."""

    local: IntArray
    partition: IntArray
    warehouse: IntArray
    service: IntArray
    cost: FloatArray

    def take(self, keep: IntArray) -> Columns:
        return Columns(
            self.local[keep],
            self.partition[keep],
            self.warehouse[keep],
            self.service[keep],
            self.cost[keep],
        )

    @staticmethod
    def concat(parts: list[Columns]) -> Columns:
        return Columns(
            *(np.concatenate([getattr(p, f) for p in parts]) for f in Columns.__annotations__)
        )


def priced_blocks(
    lines: LineClass, local: IntArray, resources: Resources, prices: FloatArray
) -> FloatArray:
    """``q[g, m, w, s]``: block cost plus the prices of the stock, outbound and pickup it uses."""
    stock, outbound, pickup = resources.split(prices)
    per_line = stock[lines.line_sku[local]] * lines.line_quantity[local][:, :, None]
    stock_part = np.einsum("glw,ml->gmw", per_line, lines.mask_lines.astype(np.float64))
    priced: FloatArray = (
        lines.cost[local] + (outbound[:, None] + pickup)[None, None, :, :] + stock_part[..., None]
    )
    return priced


def cheapest_columns(
    lines: LineClass,
    local: IntArray,
    resources: Resources,
    prices: FloatArray,
    split_penalty_usd: float,
) -> tuple[Columns, FloatArray]:
    """The column of least priced cost of each group in ``local``, and that priced cost."""
    q = priced_blocks(lines, local, resources, prices)
    block_value, block_service = q.min(axis=3), q.argmin(axis=3)
    n, width = len(local), lines.partition_blocks.shape[1]
    best = np.full(n, np.inf)
    best_part = np.zeros(n, dtype=np.int64)
    best_w = np.full((n, width), -1, dtype=np.int64)
    rows = np.arange(n)
    for p in range(len(lines.partition_blocks)):
        blocks = lines.blocks(p)
        value, chosen = _cheapest_distinct(block_value[:, blocks, :])
        value = (
            value + lines.unallocated_usd[local, p] + split_penalty_usd * max(len(blocks) - 1, 0)
        )
        better = value < best
        best = np.where(better, value, best)
        best_part[better] = p
        best_w[better] = -1
        best_w[better, : len(blocks)] = chosen[better]
    best_s = np.full((n, width), -1, dtype=np.int64)
    for i in range(width):
        block = lines.partition_blocks[best_part, i]
        used = block >= 0
        best_s[used, i] = block_service[rows[used], block[used], best_w[used, i]]
    columns = Columns(local, best_part, best_w, best_s, np.zeros(n))
    return _with_cost(lines, columns, split_penalty_usd), best


def _cheapest_distinct(values: FloatArray) -> tuple[FloatArray, IntArray]:
    """Least ``sum_i values[g, i, w_i]`` over distinct ``w_i``, and the ``w_i``."""
    n, t, n_w = values.shape
    if t == 0:
        return np.zeros(n), np.zeros((n, 0), dtype=np.int64)
    if t > n_w:
        return np.full(n, np.inf), np.zeros((n, t), dtype=np.int64)
    if t == 1:
        return values[:, 0, :].min(axis=1), values[:, 0, :].argmin(axis=1)[:, None]
    top = np.argsort(values, axis=2, kind="stable")[:, :, :t]
    best, best_w = np.full(n, np.inf), np.zeros((n, t), dtype=np.int64)
    rows = np.arange(n)[:, None]
    for ranks in itertools.product(range(t), repeat=t):
        chosen = top[rows, np.arange(t)[None, :], np.array(ranks)[None, :]]
        value = values[rows, np.arange(t)[None, :], chosen].sum(axis=1)
        distinct = np.all(np.diff(np.sort(chosen, axis=1), axis=1) > 0, axis=1)
        value = np.where(distinct, value, np.inf)
        better = value < best
        best = np.where(better, value, best)
        best_w[better] = chosen[better]
    return best, best_w


def _with_cost(lines: LineClass, columns: Columns, split_penalty_usd: float) -> Columns:
    """``columns`` with their cost (blocks' parcels, penalties) filled in."""
    cost = lines.unallocated_usd[columns.local, columns.partition].copy()
    blocks = lines.partition_blocks[columns.partition]
    used = blocks >= 0
    parcels = used.sum(axis=1)
    cost += split_penalty_usd * np.maximum(parcels - 1, 0)
    for i in range(blocks.shape[1]):
        on = used[:, i]
        cost[on] += lines.cost[
            columns.local[on], blocks[on, i], columns.warehouse[on, i], columns.service[on, i]
        ]
    return Columns(columns.local, columns.partition, columns.warehouse, columns.service, cost)


def column_usage(
    lines: LineClass, columns: Columns, resources: Resources
) -> tuple[IntArray, IntArray, FloatArray]:
    """``(column, row, amount)`` of each column's use of stock, outbound and pickup rows."""
    blocks = lines.partition_blocks[columns.partition]
    col, row, amount = [], [], []
    index = np.arange(len(columns.local))
    for i in range(blocks.shape[1]):
        on = blocks[:, i] >= 0
        w, s = columns.warehouse[on, i], columns.service[on, i]
        col += [index[on], index[on]]
        row += [resources.outbound_start + w, resources.pickup_start + w * resources.services + s]
        amount += [np.ones(on.sum()), np.ones(on.sum())]
        for line in range(lines.lines):
            has = lines.mask_lines[blocks[on, i], line]
            sku = lines.line_sku[columns.local[on][has], line]
            col.append(index[on][has])
            row.append(sku * resources.warehouses + w[has])
            amount.append(lines.line_quantity[columns.local[on][has], line].astype(np.float64))
    if not col:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
    return np.concatenate(col), np.concatenate(row), np.concatenate(amount)


def columns_within(
    lines: LineClass,
    local: IntArray,
    resources: Resources,
    prices: FloatArray,
    limit: FloatArray,
    split_penalty_usd: float,
) -> Columns:
    """Every column of the groups ``local`` whose priced cost is at most ``limit`` (per group)."""
    q = priced_blocks(lines, local, resources, prices)
    n_w, n_s = resources.warehouses, resources.services
    found: list[Columns] = []
    width = lines.partition_blocks.shape[1]
    for p in range(len(lines.partition_blocks)):
        blocks = lines.blocks(p)
        base = lines.unallocated_usd[local, p] + split_penalty_usd * max(len(blocks) - 1, 0)
        pairs = list(itertools.product(range(n_w), range(n_s)))
        for combo in itertools.product(pairs, repeat=len(blocks)):
            ws = [w for w, _ in combo]
            if len(set(ws)) < len(ws):
                continue
            value = base + sum(q[:, m, w, s] for m, (w, s) in zip(blocks, combo, strict=True))
            keep = np.flatnonzero(np.isfinite(value) & (value <= limit))
            if len(keep) == 0:
                continue
            warehouse = np.full((len(keep), width), -1, dtype=np.int64)
            service = np.full((len(keep), width), -1, dtype=np.int64)
            warehouse[:, : len(blocks)] = ws
            service[:, : len(blocks)] = [s for _, s in combo]
            found.append(
                Columns(local[keep], np.full(len(keep), p), warehouse, service, np.zeros(len(keep)))
            )
    if not found:
        empty = np.zeros((0, width), dtype=np.int64)
        return Columns(np.zeros(0, np.int64), np.zeros(0, np.int64), empty, empty, np.zeros(0))
    return _with_cost(lines, Columns.concat(found), split_penalty_usd)
