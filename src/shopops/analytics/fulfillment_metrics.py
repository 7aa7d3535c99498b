"""Marketplace fulfillment metrics, and the open orders most at risk of dispatching late.

Marketplaces rate a seller on three figures, each here for a period and optionally by
warehouse or carrier (:func:`fulfillment_metrics`):

- late dispatch rate: of the orders whose promised dispatch date falls in the period,
  the share whose first carrier pickup (``shipped_at``) came after the end of that day,
  or that were still not shipped when it ended. Orders not shipped yet whose deadline is
  still ahead are left out. By warehouse (or carrier) an order counts once per warehouse
  (carrier) it ships from, with that warehouse's (carrier's) first pickup;
- on-time delivery rate: of the parcels delivered in the period, the share delivered on
  or before the order's promised delivery date;
- valid tracking rate: of the parcels shipped in the period, the share whose tracking
  number is present and matches the carrier's pattern.

:func:`orders_at_risk` ranks the work not yet handed to a carrier by its slack: the hours
left to the dispatch deadline less the hours its remaining steps usually take
(:func:`stage_times`: median pick, pack and pickup times per warehouse).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import polars as pl

from shopops.domain.shipping import Stage, tracking_number_valid

GroupBy = Literal["warehouse", "carrier"] | None
ALL = "all"
_KEYS = {"warehouse": "warehouse_id", "carrier": "carrier_id", None: "scope"}
_DAY = dt.timedelta(days=1)
STAGE_STEPS = {
    Stage.TO_PICK.value: ("pick", "pack"),
    Stage.TO_PACK.value: ("pack",),
    Stage.PACKED.value: (),
}
"""The warehouse steps still to do in each stage before the carrier's pickup."""


def fulfillment_metrics(
    orders: pl.DataFrame,
    lines: pl.DataFrame,
    shipments: pl.DataFrame,
    carriers: pl.DataFrame,
    *,
    start: dt.date,
    end: dt.date,
    as_of: dt.datetime,
    by: GroupBy = None,
) -> pl.DataFrame:
    """Late dispatch, on-time delivery and valid tracking rates from ``start`` to ``end``.

    Parameters
    ----------
    orders
        ``order_id``, ``status``, ``promised_dispatch_date``, ``promised_delivery_date``.
    lines
        Order lines: ``order_id``, ``status``, ``warehouse_id``, ``shipment_id``.
    shipments
        ``shipment_id``, ``order_id``, ``warehouse_id``, ``carrier_id``, ``status``,
        ``tracking_number``, ``shipped_at``, ``delivered_at``.
    carriers
        ``carrier_id``, ``tracking_number_pattern``.
    as_of
        When the figures are taken: an order not shipped is late once its day has ended.

    Returns
    -------
    polars.DataFrame
        One row per warehouse or carrier (``warehouse_id`` / ``carrier_id``), or one row
        with ``scope`` ``all``: ``dispatch_orders``, ``late_dispatch_orders``,
        ``late_dispatch_rate``, ``delivered_parcels``, ``on_time_parcels``,
        ``on_time_delivery_rate``, ``shipped_parcels``, ``valid_tracking_parcels``,
        ``valid_tracking_rate``. A rate is empty where nothing was counted.
    """
    key = _KEYS[by]
    live = shipments.filter(pl.col("status") != "cancelled").with_columns(_key(by, key))
    frames = (
        _dispatch(orders, lines, live, key, start, end, as_of),
        _delivery(orders, live, key, start, end),
        _tracking(live, carriers, key, start, end),
    )
    keys = pl.concat([f.select(key) for f in frames]).unique()
    joined = keys
    for frame in frames:
        joined = joined.join(frame, on=key, how="left", nulls_equal=True)
    counts = [c for c in joined.columns if c != key]
    joined = joined.with_columns(pl.col(counts).fill_null(0).cast(pl.Int64))
    return joined.select(
        key,
        "dispatch_orders",
        "late_dispatch_orders",
        _rate("late_dispatch_orders", "dispatch_orders", "late_dispatch_rate"),
        "delivered_parcels",
        "on_time_parcels",
        _rate("on_time_parcels", "delivered_parcels", "on_time_delivery_rate"),
        "shipped_parcels",
        "valid_tracking_parcels",
        _rate("valid_tracking_parcels", "shipped_parcels", "valid_tracking_rate"),
    ).sort(key, nulls_last=True)


def _key(by: GroupBy, key: str) -> pl.Expr:
    return pl.lit(ALL).alias(key) if by is None else pl.col(key)


