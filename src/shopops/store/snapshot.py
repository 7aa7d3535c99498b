"""Loading a planning snapshot from the database, and saving what a plan run produced.

The demand history is aggregated by the database (one row per SKU, region, warehouse,
day and line status), so a year of tens of millions of order lines arrives as a frame
of a manageable size.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import sqlalchemy as sa

from shopops.data.bundles import DEMAND_LINE_SCHEMA, PlanningSnapshot
from shopops.domain.orders import CancelReason, OrderLineStatus
from shopops.domain.params import AbcClass, PlanParams, ServiceMeasure, ServiceTarget, XyzClass
from shopops.store.frames import FrameStore
from shopops.store.tables import SQL_TABLES

_MASTER = (
    "skus",
    "categories",
    "sales_events",
    "supplier_offers",
    "offer_price_tiers",
    "currencies",
    "suppliers",
    "warehouses",
    "shipping_zones",
)


def load_snapshot(frames: FrameStore, as_of: dt.date, *, history_days: int) -> PlanningSnapshot:
    """Everything the planning engines need to plan from ``as_of`` on."""
    start = as_of - dt.timedelta(days=history_days)
    master = {name: frames.read(name) for name in _MASTER}
    return PlanningSnapshot(
        as_of=as_of,
        params=load_plan_params(frames),
        demand_lines=load_demand_lines(frames.connection, start, as_of),
        **master,
    )


def load_plan_params(frames: FrameStore) -> PlanParams:
    """The stored planning parameters and service targets over the defaults."""
    values = frames.read("planning_parameters")
    targets = frames.read("service_level_targets")
    return PlanParams.from_rows(
        dict(zip(values["name"], values["value"], strict=True)),
        [
            ServiceTarget(AbcClass(a), XyzClass(x), ServiceMeasure(m), t)
            for a, x, m, t in targets.select(
                "abc_class", "xyz_class", "measure", "target"
            ).iter_rows()
        ],
    )


def load_demand_lines(conn: sa.Connection, start: dt.date, end: dt.date) -> pl.DataFrame:
    """Units ordered from ``start`` up to (not including) ``end``, aggregated by the database."""
    lines, orders = SQL_TABLES["order_lines"], SQL_TABLES["orders"]
    day = sa.cast(sa.func.date(orders.c.ordered_at), sa.String)
    stocked_out = sa.cast(
        sa.func.coalesce(lines.c.cancel_reason == CancelReason.STOCKOUT.value, False), sa.Integer
    )
    keys = (
        lines.c.sku_id,
        orders.c.region_id,
        lines.c.warehouse_id,
        day,
        lines.c.status,
        stocked_out,
    )
    query = (
        sa.select(*keys, sa.func.sum(lines.c.quantity_units))
        .join_from(lines, orders, lines.c.order_id == orders.c.order_id)
        .where(
            orders.c.ordered_at >= dt.datetime.combine(start, dt.time()),
            orders.c.ordered_at < dt.datetime.combine(end, dt.time()),
            sa.or_(
                lines.c.status != OrderLineStatus.CANCELLED.value,
                lines.c.cancel_reason == CancelReason.STOCKOUT.value,
            ),
        )
        .group_by(*keys)
    )
    raw = pl.DataFrame(
        conn.execute(query).all(),
        schema={**DEMAND_LINE_SCHEMA, "date": pl.String(), "stocked_out": pl.Int64()},
        orient="row",
    )
    return raw.with_columns(
        pl.col("date").str.to_date("%Y-%m-%d"), pl.col("stocked_out").cast(pl.Boolean)
    )
