"""Replenishment in the history: periodic (s, S) review raising purchase orders.

Each supplier and warehouse is reviewed once a week. A SKU is ordered when its inventory
position (on hand plus on order) is at or below the reorder point s: the demand the
planner expects over lead time plus review period, plus safety stock for demand and
lead-time variation. It is ordered up to S = s plus a cycle of demand, in order
multiples and at least the MOQ. Planners see the quoted lead time and their own,
somewhat wrong, estimate of demand, so stock-outs happen. The supplier's true behaviour
(late, short, damaged) is drawn when the order is placed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from shopops.data.synth.world import World

REVIEW_PERIOD_DAYS = 7
CYCLE_DAYS_SEA = 14.0
CYCLE_DAYS_LAND = 7.0
DEMAND_DISPERSION = 2.0
"""Variance-to-mean ratio of daily units planners assume (quantities above one, noise)."""
PO_CANCEL_RATE = 0.01
BACKORDER_SHARE = 0.5
"""Of short deliveries, the share whose missing units follow later (the rest is cancelled)."""


@dataclass(frozen=True)
class PurchaseLines:
    """Purchase order lines placed on one day, grouped into POs by supplier and warehouse."""

    po: np.ndarray  # PO index within the day
    sku: np.ndarray
    warehouse: np.ndarray
    supplier: np.ndarray
    quantity: np.ndarray
    unit_price: np.ndarray
    expected_day: np.ndarray  # day index
    cancelled_po: np.ndarray  # per line: the whole PO was cancelled
    first_day: np.ndarray  # day index of the first delivery
    first_units: np.ndarray
    second_day: np.ndarray  # day index of a backorder delivery, or -1
    second_units: np.ndarray
    short_cancelled: np.ndarray  # units the supplier will not deliver


def policy_levels(
    world: World, day: int, pairs: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Planned daily units, reorder point s and order-up-to level S of flat pairs."""
    sku = pairs // world.network.size
    offers = world.offers
    lead = offers.lead_time_days[sku]
    cover = lead + REVIEW_PERIOD_DAYS
    rate = world.planned_units(day, pairs, cover)
    variance = rate * cover * DEMAND_DISPERSION + (rate * offers.lead_time_sd_days[sku]) ** 2
    reorder = rate * cover + world.config.safety_factor * np.sqrt(variance)
    cycle = np.where(lead > 15, CYCLE_DAYS_SEA, CYCLE_DAYS_LAND)
    return rate, reorder, reorder + rate * cycle


def review(world: World, day: int, on_hand: np.ndarray, on_order: np.ndarray) -> np.ndarray:
    """Pairs (sku * warehouses + warehouse) to order today and how many units: [2, n]."""
    pairs = world.review_pairs[day % REVIEW_PERIOD_DAYS]
    sku = pairs // world.network.size
    rate, reorder, up_to = policy_levels(world, day, pairs)
    position = on_hand.reshape(-1)[pairs] + on_order.reshape(-1)[pairs]
    need = (rate > 0) & (position <= reorder) & (position < up_to)
    multiple = world.offers.multiple_units[sku]
    quantity = np.ceil(np.maximum(up_to - position, 1) / multiple) * multiple
    quantity = np.maximum(quantity, world.offers.moq_units[sku]).astype(np.int64)
    return np.vstack([pairs[need], quantity[need]])


def place(world: World, day: int, wanted: np.ndarray, rng: np.random.Generator) -> PurchaseLines:
    """Purchase order lines for ``wanted`` pairs, with the supplier's true delivery drawn."""
    pairs, quantity = wanted
    n_wh = world.network.size
    sku, warehouse = pairs // n_wh, pairs % n_wh
    offers, sup = world.offers, world.suppliers
    supplier = offers.supplier[sku]
    order = np.lexsort((sku, warehouse, supplier))
    sku, warehouse, supplier, quantity = (
        sku[order],
        warehouse[order],
        supplier[order],
        quantity[order],
    )
    group = supplier * n_wh + warehouse
    po = np.cumsum(np.r_[True, group[1:] != group[:-1]]) - 1 if len(group) else group
    n_pos = int(po.max()) + 1 if len(po) else 0
    quoted = offers.lead_time_days[sku]
    true_lead = quoted * sup.lateness_factor[supplier] + rng.normal(0, 1, n_pos)[po] * (
        offers.lead_time_sd_days[sku] * sup.lead_time_noise[supplier]
    )
    first_day = day + np.maximum(1, np.round(true_lead)).astype(np.int64)
    first_day += _stoppage_delay(world, day, supplier, quoted)
    if len(po):  # one container per PO: it arrives when its slowest line is ready
        first_day = np.maximum.reduceat(first_day, _starts(po))[po]
    short = (rng.random(len(sku)) < sup.short_probability[supplier]) & (quantity >= 2)
    fill = rng.uniform(0.5, 0.95, len(sku))
    first_units = np.where(short, np.maximum(1, np.floor(quantity * fill)), quantity).astype(
        np.int64
    )
    missing = quantity - first_units
    backorder = short & (rng.random(len(sku)) < BACKORDER_SHARE)
    second_day = np.where(backorder, first_day + rng.integers(7, 22, len(sku)), -1)
    tier = (offers.tier_min_units[sku] <= quantity[:, None]).sum(axis=1) - 1
    return PurchaseLines(
        po=po,
        sku=sku,
        warehouse=warehouse,
        supplier=supplier,
        quantity=quantity,
        unit_price=offers.tier_price[sku, tier],
        expected_day=day + np.round(quoted).astype(np.int64),
        cancelled_po=(rng.random(n_pos) < PO_CANCEL_RATE)[po] if n_pos else np.zeros(0, bool),
        first_day=first_day,
        first_units=first_units,
        second_day=second_day,
        second_units=np.where(backorder, missing, 0),
        short_cancelled=np.where(short & ~backorder, missing, 0),
    )


def _stoppage_delay(world: World, day: int, supplier: np.ndarray, quoted: np.ndarray) -> np.ndarray:
    """Days an order waits because its supplier stops shipping around the time it is placed."""
    start = world.suppliers.disruption_start[supplier]
    end = start + world.suppliers.disruption_days[supplier]
    affected = (start >= 0) & (day >= start - quoted / 2) & (day < end)
    return np.where(affected, end - np.maximum(day, start), 0).astype(np.int64)


def _starts(groups: np.ndarray) -> np.ndarray:
    """Positions where a new run of equal values starts in sorted ``groups``."""
    return np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
