"""Serving order lines from stock: the nearest warehouse that has it, else the next.

Lines are served in order time. In round k every line still unserved tries the k-th
nearest warehouse to its region; within one SKU and warehouse, lines are taken in order
as long as their running total fits the stock on hand. Lines no warehouse can serve are
cancelled as stock-outs. Promised dates follow the marketplace's rule: dispatch within two
business days; delivery one business day of handling plus the ground transit time
from the nearest warehouse.
"""

from __future__ import annotations

import numpy as np

from shopops.data.synth.columns import cumsum_within_groups

DISPATCH_BUSINESS_DAYS = 2
HANDLING_BUSINESS_DAYS = 1
"""The delivery promise counts one business day of handling before transit."""
STANDARD_TRANSIT_DAYS = np.array([0, 1, 1, 2, 3, 4, 4, 5, 5])
"""The marketplace's ground transit promise by zone (index = zone)."""


def allocate(
    sku: np.ndarray,
    quantity: np.ndarray,
    region: np.ndarray,
    active: np.ndarray,
    on_hand: np.ndarray,
    rank: np.ndarray,
) -> np.ndarray:
    """Warehouse serving each line (-1: none could); takes the units off ``on_hand``.

    ``on_hand`` is [sku, warehouse] and is updated in place; lines must be in time order.
    """
    n_warehouses = on_hand.shape[1]
    flat = on_hand.reshape(-1)
    warehouse = np.full(len(sku), -1, dtype=np.int64)
    todo = np.flatnonzero(active)
    for k in range(n_warehouses):
        if len(todo) == 0:
            break
        candidate = rank[region[todo], k]
        key = sku[todo] * n_warehouses + candidate
        order = np.argsort(key, kind="stable")
        running = cumsum_within_groups(key[order], quantity[todo][order])
        fits = np.empty(len(todo), dtype=bool)
        fits[order] = running <= flat[key[order]]
        served = todo[fits]
        warehouse[served] = candidate[fits]
        np.subtract.at(flat, key[fits], quantity[served])
        todo = todo[~fits]
    return warehouse


def promised_days(
    order_day: int,
    line_order: np.ndarray,
    sku: np.ndarray,
    region: np.ndarray,
    stocked: np.ndarray,
    zone: np.ndarray,
    rank: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Promised dispatch and delivery dates (epoch days) of the orders placed on ``order_day``.

    Delivery is promised from the nearest warehouse listed as stocking each line's SKU; an
    order is promised for its slowest line. ``region`` is per order, the rest per line.
    """
    n_orders = len(region)
    line_region = region[line_order]
    candidates = rank[line_region]
    nearest = candidates[np.arange(len(sku)), stocked[sku[:, None], candidates].argmax(axis=1)]
    transit = np.zeros(n_orders, dtype=np.int64)
    np.maximum.at(transit, line_order, STANDARD_TRANSIT_DAYS[zone[nearest, line_region]])
    placed = np.full(n_orders, order_day, dtype="datetime64[D]")
    dispatch = np.busday_offset(placed, DISPATCH_BUSINESS_DAYS, roll="forward")
    delivery = np.busday_offset(placed, transit + HANDLING_BUSINESS_DAYS, roll="forward")
    return dispatch.astype(np.int64), delivery.astype(np.int64)
