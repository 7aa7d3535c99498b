"""Merge order groups that no remaining constraint can tell apart (exact aggregation).

A stock row ``(k, w)`` can never bind when the warehouse holds at least the batch's whole
demand for SKU ``k``, or less than the smallest quantity any line asks (then no line can use
it); such rows are *free* and get infinite capacity. Two groups with the same number of lines
whose SKUs only meet free stock rows, and whose parcel costs ``cost[m, w, s]`` and
unallocated penalties are equal, have identical columns, so they are one LP row: the batch's
thousands of SKUs collapse into a few cost profiles (region, promise, weight band, units).
"""

from __future__ import annotations

import dataclasses

import numpy as np
from numpy.typing import NDArray

from shopops.planning.fulfillment.batch import Network, Orders
from shopops.planning.fulfillment.options import LineClass

BoolArray = NDArray[np.bool_]


def free_stock_rows(network: Network, orders: Orders) -> BoolArray:
    """``free[k, w]``: the stock row of SKU ``k`` at ``w`` can never bind in this batch."""
    skus = network.stock_units.shape[0]
    demand = np.bincount(orders.line_sku, weights=orders.line_quantity, minlength=skus)
    smallest = np.full(skus, np.iinfo(np.int64).max)
    np.minimum.at(smallest, orders.line_sku, orders.line_quantity)
    stock = network.stock_units
    free: BoolArray = (stock >= demand[:, None]) | (stock < smallest[:, None])
    return free


def merge_groups(orders: Orders, classes: list[LineClass], free: BoolArray) -> Orders:
    """``orders`` with interchangeable groups merged (ids renumbered, sizes summed)."""
    relabel = np.arange(len(orders.group_size), dtype=np.int64)
    for lines in classes:
        mergeable = np.flatnonzero(free[lines.line_sku].all(axis=(1, 2)))
        if len(mergeable) < 2:
            continue
        profile = np.concatenate(
            [
                lines.cost[mergeable].reshape(len(mergeable), -1),
                lines.unallocated_usd[mergeable],
            ],
            axis=1,
        )
        raw = np.ascontiguousarray(profile).view(
            np.dtype((np.void, profile.dtype.itemsize * profile.shape[1]))
        )
        _, first, inverse = np.unique(raw.ravel(), return_index=True, return_inverse=True)
        groups = lines.groups[mergeable]
        relabel[groups] = groups[first][inverse.ravel()]
    _, group = np.unique(relabel[orders.group], return_inverse=True)
    group = group.astype(np.int64).ravel()
    size = np.bincount(group).astype(np.int64)
    first_order = np.full(len(size), len(group), dtype=np.int64)
    np.minimum.at(first_order, group, np.arange(len(group), dtype=np.int64))
    merged: Orders = dataclasses.replace(
        orders, group=group, group_first_order=first_order, group_size=size
    )
    return merged