def _rate(part: str, whole: str, name: str) -> pl.Expr:
    return (
        pl.when(pl.col(whole) > 0)
        .then(pl.col(part) / pl.col(whole))
        .otherwise(None)
        .cast(pl.Float64)
        .alias(name)
    )


def _within(column: str, start: dt.date, end: dt.date) -> pl.Expr:
    day = pl.col(column).cast(pl.Date)
    return (day >= start) & (day <= end)


def _dispatch(
    orders: pl.DataFrame,
    lines: pl.DataFrame,
    live: pl.DataFrame,
    key: str,
    start: dt.date,
    end: dt.date,
    as_of: dt.datetime,
) -> pl.DataFrame:
    """Orders due in the period by key: counted, and late (first pickup after the day)."""
    due = orders.filter(
        (pl.col("status") != "cancelled") & _within("promised_dispatch_date", start, end)
    ).select("order_id", "promised_dispatch_date")
    parcels = live.select("order_id", key, "shipped_at")
    shipment_id = pl.col("shipment_id")
    waiting = lines.filter(
        (pl.col("status") != "cancelled")
        & pl.col("warehouse_id").is_not_null()
        & (shipment_id.is_null() | ~shipment_id.is_in(live.get_column("shipment_id").implode()))
    )
    waiting_key = pl.col("warehouse_id") if key == "warehouse_id" else pl.lit(None, pl.String)
    if key == "scope":
        waiting_key = pl.lit(ALL)
    unshipped = waiting.select(
        "order_id", waiting_key.alias(key), pl.lit(None, pl.Datetime("us")).alias("shipped_at")
    )
    units = (
        pl.concat([parcels.cast({"shipped_at": pl.Datetime("us")}), unshipped])
        .join(due, on="order_id")
        .group_by("order_id", key)
        .agg(pl.col("shipped_at").min(), pl.col("promised_dispatch_date").first())
    )
    deadline = pl.col("promised_dispatch_date").cast(pl.Datetime("us")) + _DAY
    late = pl.col("shipped_at").is_not_null() & (pl.col("shipped_at") >= deadline)
    overdue = pl.col("shipped_at").is_null() & (pl.lit(as_of) >= deadline)
    counted = units.filter(pl.col("shipped_at").is_not_null() | overdue)
    return counted.group_by(key).agg(
        pl.len().alias("dispatch_orders"),
        (late | overdue).sum().alias("late_dispatch_orders"),
    )


def _delivery(
    orders: pl.DataFrame, live: pl.DataFrame, key: str, start: dt.date, end: dt.date
) -> pl.DataFrame:
    delivered = live.filter(
        pl.col("delivered_at").is_not_null() & _within("delivered_at", start, end)
    ).join(orders.select("order_id", "promised_delivery_date"), on="order_id")
    on_time = pl.col("delivered_at").cast(pl.Date) <= pl.col("promised_delivery_date")
    return delivered.group_by(key).agg(
        pl.len().alias("delivered_parcels"), on_time.sum().alias("on_time_parcels")
    )


def _tracking(
    live: pl.DataFrame, carriers: pl.DataFrame, key: str, start: dt.date, end: dt.date
) -> pl.DataFrame:
    shipped = live.filter(
        pl.col("shipped_at").is_not_null() & _within("shipped_at", start, end)
    ).join(carriers.select("carrier_id", "tracking_number_pattern"), on="carrier_id", how="left")
    valid = [
        tracking_number_valid(number, pattern)
        for number, pattern in shipped.select("tracking_number", "tracking_number_pattern").rows()
    ]
    return (
        shipped.with_columns(pl.Series("valid", valid, dtype=pl.Boolean))
        .group_by(key)
        .agg(
            pl.len().alias("shipped_parcels"), pl.col("valid").sum().alias("valid_tracking_parcels")
        )
    )


def stage_times(history: pl.DataFrame) -> pl.DataFrame:
    """Median hours of each warehouse step, per warehouse and for the whole network.

    ``history`` has ``warehouse_id``, ``created_at``, ``picked_at``, ``packed_at``,
    ``shipped_at``. Pick = picked - created, pack = packed - picked, pickup (the wait for
    the carrier) = shipped - packed. Returns ``warehouse_id`` (empty for the network),
    ``pick_hours``, ``pack_hours``, ``pickup_hours``.
    """
    hours = history.select(
        "warehouse_id",
        _hours("created_at", "picked_at").alias("pick_hours"),
        _hours("picked_at", "packed_at").alias("pack_hours"),
        _hours("packed_at", "shipped_at").alias("pickup_hours"),
    )
    steps = ["pick_hours", "pack_hours", "pickup_hours"]
    per_warehouse = hours.group_by("warehouse_id").agg(pl.col(steps).median())
    network = hours.select(pl.lit(None, pl.String).alias("warehouse_id"), pl.col(steps).median())
    return pl.concat([per_warehouse.sort("warehouse_id"), network])


