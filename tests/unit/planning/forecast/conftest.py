"""Demand histories for the forecasting tests: the Walmart sample and a generated marketplace."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest

from shopops.data.synth import MarketplaceConfig, generate_marketplace

WALMART = (
    Path(__file__).resolve().parents[4]
    / ".."
    / "shared"
    / "data"
    / "retail_demand_walmart_weekly"
    / "walmart_sales_weekly.csv"
)
MARKETPLACE_END = dt.date(2025, 10, 31)


@dataclass(frozen=True)
class Marketplace:
    """Daily units per SKU x region, with the sales calendar and the SKUs."""

    history: pl.DataFrame
    events: pl.DataFrame
    skus: pl.DataFrame


@pytest.fixture(scope="session")
def walmart() -> pl.DataFrame:
    """Weekly sales of 7 Walmart departments: series_id, date (week), units (USD).

    Read from the shared reference data beside the project; like the other reference-data
    tests, skipped with the path named where a checkout has none beside it.
    """
    if not WALMART.exists():
        pytest.skip(f"{WALMART} not found")
    frame = pl.read_csv(WALMART, try_parse_dates=True)
    return frame.select(
        pl.col("id").alias("series_id"),
        pl.col("Date").alias("date"),
        pl.col("Weekly_Sales").alias("units"),
    )


@pytest.fixture(scope="session")
def marketplace() -> Marketplace:
    """Two years of a 300-SKU, 3-warehouse generated marketplace, ending 31 Oct 2025."""
    config = MarketplaceConfig(
        skus=300, warehouses=3, days=730, end_date=MARKETPLACE_END, order_lines_per_sku_day=3.0
    )
    tables: dict[str, list[pl.DataFrame]] = {}
    wanted = {"orders", "order_lines", "sales_events", "skus"}
    for name, frame in generate_marketplace(config):
        if name in wanted:
            tables.setdefault(name, []).append(frame)
    orders = pl.concat(tables["orders"]).select("order_id", "ordered_at", "region_id")
    lines = pl.concat(tables["order_lines"]).select("order_id", "sku_id", "quantity_units")
    history = (
        lines.join(orders, on="order_id")
        .group_by("sku_id", "region_id", pl.col("ordered_at").dt.date().alias("date"))
        .agg(pl.col("quantity_units").sum().cast(pl.Float64).alias("units"))
        .sort("sku_id", "region_id", "date")
    )
    return Marketplace(history, pl.concat(tables["sales_events"]), pl.concat(tables["skus"]))
