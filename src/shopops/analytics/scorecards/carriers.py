"""The carrier scorecard's metrics per carrier (and service) and period.

- ``on_time_delivery`` over the parcels whose promised delivery date
  (``orders.promised_delivery_date``) falls in the period, judged once it has passed
  (dates before ``as_of``): on time when delivered on or before that day. Parcels the
  warehouse never handed over are the warehouse's failure and are left out.
- ``exception_rate`` over the parcels shipped in the period: those that ended in an
  exception or came back with the return reason *damaged*.
- ``cost_per_parcel_usd`` (``shipping_cost_usd``) against ``contract_cost_per_parcel_usd``
  over the parcels shipped in the period. The contract price is the rate card's
  ``rate_usd`` for the parcel's service, zone and the lightest weight band holding its
  billable weight, times ``1 + fuel_surcharge_rate``; ``cost_variance_to_contract`` is
  ``sum(charged - contract) / sum(contract)`` over the parcels the rate card prices.

Cancelled shipments are left out; only events before ``as_of`` count.
"""

from __future__ import annotations

import datetime as dt
from functools import reduce

import polars as pl

from shopops.analytics.scorecards._frames import Period, period_start, require_columns, share
from shopops.analytics.scorecards._shipments import not_cancelled, with_damage

CARRIER_METRIC_COLUMNS = (
    "carrier_id",
    "service_id",
    "period_start",
    "parcels_due",
    "parcels_shipped",
    "parcels_priced",
    "on_time_delivery",
    "exception_rate",
    "cost_per_parcel_usd",
    "contract_cost_per_parcel_usd",
    "cost_variance_to_contract",
)
_COUNTS = ("parcels_due", "parcels_shipped", "parcels_priced")


def carrier_metrics(
    shipments: pl.DataFrame,
    orders: pl.DataFrame,
    order_lines: pl.DataFrame,
    returns: pl.DataFrame,
    carrier_services: pl.DataFrame,
    rate_cards: pl.DataFrame,
    *,
    as_of: dt.date,
    period: Period = "month",
    by_service: bool = True,
) -> pl.DataFrame:
    """Carrier scorecard metrics per carrier, service and period (see module notes).

    With ``by_service=False`` the services of a carrier are rated together and the
    ``service_id`` column is left out.

    Returns
    -------
    polars.DataFrame
        :data:`CARRIER_METRIC_COLUMNS`: the keys, the parcels each metric rests on, and one
        column per metric of the carrier scorecard.
    """
    require_columns(
        shipments,
        "shipments",
        ("shipment_id", "order_id", "service_id", "status", "zone", "billable_weight_kg"),
    )
    require_columns(shipments, "shipments", ("shipping_cost_usd", "shipped_at", "delivered_at"))
    require_columns(carrier_services, "carrier_services", ("service_id", "carrier_id"))
    require_columns(carrier_services, "carrier_services", ("fuel_surcharge_rate",))
    require_columns(rate_cards, "rate_cards", ("service_id", "zone", "max_weight_kg", "rate_usd"))
    keys = ["carrier_id", "service_id"] if by_service else ["carrier_id"]
    shipped = (
        not_cancelled(shipments)
        .filter(pl.col("shipped_at").dt.date() < as_of)
        .join(carrier_services.select("service_id", "carrier_id"), on="service_id", how="left")
    )
    past_returns = returns.filter(pl.col("requested_date") < as_of)
    parts = [
        _delivery(shipped, orders, keys=keys, period=period, as_of=as_of),
        with_damage(shipped, order_lines, past_returns)
        .with_columns(period_start(pl.col("shipped_at"), period))
        .group_by(*keys, "period_start")
        .agg(parcels_shipped=pl.len(), exception_rate=pl.col("damaged").cast(pl.Float64).mean()),
        _postage(shipped, carrier_services, rate_cards, keys=keys, period=period),
    ]
    on = [*keys, "period_start"]
    joined = reduce(lambda a, b: a.join(b, on=on, how="full", coalesce=True), parts)
    columns = [c for c in CARRIER_METRIC_COLUMNS if by_service or c != "service_id"]
    return (
        joined.with_columns(pl.col(c).fill_null(0).cast(pl.Int64) for c in _COUNTS)
        .select(columns)
        .sort(on)
    )


def _delivery(
    shipped: pl.DataFrame,
    orders: pl.DataFrame,
    *,
    keys: list[str],
    period: Period,
    as_of: dt.date,
) -> pl.DataFrame:
    """``on_time_delivery`` over the parcels promised in each period."""
    require_columns(orders, "orders", ("order_id", "promised_delivery_date"))
    delivered_day = pl.col("delivered_at").dt.date()
    on_time = (delivered_day <= pl.col("promised_delivery_date")) & (delivered_day < as_of)
    return (
        shipped.join(orders.select("order_id", "promised_delivery_date"), on="order_id")
        .filter(pl.col("promised_delivery_date") < as_of)
        .with_columns(
            period_start(pl.col("promised_delivery_date"), period),
            on_time=on_time.fill_null(False),
        )
        .group_by(*keys, "period_start")
        .agg(parcels_due=pl.len(), on_time_delivery=pl.col("on_time").cast(pl.Float64).mean())
    )


def contract_postage(
    shipments: pl.DataFrame, carrier_services: pl.DataFrame, rate_cards: pl.DataFrame
) -> pl.DataFrame:
    """``shipments`` with ``contract_cost_usd``: the rate-card price of each parcel with fuel
    surcharge, null where no weight band of its service and zone holds its billable weight."""
    fuel = carrier_services.select("service_id", "fuel_surcharge_rate")
    bands = (
        rate_cards.select("service_id", "zone", "max_weight_kg", "rate_usd")
        .join(fuel, on="service_id")
        .with_columns(pl.col("zone").cast(pl.Int64))
        .sort("max_weight_kg")
    )
    priced = (
        shipments.select(
            "shipment_id", "service_id", pl.col("zone").cast(pl.Int64), "billable_weight_kg"
        )
        .sort("billable_weight_kg")
        .join_asof(
            bands,
            left_on="billable_weight_kg",
            right_on="max_weight_kg",
            by=["service_id", "zone"],
            strategy="forward",
            check_sortedness=False,  # both sorted by weight above; polars cannot check groups
        )
        .select(
            "shipment_id",
            contract_cost_usd=pl.col("rate_usd") * (1.0 + pl.col("fuel_surcharge_rate")),
        )
    )
    return shipments.join(priced, on="shipment_id", how="left")


def _postage(
    shipped: pl.DataFrame,
    carrier_services: pl.DataFrame,
    rate_cards: pl.DataFrame,
    *,
    keys: list[str],
    period: Period,
) -> pl.DataFrame:
    """Charged and contract postage per parcel, and the variance between them."""
    priced = pl.col("contract_cost_usd").is_not_null()
    return (
        contract_postage(shipped, carrier_services, rate_cards)
        .with_columns(period_start(pl.col("shipped_at"), period))
        .group_by(*keys, "period_start")
        .agg(
            parcels_priced=priced.sum(),
            cost_per_parcel_usd=pl.col("shipping_cost_usd").mean(),
            contract_cost_per_parcel_usd=pl.col("contract_cost_usd").mean(),
            cost_variance_to_contract=share(
                (pl.col("shipping_cost_usd") - pl.col("contract_cost_usd")).filter(priced).sum(),
                pl.col("contract_cost_usd").filter(priced).sum(),
            ),
        )
    )