def _hours(start: str, end: str) -> pl.Expr:
    return (pl.col(end) - pl.col(start)).dt.total_seconds(fractional=True) / 3600.0


def orders_at_risk(open_work: pl.DataFrame, now: dt.datetime, times: pl.DataFrame) -> pl.DataFrame:
    """Work not yet handed to a carrier, most at risk of dispatching late first.

    The dispatch deadline is the warehouse's cut-off hour on the promised dispatch date
    (the last moment a parcel packed makes that day's pickup), or the end of that day where
    the warehouse has no cut-off, when the wait for the pickup counts as a step too. With
    ``left`` the hours from ``now`` to the deadline and ``needed`` the median hours of the
    steps still to do (:data:`STAGE_STEPS`; where a warehouse has no such step in its
    history, the network's median),
    ``slack_hours = left - needed``.

    Parameters
    ----------
    open_work
        One row per order x warehouse not shipped: ``order_id``, ``external_order_id``,
        ``warehouse_id``, ``shipment_id`` (empty before a parcel exists), ``stage``
        (``to_pick``, ``to_pack`` or ``packed``), ``promised_dispatch_date``,
        ``order_cutoff_hour`` (may be empty).
    times
        :func:`stage_times`.

    Returns
    -------
    polars.DataFrame
        ``open_work``'s columns with ``rank``, ``deadline``, ``hours_left``,
        ``hours_needed``, ``slack_hours`` and ``reason``, by slack (then deadline, order).
    """
    rows = []
    medians = _medians(times)
    for row in open_work.iter_rows(named=True):
        steps = _steps_left(row["stage"], row["order_cutoff_hour"])
        needed = {step: _median(medians, row["warehouse_id"], step) for step in steps}
        deadline = _deadline(row["promised_dispatch_date"], row["order_cutoff_hour"])
        left = (deadline - now).total_seconds() / 3600.0
        slack = left - sum(needed.values())
        rows.append(
            {
                "deadline": deadline,
                "hours_left": left,
                "hours_needed": sum(needed.values()),
                "slack_hours": slack,
                "reason": _reason(deadline, left, needed, slack),
            }
        )
    schema: dict[str, pl.DataType] = {
        "deadline": pl.Datetime("us"),
        "hours_left": pl.Float64(),
        "hours_needed": pl.Float64(),
        "slack_hours": pl.Float64(),
        "reason": pl.String(),
    }
    ranked = pl.concat(
        [open_work, pl.DataFrame(rows, schema=schema, orient="row")], how="horizontal"
    ).sort("slack_hours", "deadline", "order_id", "shipment_id", nulls_last=True)
    return ranked.with_row_index("rank", offset=1).with_columns(pl.col("rank").cast(pl.Int64))


def _medians(times: pl.DataFrame) -> dict[str | None, dict[str, float | None]]:
    return {
        row["warehouse_id"]: {
            "pick": row["pick_hours"],
            "pack": row["pack_hours"],
            "pickup": row["pickup_hours"],
        }
        for row in times.iter_rows(named=True)
    }


def _median(
    medians: dict[str | None, dict[str, float | None]], warehouse_id: str, step: str
) -> float:
    """The warehouse's median hours of ``step``, else the network's, else none (0)."""
    for source in (warehouse_id, None):
        hours = medians.get(source, {}).get(step)
        if hours is not None:
            return hours
    return 0.0


def _steps_left(stage: str, cutoff_hour: int | None) -> tuple[str, ...]:
    steps = STAGE_STEPS[stage]
    return steps if cutoff_hour is not None else (*steps, "pickup")


def _deadline(day: dt.date, cutoff_hour: int | None) -> dt.datetime:
    midnight = dt.datetime.combine(day, dt.time())
    return midnight + (dt.timedelta(hours=cutoff_hour) if cutoff_hour is not None else _DAY)


def _reason(deadline: dt.datetime, left: float, needed: dict[str, float], slack: float) -> str:
    if left < 0:
        return f"dispatch deadline {deadline:%Y-%m-%d %H:%M} passed {-left:.1f} h ago"
    work = " + ".join(f"{step} {hours:.1f} h" for step, hours in needed.items()) or "nothing"
    if slack < 0:
        return f"needs {work} with {left:.1f} h left to {deadline:%Y-%m-%d %H:%M}"
    return f"{slack:.1f} h to spare ({work} before {deadline:%Y-%m-%d %H:%M})"
