"""What the fulfillment metrics and the at-risk list read: orders, lines and parcels of a
period, the work not handed to a carrier yet, and recent step times."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import polars as pl
import sqlalchemy as sa

from shopops.domain.orders import OrderLineStatus, OrderStatus, ShipmentStatus
from shopops.store.shipments import query_frame
from shopops.store.tables import SQL_TABLES

_SHIPMENTS = SQL_TABLES["shipments"]
_LINES = SQL_TABLES["order_lines"]
_ORDERS = SQL_TABLES["orders"]
_SERVICES = SQL_TABLES["carrier_services"]
_CARRIERS = SQL_TABLES["carriers"]
_WAREHOUSES = SQL_TABLES["warehouses"]


@dataclass(frozen=True, slots=True)
class MetricsInputs:
    """The frames :func:`shopops.analytics.fulfillment_metrics.fulfillment_metrics` takes."""

    orders: pl.DataFrame
    lines: pl.DataFrame
    shipments: pl.DataFrame
    carriers: pl.DataFrame


def metrics_inputs(conn: sa.Connection, start: dt.date, end: dt.date) -> MetricsInputs:
    """Orders due for dispatch from ``start`` to ``end`` or with a parcel shipped or
    delivered then, with their lines and parcels (and each parcel's carrier)."""
    since = dt.datetime.combine(start, dt.time())
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time())
    moved = sa.select(_SHIPMENTS.c.order_id).where(
        sa.or_(
            sa.and_(_SHIPMENTS.c.shipped_at >= since, _SHIPMENTS.c.shipped_at < until),
            sa.and_(_SHIPMENTS.c.delivered_at >= since, _SHIPMENTS.c.delivered_at < until),
        )
    )
    due = _ORDERS.c.promised_dispatch_date.between(start, end)
    chosen = sa.select(_ORDERS.c.order_id).where(sa.or_(due, _ORDERS.c.order_id.in_(moved)))
    columns = ("order_id", "status", "promised_dispatch_date", "promised_delivery_date")
    orders = sa.select(*_columns(_ORDERS, *columns)).where(_ORDERS.c.order_id.in_(chosen))
    lines = sa.select(*_columns(_LINES, "order_id", "status", "warehouse_id", "shipment_id")).where(
        _LINES.c.order_id.in_(chosen)
    )
    parcel_columns = ("shipment_id", "order_id", "warehouse_id")
    shipments = (
        sa.select(
            *_columns(_SHIPMENTS, *parcel_columns),
            _SERVICES.c.carrier_id,
            *_columns(_SHIPMENTS, "status", "tracking_number", "shipped_at", "delivered_at"),
        )
        .join(_SERVICES, _SERVICES.c.service_id == _SHIPMENTS.c.service_id)
        .where(_SHIPMENTS.c.order_id.in_(chosen))
    )
    carriers = sa.select(_CARRIERS.c.carrier_id, _CARRIERS.c.tracking_number_pattern)
    return MetricsInputs(
        orders=query_frame(conn, orders),
        lines=query_frame(conn, lines),
        shipments=query_frame(conn, shipments),
        carriers=query_frame(conn, carriers),
    )


def open_work(conn: sa.Connection) -> pl.DataFrame:
    """Work not handed to a carrier yet, one row per parcel or per order x warehouse whose
    reserved lines wait for a parcel: ``order_id``, ``external_order_id``, ``warehouse_id``,
    ``shipment_id``, ``stage`` (to_pick, to_pack, packed), ``promised_dispatch_date``,
    ``order_cutoff_hour``."""
    header = (
        _ORDERS.c.external_order_id,
        _ORDERS.c.promised_dispatch_date,
        _WAREHOUSES.c.order_cutoff_hour,
    )
    stage = sa.case(
        (_SHIPMENTS.c.status == ShipmentStatus.PACKED.value, "packed"),
        (_SHIPMENTS.c.picked_at.is_not(None), "to_pack"),
        else_="to_pick",
    )
    parcels = (
        sa.select(
            *_columns(_SHIPMENTS, "order_id", "warehouse_id", "shipment_id"),
            stage.label("stage"),
            *header,
        )
        .join(_ORDERS, _ORDERS.c.order_id == _SHIPMENTS.c.order_id)
        .join(_WAREHOUSES, _WAREHOUSES.c.warehouse_id == _SHIPMENTS.c.warehouse_id)
        .where(
            _SHIPMENTS.c.status.in_([ShipmentStatus.PICKING.value, ShipmentStatus.PACKED.value]),
            _ORDERS.c.status != OrderStatus.CANCELLED.value,
        )
    )
    waiting = (
        sa.select(
            *_columns(_LINES, "order_id", "warehouse_id"),
            sa.cast(sa.null(), sa.Integer).label("shipment_id"),
            sa.literal("to_pick").label("stage"),
            *header,
        )
        .join(_ORDERS, _ORDERS.c.order_id == _LINES.c.order_id)
        .join(_WAREHOUSES, _WAREHOUSES.c.warehouse_id == _LINES.c.warehouse_id)
        .where(
            sa.and_(
                _LINES.c.status == OrderLineStatus.RESERVED.value,
                _LINES.c.warehouse_id.is_not(None),
                _LINES.c.shipment_id.is_(None),
            ),
            _ORDERS.c.status != OrderStatus.CANCELLED.value,
        )
        .group_by(_LINES.c.order_id, _LINES.c.warehouse_id, *header)
    )
    frames = [query_frame(conn, query) for query in (parcels, waiting)]
    columns = ["order_id", "external_order_id", "warehouse_id", "shipment_id", "stage"]
    return pl.concat(frames).select(*columns, "promised_dispatch_date", "order_cutoff_hour")


def stage_history(conn: sa.Connection, since: dt.datetime) -> pl.DataFrame:
    """Step times of the shipments created since ``since`` and not cancelled."""
    columns = ("warehouse_id", "created_at", "picked_at", "packed_at", "shipped_at")
    query = sa.select(*_columns(_SHIPMENTS, *columns)).where(
        _SHIPMENTS.c.created_at >= since,
        _SHIPMENTS.c.status != ShipmentStatus.CANCELLED.value,
    )
    return query_frame(conn, query)


def _columns(table: sa.Table, *names: str) -> list[sa.Column[Any]]:
    return [table.c[name] for name in names]
