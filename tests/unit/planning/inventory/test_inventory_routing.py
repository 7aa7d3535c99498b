"""Demand per SKU x warehouse through the current routing: shares, fallbacks, sums kept."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

from shopops.errors import DataError
from shopops.planning.inventory import (
    order_line_demand,
    resolve_routing,
    route_demand,
    routing_shares,
    warehouse_demand_history,
)

AS_OF = dt.date(2025, 3, 1)
DAY = dt.date(2025, 2, 10)


def _zones() -> pl.DataFrame:
    rows = [
        ("W-EAST", "NYC", 10.0),
        ("W-WEST", "NYC", 4000.0),
        ("W-EAST", "LAX", 4000.0),
        ("W-WEST", "LAX", 20.0),
        ("W-EAST", "CHI", 1100.0),
        ("W-WEST", "CHI", 2800.0),
    ]
    return pl.DataFrame(rows, schema=["warehouse_id", "region_id", "distance_km"], orient="row")


def _shipped() -> pl.DataFrame:
    rows = [
        ("A", "NYC", "W-EAST", DAY, 30),
        ("A", "NYC", "W-WEST", DAY, 10),  # A to NYC: 3/4 east, 1/4 west
        ("B", "NYC", "W-EAST", DAY, 60),  # NYC over all SKUs: 90 east, 10 west
        ("A", "LAX", "W-WEST", DAY, 5),
        ("A", "NYC", "W-WEST", dt.date(2024, 6, 1), 500),  # outside the window
        ("A", "NYC", None, DAY, 7),  # never shipped: ignored
    ]
    columns = ["sku_id", "region_id", "warehouse_id", "date", "quantity_units"]
    return pl.DataFrame(rows, schema=columns, orient="row")


def _shares() -> pl.DataFrame:
    return routing_shares(_shipped(), _zones(), as_of=AS_OF, window_days=91)


def _share(frame: pl.DataFrame, sku: str, region: str, warehouse: str) -> float:
    row = frame.filter(
        (pl.col("sku_id") == sku)
        & (pl.col("region_id") == region)
        & (pl.col("warehouse_id") == warehouse)
    )
    return float(row["routing_share"].sum())


def test_shares_come_from_recent_shipments_by_sku_and_region() -> None:
    shares = _shares()
    pair = shares.filter(pl.col("routing_basis") == "sku_region")
    assert _share(pair, "A", "NYC", "W-EAST") == pytest.approx(0.75)
    assert _share(pair, "A", "NYC", "W-WEST") == pytest.approx(0.25)
    region = shares.filter(pl.col("routing_basis") == "region")
    nyc = region.filter(pl.col("region_id") == "NYC").sort("warehouse_id")
    assert nyc["routing_share"].to_list() == pytest.approx([0.9, 0.1])
    nearest = shares.filter(pl.col("routing_basis") == "nearest").sort("region_id")
    assert nearest["warehouse_id"].to_list() == ["W-EAST", "W-WEST", "W-EAST"]  # CHI, LAX, NYC


def test_a_pair_without_shipments_falls_back_to_its_region_then_to_the_nearest_warehouse() -> None:
    pairs = pl.DataFrame({"sku_id": ["A", "C", "C"], "region_id": ["NYC", "NYC", "CHI"]})
    routed = resolve_routing(pairs, _shares())
    basis = {
        (r["sku_id"], r["region_id"]): r["routing_basis"] for r in routed.iter_rows(named=True)
    }
    assert basis == {("A", "NYC"): "sku_region", ("C", "NYC"): "region", ("C", "CHI"): "nearest"}
    assert _share(routed, "C", "NYC", "W-EAST") == pytest.approx(0.9)
    assert _share(routed, "C", "CHI", "W-EAST") == 1.0


def test_a_region_no_warehouse_reaches_is_an_error() -> None:
    pairs = pl.DataFrame({"sku_id": ["A"], "region_id": ["MIA"]})
    with pytest.raises(DataError, match="MIA"):
        resolve_routing(pairs, _shares())


def test_routing_preserves_the_units_of_every_sku_and_day() -> None:
    rng = np.random.default_rng(3)
    n = 60
    forecast = pl.DataFrame(
        {
            "sku_id": rng.choice(["A", "B", "C"], n),
            "region_id": rng.choice(["NYC", "LAX", "CHI"], n),
            "date": [AS_OF + dt.timedelta(days=int(d)) for d in rng.integers(0, 5, n)],
            "units_forecast": rng.gamma(2.0, 3.0, n),
            "units_sd": rng.gamma(2.0, 1.0, n),
        }
    )
    routed = route_demand(forecast, _shares())
    by_day = ["sku_id", "date"]
    before = forecast.group_by(by_day).agg(pl.col("units_forecast").sum()).sort(by_day)
    after = routed.group_by(by_day).agg(pl.col("units_forecast").sum()).sort(by_day)
    assert after["units_forecast"].to_list() == pytest.approx(before["units_forecast"].to_list())
    assert set(routed.columns) == {"sku_id", "warehouse_id", "date", "units_forecast", "units_sd"}


def test_a_split_demand_has_the_variance_of_binomial_thinning() -> None:
    forecast = pl.DataFrame(
        {"sku_id": ["A"], "region_id": ["NYC"], "date": [AS_OF], "units_forecast": [8.0],
         "units_sd": [4.0]}
    )  # fmt: skip
    routed = route_demand(forecast, _shares()).sort("warehouse_id")
    east, west = routed.rows(named=True)
    assert east["units_forecast"] == pytest.approx(6.0)
    assert east["units_sd"] ** 2 == pytest.approx(0.75**2 * 16 + 0.75 * 0.25 * 8)
    assert west["units_sd"] ** 2 == pytest.approx(0.25**2 * 16 + 0.75 * 0.25 * 8)


def test_history_counts_lost_sales_where_they_would_have_shipped_from() -> None:
    lines = pl.DataFrame(
        {
            "order_id": [1, 1, 2, 3, 4],
            "line_no": [1, 2, 1, 1, 1],
            "sku_id": ["A", "B", "A", "A", "C"],
            "quantity_units": [2, 1, 3, 4, 5],
            "status": ["shipped", "shipped", "cancelled", "cancelled", "open"],
            "warehouse_id": ["W-WEST", "W-EAST", None, None, None],
            "cancel_reason": [None, None, "stockout", "customer", None],
        }
    )
    orders = pl.DataFrame(
        {
            "order_id": [1, 2, 3, 4],
            "region_id": ["NYC", "NYC", "NYC", "LAX"],
            "ordered_at": [dt.datetime(2025, 3, 2, 10, 0)] * 4,
        }
    )
    demand = order_line_demand(lines, orders)
    assert demand.height == 4  # the buyer's cancellation never asked for stock
    history = warehouse_demand_history(demand, _shares())
    units = {(r["sku_id"], r["warehouse_id"]): r["units"] for r in history.iter_rows(named=True)}
    # the lost line of A goes east (its main NYC warehouse); C in LAX ships as LAX does, west
    assert units == {("A", "W-WEST"): 2.0, ("A", "W-EAST"): 3.0, ("B", "W-EAST"): 1.0,
                     ("C", "W-WEST"): 5.0}  # fmt: skip
