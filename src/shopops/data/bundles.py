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


PACKAGING_HISTORY_WEEKS = 8
"""Weeks of recent shipments whose cartons set the packaging demand."""


@dataclass(frozen=True)
class SourcingSnapshot:
    """What a sourcing run needs as of a day: the latest policies and forecast, stock,
    open supply, offers, and the purchasing history that scores suppliers.

    ``policy_run_id`` is the inventory plan run whose ``policies`` and weekly ``forecast``
    are used; ``stock`` has on_hand_units and reserved_units per SKU x warehouse;
    ``open_supply`` the units open purchase orders still expect, by expected_date;
    ``shipments`` and ``shipped_lines`` (order lines with a shipment) the recent weeks'
    parcels, whose cartons set the packaging demand. The other frames are the tables of
    the same names.
    """

    as_of: dt.date
    params: PlanParams
    policy_run_id: int
    policies: pl.DataFrame
    forecast: pl.DataFrame
    stock: pl.DataFrame
    open_supply: pl.DataFrame
    skus: pl.DataFrame
    supplier_offers: pl.DataFrame
    offer_price_tiers: pl.DataFrame
    currencies: pl.DataFrame
    suppliers: pl.DataFrame
    supplier_certifications: pl.DataFrame
    purchase_orders: pl.DataFrame
    purchase_order_lines: pl.DataFrame
    receipts: pl.DataFrame
    supplier_invoices: pl.DataFrame
    supplier_invoice_lines: pl.DataFrame
    scorecard_weights: pl.DataFrame
    cartons: pl.DataFrame
    shipments: pl.DataFrame
    shipped_lines: pl.DataFrame
