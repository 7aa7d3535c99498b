"""The frozen bundles of frames that cross between the store and the planning engines.

The store fills a :class:`PlanningSnapshot` from the database; the engines read it and
never touch the database themselves, so the same plan runs in a test, in a service and
on a worker.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from shopops.domain.params import PlanParams

DEMAND_LINE_SCHEMA = pl.Schema(
    {
        "sku_id": pl.String(),
        "region_id": pl.String(),
        "warehouse_id": pl.String(),
        "date": pl.Date(),
        "status": pl.String(),
        "stocked_out": pl.Boolean(),
        "quantity_units": pl.Int64(),
    }
)
"""Demand as ordered: units per SKU, region, serving warehouse, day and line status.

Lines the buyer cancelled never asked for stock and are left out; lines cancelled for want
of stock (``stocked_out``) are demand that was lost and stay in.
"""


@dataclass(frozen=True)
class PlanningSnapshot:
    """What planning needs to know as of a day: demand history, catalogue, supply, network."""

    as_of: dt.date
    params: PlanParams
    demand_lines: pl.DataFrame
    skus: pl.DataFrame
    categories: pl.DataFrame
    sales_events: pl.DataFrame
    supplier_offers: pl.DataFrame
    offer_price_tiers: pl.DataFrame
    currencies: pl.DataFrame
    suppliers: pl.DataFrame
    warehouses: pl.DataFrame
    shipping_zones: pl.DataFrame
