"""The expediting list: open PO lines that are late or at risk, ranked by the sales they hold up.

For each open PO line (open units > 0) of a SKU x warehouse, as of day ``as_of``:

- ``days_late = max(as_of - expected_date, 0)``; the line is *late* when ``expected_date
  < as_of``;
- the supplier's typical delay ``d`` (mean days late of its past receipts, see
  :func:`supplier_delays`) gives ``risk_arrival_date = expected_date + ceil(max(d, 0))``
  and the arrival to plan for, ``max(risk_arrival_date, as_of)``;
- stock on hand serves the waiting customer order lines first, then forecast demand
  ``r`` units a day: with ``free = on_hand - waiting units``, stock runs out on
  ``stockout_date = as_of + floor(free / r)`` (``as_of`` when ``free <= 0``, never when
  ``r = 0``); the line is *at risk* when it arrives after that day;
- ``units_short`` is what stock on hand cannot serve until the arrival: waiting order
  units beyond on hand plus forecast units ``r x (arrival - as_of)`` beyond what is left;
  the line could have served at most its open units of them, so ``units_at_risk =
  min(units_short, open_units)`` and ``value_at_risk_usd = units_at_risk x price_usd``.

Late and at-risk lines are ranked by ``value_at_risk_usd``, then ``days_late``, both
descending. Each line is judged against stock on hand alone: other open lines of the same
SKU x warehouse may be late too, so they are not counted on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import polars as pl

from shopops.errors import DataError

EXPEDITING_COLUMNS = (
    "rank",
    "po_id",
    "po_number",
    "line_no",
    "supplier_id",
    "sku_id",
    "warehouse_id",
    "reason",
    "open_units",
    "expected_date",
    "days_late",
    "supplier_mean_days_late",
    "risk_arrival_date",
    "on_hand_units",
    "stockout_date",
    "customer_orders_waiting",
    "customer_units_waiting",
    "forecast_units_until_arrival",
    "units_short",
    "units_at_risk",
    "value_at_risk_usd",
    "action",
)

_PAIR = ["sku_id", "warehouse_id"]
_PO_COLUMNS = (
    "po_id",
    "po_number",
    "line_no",
    "supplier_id",
    "sku_id",
    "warehouse_id",
    "expected_date",
    "open_units",
    "price_usd",
)


def supplier_delays(receipt_history: pl.DataFrame) -> pl.DataFrame:
    """Mean days late per supplier over its past receipts (early or on time counts as 0).

    ``receipt_history`` has ``supplier_id``, ``expected_date`` and ``received_date`` per
    receipt; returns ``supplier_id``, ``mean_days_late`` and ``receipts``.
    """
    _require(receipt_history, "receipt_history", ("supplier_id", "expected_date", "received_date"))
    late = (pl.col("received_date") - pl.col("expected_date")).dt.total_days().clip(lower_bound=0)
    return (
        receipt_history.group_by("supplier_id")
        .agg(mean_days_late=late.mean().cast(pl.Float64), receipts=pl.len().cast(pl.Int64))
        .sort("supplier_id")
    )


def expediting_list(
    open_po_lines: pl.DataFrame,
    stock: pl.DataFrame,
    open_customer_lines: pl.DataFrame,
    forecast_daily: pl.DataFrame,
    supplier_delays: pl.DataFrame,
    *,
    as_of: dt.date,
) -> pl.DataFrame:
    """Late and at-risk open PO lines with the sales they hold up (see module notes).

    Parameters
    ----------
    open_po_lines
        ``po_id``, ``po_number``, ``line_no``, ``supplier_id``, ``sku_id``,
        ``warehouse_id``, ``expected_date``, ``open_units`` and the SKU's ``price_usd``.
    stock
        ``sku_id``, ``warehouse_id``, ``on_hand_units`` (missing pairs hold nothing).
    open_customer_lines
        Order lines waiting for stock at a warehouse: ``order_id``, ``sku_id``,
        ``warehouse_id``, ``quantity_units``, ``promised_dispatch_date`` (served in that
        order, then by order number).
    forecast_daily
        ``sku_id``, ``warehouse_id``, ``demand_units_per_day`` (missing pairs: none).
    supplier_delays
        ``supplier_id``, ``mean_days_late`` (missing suppliers: on time).

    Returns
    -------
    polars.DataFrame
        :data:`EXPEDITING_COLUMNS`, best ``rank`` (1) first.
    """
    _check(open_po_lines, stock, open_customer_lines, forecast_daily, supplier_delays)
    frame = _with_context(
        open_po_lines.filter(pl.col("open_units") > 0),
        stock,
        open_customer_lines,
        forecast_daily,
        supplier_delays,
    )
    frame = _projected(frame, as_of).filter(pl.col("reason").is_not_null())
    frame = _shortfall(frame).sort(
        ["value_at_risk_usd", "days_late", "expected_date", "po_id", "line_no"],
        descending=[True, True, False, False, False],
    )
    actions = [_action(row) for row in frame.iter_rows(named=True)]
    return frame.with_columns(
        rank=pl.int_range(1, frame.height + 1, dtype=pl.Int64),
        action=pl.Series(actions, dtype=pl.String),
    ).select(EXPEDITING_COLUMNS)


def _with_context(
    lines: pl.DataFrame,
    stock: pl.DataFrame,
    customer_lines: pl.DataFrame,
    forecast_daily: pl.DataFrame,
    delays: pl.DataFrame,
) -> pl.DataFrame:
    """PO lines with stock, waiting orders, demand per day and supplier delay of their pair."""
    on_hand = stock.group_by(_PAIR).agg(on_hand_units=pl.col("on_hand_units").sum())
    demand = forecast_daily.group_by(_PAIR).agg(
        demand_units_per_day=pl.col("demand_units_per_day").sum()
    )
    return (
        lines.join(on_hand, on=_PAIR, how="left")
        .join(_waiting(customer_lines, on_hand), on=_PAIR, how="left")
        .join(demand, on=_PAIR, how="left")
        .join(
            delays.select("supplier_id", supplier_mean_days_late="mean_days_late"),
            on="supplier_id",
            how="left",
        )
        .with_columns(
            pl.col("on_hand_units").fill_null(0).clip(lower_bound=0).cast(pl.Int64),
            pl.col("customer_orders_waiting").fill_null(0).cast(pl.Int64),
            pl.col("waiting_units", "customer_units_waiting").fill_null(0).cast(pl.Int64),
            pl.col("demand_units_per_day", "supplier_mean_days_late")
            .fill_null(0.0)
            .cast(pl.Float64),
        )
    )


def _waiting(customer_lines: pl.DataFrame, on_hand: pl.DataFrame) -> pl.DataFrame:
    """Per pair: waiting units, and the orders and units stock on hand cannot serve.

    Lines are served in promise order; a line is short once the running total of units
    passes the units on hand, and its order counts as waiting.
    """
    served_before = pl.col("quantity_units").cum_sum().over(_PAIR) - pl.col("quantity_units")
    short = (
        pl.col("quantity_units")
        - (pl.col("on_hand_units").fill_null(0).clip(lower_bound=0) - served_before)
    ).clip(lower_bound=0, upper_bound=pl.col("quantity_units"))
    return (
        customer_lines.sort([*_PAIR, "promised_dispatch_date", "order_id"], nulls_last=True)
        .join(on_hand, on=_PAIR, how="left")
        .with_columns(short_units=short)
        .group_by(_PAIR)
        .agg(
            waiting_units=pl.col("quantity_units").sum(),
            customer_units_waiting=pl.col("short_units").sum(),
            customer_orders_waiting=pl.col("order_id").filter(pl.col("short_units") > 0).n_unique(),
        )
    )


def _projected(frame: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    """Arrival to plan for, the day stock runs out, and why the line is listed."""
    day = pl.lit(as_of, dtype=pl.Date)
    free = pl.col("on_hand_units") - pl.col("waiting_units")
    rate = pl.col("demand_units_per_day")
    delay_days = pl.col("supplier_mean_days_late").clip(lower_bound=0).ceil().cast(pl.Int64)
    runout_days = (free / rate).floor().cast(pl.Int64)
    late = pl.col("expected_date") < day
    at_risk = pl.col("stockout_date").is_not_null() & (
        pl.col("arrival_date") > pl.col("stockout_date")
    )
    return (
        frame.with_columns(
            days_late=(day - pl.col("expected_date")).dt.total_days().clip(lower_bound=0),
            risk_arrival_date=pl.col("expected_date") + pl.duration(days=delay_days),
            stockout_date=pl.when(free <= 0)
            .then(day)
            .when(rate > 0)
            .then(day + pl.duration(days=runout_days)),
        )
        .with_columns(arrival_date=pl.max_horizontal("risk_arrival_date", day))
        .with_columns(days_to_arrival=(pl.col("arrival_date") - day).dt.total_days())
        .with_columns(
            reason=pl.when(late).then(pl.lit("late")).when(at_risk).then(pl.lit("at_risk"))
        )
    )


def _shortfall(frame: pl.DataFrame) -> pl.DataFrame:
    """Units stock on hand cannot serve before the arrival, and what this line holds up."""
    left_for_forecast = (pl.col("on_hand_units") - pl.col("waiting_units")).clip(lower_bound=0)
    return (
        frame.with_columns(
            forecast_units_until_arrival=pl.col("demand_units_per_day")
            * pl.col("days_to_arrival").cast(pl.Float64)
        )
        .with_columns(
            units_short=pl.col("customer_units_waiting").cast(pl.Float64)
            + (pl.col("forecast_units_until_arrival") - left_for_forecast).clip(lower_bound=0)
        )
        .with_columns(units_at_risk=pl.min_horizontal("units_short", pl.col("open_units")))
        .with_columns(value_at_risk_usd=pl.col("units_at_risk") * pl.col("price_usd"))
    )


def _action(row: dict[str, Any]) -> str:
    """What the buyer asks the supplier, and why it matters, in one sentence."""
    what = (
        f"{row['po_number']} line {row['line_no']}: {row['open_units']} units of "
        f"{row['sku_id']} for {row['warehouse_id']}"
    )
    if row["reason"] == "late":
        head = f"chase {row['supplier_id']}: {what}, {row['days_late']} days late"
    else:
        head = (
            f"ask {row['supplier_id']} to ship earlier: {what}, due {row['expected_date']}, "
            f"likely {row['risk_arrival_date']}, stock runs out {row['stockout_date']}"
        )
    if row["units_at_risk"] <= 0:
        return head
    orders = row["customer_orders_waiting"]
    waiting = f"{orders} order{'s' * (orders != 1)} waiting, " if orders else ""
    return f"{head}; {waiting}{row['value_at_risk_usd']:,.2f} USD of sales held up"


def _check(
    open_po_lines: pl.DataFrame,
    stock: pl.DataFrame,
    open_customer_lines: pl.DataFrame,
    forecast_daily: pl.DataFrame,
    delays: pl.DataFrame,
) -> None:
    _require(open_po_lines, "open_po_lines", _PO_COLUMNS)
    _require(stock, "stock", (*_PAIR, "on_hand_units"))
    _require(
        open_customer_lines,
        "open_customer_lines",
        ("order_id", *_PAIR, "quantity_units", "promised_dispatch_date"),
    )
    _require(forecast_daily, "forecast_daily", (*_PAIR, "demand_units_per_day"))
    _require(delays, "supplier_delays", ("supplier_id", "mean_days_late"))


def _require(frame: pl.DataFrame, name: str, columns: Iterable[str]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError(f"{name} lacks the column{'s' * (len(missing) > 1)} {', '.join(missing)}")
