"""The warehouse scorecard's metrics per warehouse (own or 3PL) and period.

- ``on_time_dispatch`` over the shipments whose dispatch deadline falls in the period
  (``orders.promised_dispatch_date``; if the orders carry no such column, ``ordered_at``
  plus ``dispatch_days``), judged once the deadline has passed: deadlines before
  ``as_of``. A shipment is on time when the carrier picked it up (``shipped_at``) on or
  before the deadline day; one not yet shipped is late.
- ``damage_rate`` over the shipments shipped in the period: those that ended in an
  exception or came back with the return reason *damaged*.
- ``cost_per_order_usd`` and ``units_per_order`` over the orders the warehouse shipped in
  the period (an order split over two warehouses is an order at each), priced at its
  contract: ``handling_cost_usd_per_order + handling_cost_usd_per_unit x (units - 1)``.
  The data holds no handling charges, so the cost is the contract's, reported unscored.

Cancelled shipments are left out; only events before ``as_of`` count.
"""

from __future__ import annotations

import datetime as dt
from functools import reduce

import polars as pl

from shopops.analytics.scorecards._frames import Period, period_start, require_columns
from shopops.analytics.scorecards._shipments import not_cancelled, with_damage
from shopops.domain.orders import OrderLineStatus
from shopops.errors import DataError

WAREHOUSE_METRIC_COLUMNS = (
    "warehouse_id",
    "period_start",
    "shipments_due",
    "shipments_shipped",
    "orders_shipped",
    "on_time_dispatch",
    "damage_rate",
    "cost_per_order_usd",
    "units_per_order",
)
_COUNTS = ("shipments_due", "shipments_shipped", "orders_shipped")


def warehouse_metrics(
    shipments: pl.DataFrame,
    orders: pl.DataFrame,
    order_lines: pl.DataFrame,
    returns: pl.DataFrame,
    warehouses: pl.DataFrame,
    *,
    as_of: dt.date,
    period: Period = "month",
    dispatch_days: int | None = None,
) -> pl.DataFrame:
    """Warehouse scorecard metrics per warehouse and period (see module notes).

    Returns
    -------
    polars.DataFrame
        :data:`WAREHOUSE_METRIC_COLUMNS`: the keys, the shipments and orders each metric
        rests on, and one column per metric of the warehouse scorecard.
    """
    require_columns(shipments, "shipments", ("shipment_id", "order_id", "warehouse_id"))
    require_columns(shipments, "shipments", ("status", "shipped_at"))
    require_columns(
        warehouses,
        "warehouses",
        ("warehouse_id", "handling_cost_usd_per_order", "handling_cost_usd_per_unit"),
    )
    live = not_cancelled(shipments)
    shipped = live.filter(pl.col("shipped_at").dt.date() < as_of)
    past_returns = returns.filter(pl.col("requested_date") < as_of)
    parts = [
        _dispatch(live, orders, period=period, as_of=as_of, dispatch_days=dispatch_days),
        with_damage(shipped, order_lines, past_returns)
        .with_columns(period_start(pl.col("shipped_at"), period))
        .group_by("warehouse_id", "period_start")
        .agg(shipments_shipped=pl.len(), damage_rate=pl.col("damaged").cast(pl.Float64).mean()),
        _handling_cost(shipped, order_lines, warehouses, period=period),
    ]
    keys = ["warehouse_id", "period_start"]
    joined = reduce(lambda a, b: a.join(b, on=keys, how="full", coalesce=True), parts)
    return (
        joined.with_columns(pl.col(c).fill_null(0).cast(pl.Int64) for c in _COUNTS)
        .select(WAREHOUSE_METRIC_COLUMNS)
        .sort(keys)
    )


def _dispatch_deadline(orders: pl.DataFrame, dispatch_days: int | None) -> pl.DataFrame:
    if "promised_dispatch_date" in orders.columns:
        return orders.select("order_id", deadline=pl.col("promised_dispatch_date"))
    if dispatch_days is None:
        raise DataError("orders lack promised_dispatch_date: pass dispatch_days to judge dispatch")
    require_columns(orders, "orders", ("order_id", "ordered_at"))
    deadline = pl.col("ordered_at").dt.date() + pl.duration(days=dispatch_days)
    return orders.select("order_id", deadline=deadline)


def _dispatch(
    shipments: pl.DataFrame,
    orders: pl.DataFrame,
    *,
    period: Period,
    as_of: dt.date,
    dispatch_days: int | None,
) -> pl.DataFrame:
    """``on_time_dispatch`` over the shipments whose deadline fell in each period."""
    shipped_day = pl.col("shipped_at").dt.date()
    on_time = (shipped_day <= pl.col("deadline")) & (shipped_day < as_of)
    return (
        shipments.join(_dispatch_deadline(orders, dispatch_days), on="order_id", how="inner")
        .filter(pl.col("deadline") < as_of)
        .with_columns(period_start(pl.col("deadline"), period), on_time=on_time.fill_null(False))
        .group_by("warehouse_id", "period_start")
        .agg(shipments_due=pl.len(), on_time_dispatch=pl.col("on_time").cast(pl.Float64).mean())
    )


def _handling_cost(
    shipped: pl.DataFrame,
    order_lines: pl.DataFrame,
    warehouses: pl.DataFrame,
    *,
    period: Period,
) -> pl.DataFrame:
    """Contract handling cost and units per order shipped from each warehouse."""
    lines = order_lines.filter(pl.col("status") != OrderLineStatus.CANCELLED.value).select(
        "shipment_id", "quantity_units"
    )
    contract = warehouses.select(
        "warehouse_id", "handling_cost_usd_per_order", "handling_cost_usd_per_unit"
    )
    handled = (
        shipped.select("shipment_id", "order_id", "warehouse_id", "shipped_at")
        .join(lines, on="shipment_id", how="left")
        .group_by("warehouse_id", "order_id")
        .agg(
            units=pl.col("quantity_units").sum(),
            period_start=period_start(pl.col("shipped_at").min(), period),
        )
        .join(contract, on="warehouse_id", how="left")
        .with_columns(
            cost_usd=pl.col("handling_cost_usd_per_order")
            + pl.col("handling_cost_usd_per_unit") * (pl.col("units") - 1).clip(lower_bound=0)
        )
    )
    return handled.group_by("warehouse_id", "period_start").agg(
        orders_shipped=pl.len(),
        cost_per_order_usd=pl.col("cost_usd").mean(),
        units_per_order=pl.col("units").cast(pl.Float64).mean(),
    )
