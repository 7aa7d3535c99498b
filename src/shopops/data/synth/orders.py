"""Grouping a day's order lines into orders: one buyer, one region, one channel.

Lines of the same channel are shuffled and cut into orders of geometric size (mean
``lines_per_order``); an order ships to the region of its first line. A SKU that would
appear twice in an order moves to an order of its own. Orders get a time of day from a
US-shaped hourly profile (UTC), live-stream flash-sale orders cluster in the evening
stream, and order ids follow order time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from shopops.data.synth.columns import (
    US_PER_DAY,
    US_PER_HOUR,
    group_starts,
    rank_within_groups,
)
from shopops.data.synth.demand import LIVE, DayDemand

ORDERS_BY_HOUR_UTC = np.array([7.5, 7.8, 7.2, 6.0, 4.5, 3.0, 1.8, 1.2, 0.9, 0.9, 1.1, 1.6, 2.3,
                               3.0, 3.5, 3.8, 4.0, 4.2, 4.4, 4.6, 4.9, 5.3, 5.9, 6.8])  # fmt: skip
"""Relative orders per UTC hour: US evenings busiest, US small hours quietest."""
LIVE_STREAM_HOURS_UTC = (0, 3)
"""Flash-sale streams run 8-11 pm US Eastern."""


@dataclass(frozen=True)
class DayOrders:
    """A day's orders (ordered by time) and their lines (ordered by order, line number)."""

    order_id: np.ndarray
    ordered_at_us: np.ndarray
    region: np.ndarray
    channel: np.ndarray
    event: np.ndarray
    line_order: np.ndarray  # row of the line's order in the order arrays
    line_no: np.ndarray
    sku: np.ndarray
    quantity: np.ndarray
    unit_price_usd: np.ndarray

    @property
    def n_orders(self) -> int:
        """Number of orders of the day."""
        return len(self.order_id)


def build_orders(
    demand: DayDemand,
    *,
    day_start_us: int,
    first_order_id: int,
    lines_per_order: float,
    flash_day: bool,
    rng: np.random.Generator,
) -> DayOrders:
    """Group ``demand``'s lines into orders numbered from ``first_order_id``."""
    n = len(demand.sku)
    by_block = np.lexsort((rng.random(n), demand.channel))
    new_order = group_starts(demand.channel[by_block]) | (rng.random(n) < 1.0 / lines_per_order)
    order_of_line = np.empty(n, dtype=np.int64)
    order_of_line[by_block] = np.cumsum(new_order) - 1
    order_of_line = _split_repeated_skus(order_of_line, demand.sku)
    n_orders = int(order_of_line.max()) + 1 if n else 0
    first_line = np.full(n_orders, n, dtype=np.int64)
    np.minimum.at(first_line, order_of_line, np.arange(n))
    channel = demand.channel[first_line]
    live_sale = flash_day & (channel == LIVE) & (demand.event[first_line] >= 0)
    time_us = day_start_us + _times_of_day(rng, live_sale)
    chronological = np.argsort(time_us, kind="stable")
    position = np.empty(n_orders, dtype=np.int64)
    position[chronological] = np.arange(n_orders)
    line_order = position[order_of_line]
    lines = np.lexsort((np.arange(n), line_order))
    return DayOrders(
        order_id=first_order_id + np.arange(n_orders),
        ordered_at_us=time_us[chronological],
        region=demand.region[first_line][chronological],
        channel=channel[chronological],
        event=demand.event[first_line][chronological],
        line_order=line_order[lines],
        line_no=rank_within_groups(line_order[lines]) + 1,
        sku=demand.sku[lines],
        quantity=demand.quantity[lines],
        unit_price_usd=demand.unit_price_usd[lines],
    )


def _split_repeated_skus(order_of_line: np.ndarray, sku: np.ndarray) -> np.ndarray:
    """Move every second occurrence of a SKU within an order into an order of its own."""
    n = len(sku)
    if n == 0:
        return order_of_line
    by_order_sku = np.lexsort((sku, order_of_line))
    same = np.zeros(n, dtype=bool)
    sorted_order, sorted_sku = order_of_line[by_order_sku], sku[by_order_sku]
    same[1:] = (sorted_order[1:] == sorted_order[:-1]) & (sorted_sku[1:] == sorted_sku[:-1])
    repeated = by_order_sku[same]
    result = order_of_line.copy()
    result[repeated] = order_of_line.max() + 1 + np.arange(len(repeated))
    _, dense = np.unique(result, return_inverse=True)
    return np.asarray(dense, dtype=np.int64)


def _times_of_day(rng: np.random.Generator, live_sale: np.ndarray) -> np.ndarray:
    """Microseconds after midnight UTC for each order."""
    n = len(live_sale)
    hours = rng.choice(24, size=n, p=ORDERS_BY_HOUR_UTC / ORDERS_BY_HOUR_UTC.sum())
    first, last = LIVE_STREAM_HOURS_UTC
    in_stream = live_sale & (rng.random(n) < 0.7)
    hours = np.where(in_stream, rng.integers(first, last, n), hours)
    offset = (hours * US_PER_HOUR + rng.integers(0, US_PER_HOUR, n)).astype(np.int64)
    return np.minimum(offset, US_PER_DAY - 1)
