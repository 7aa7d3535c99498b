"""Packaging through the purchase-order machinery: weekly POs to the packaging suppliers.

A warehouse's packaging due for reorder (see :mod:`~shopops.data.synth.packaging_stock`)
goes on one PO per supplier, priced at the tier the quantity reaches. The suppliers are
domestic and dependable: a delivery comes within a day of the quoted lead time, complete
(a few units damaged now and then), and gets its receipt, invoice and status history like
any other.
"""

from __future__ import annotations

import numpy as np

from shopops.data.synth.daily import book_arrival, record_purchase
from shopops.data.synth.packaging import PackagingSupply
from shopops.data.synth.purchasing import PurchaseLines
from shopops.data.synth.state import SimulationState

LEAD_TIME_SPREAD = 0.03
"""True lead time over quoted varies by up to this share either way."""


def receive(state: SimulationState, day: int) -> None:
    """Book the packaging delivered today into stock."""
    stock = state.packaging
    for arrival in stock.inbound.pop(day):
        book_arrival(state, day, arrival, stock.rng, stock.paper_rng)
        stock.put_away(arrival)


def replenish(state: SimulationState, day: int) -> None:
    """Order the packaging due at the warehouses reviewed today."""
    stock = state.packaging
    carton, warehouse, units = stock.review(day)
    if len(carton) == 0:
        return
    lines = place(stock.supply, day, carton, warehouse, units, stock.rng)
    np.add.at(stock.on_order, (carton, warehouse), units)
    record_purchase(state, day, lines, stock.rng, stock.inbound)


def place(
    supply: PackagingSupply,
    day: int,
    carton: np.ndarray,
    warehouse: np.ndarray,
    units: np.ndarray,
    rng: np.random.Generator,
) -> PurchaseLines:
    """PO lines grouped by supplier and warehouse, with each PO's true delivery day drawn."""
    supplier = supply.supplier[carton]
    order = np.lexsort((carton, warehouse, supplier))
    carton, warehouse, supplier, units = (
        carton[order],
        warehouse[order],
        supplier[order],
        units[order],
    )
    group = supplier * (int(warehouse.max()) + 1) + warehouse
    po = np.cumsum(np.r_[True, group[1:] != group[:-1]]) - 1
    n_pos = int(po[-1]) + 1
    quoted = supply.lead_time_days[carton]
    spread = rng.uniform(1 - LEAD_TIME_SPREAD, 1 + LEAD_TIME_SPREAD, n_pos)[po]
    noise = np.clip(rng.normal(0, 1, n_pos)[po] * supply.lead_time_sd_days[carton], -1, 1)
    first_day = day + np.maximum(1, np.round(quoted * spread + noise)).astype(np.int64)
    first_day = np.maximum.reduceat(first_day, np.flatnonzero(np.r_[True, po[1:] != po[:-1]]))[po]
    tier = (supply.tier_min_units[carton] <= units[:, None]).sum(axis=1) - 1
    none = np.zeros(len(carton), dtype=np.int64)
    return PurchaseLines(
        po=po,
        sku=supply.first_sku + carton,
        warehouse=warehouse,
        supplier=supplier,
        quantity=units,
        unit_price=supply.tier_price_usd[carton, tier],
        expected_day=day + np.round(quoted).astype(np.int64),
        cancelled_po=np.zeros(len(carton), dtype=bool),
        first_day=first_day,
        first_units=units,
        second_day=none - 1,
        second_units=none,
        short_cancelled=none,
    )
