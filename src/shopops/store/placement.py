"""Stock transfers and the regional demand placement needs, in SQL.

Every function runs on the caller's connection, inside its transaction. A transfer's status
changes only through :func:`change_transfer_status`, one conditional ``UPDATE``: of two
concurrent changes from the same status, exactly one takes effect.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl
import sqlalchemy as sa

from shopops.domain.inventory import TransferStatus
from shopops.domain.orders import CancelReason
from shopops.store.tables import SQL_TABLES

_TRANSFERS = SQL_TABLES["stock_transfers"]
_ORDERS = SQL_TABLES["orders"]
_LINES = SQL_TABLES["order_lines"]

NOT_DEMAND = (CancelReason.CUSTOMER.value, CancelReason.FRAUD.value)
"""Lines cancelled for these reasons were never demand; stock-out cancellations were."""

DEMAND_SCHEMA = pl.Schema({"sku_id": pl.String(), "region_id": pl.String(), "units": pl.Float64()})
IN_FLIGHT_SCHEMA = pl.Schema(
    {
        "sku_id": pl.String(),
        "from_warehouse_id": pl.String(),
        "to_warehouse_id": pl.String(),
        "quantity_units": pl.Int64(),
        "status": pl.String(),
    }
)
LIST_COLUMNS = (
    "transfer_id",
    "run_id",
    "sku_id",
    "from_warehouse_id",
    "to_warehouse_id",
    "quantity_units",
    "status",
    "proposed_date",
    "transfer_cost_usd",
    "shipping_saved_usd",
    "explanation",
)


@dataclass(frozen=True, slots=True)
class TransferRecord:
    transfer_id: int
    run_id: int | None
    sku_id: str
    from_warehouse_id: str
    to_warehouse_id: str
    quantity_units: int
    status: TransferStatus

    @property
    def label(self) -> str:
        return (
            f"transfer {self.transfer_id} ({self.quantity_units} x {self.sku_id}, "
            f"{self.from_warehouse_id} -> {self.to_warehouse_id})"
        )


def regional_demand(conn: sa.Connection, start: dt.date, end: dt.date) -> pl.DataFrame:
    """Units ordered per SKU and destination region from ``start`` up to ``end`` (excluded).

    Every line counts but those cancelled by the buyer or as fraud (:data:`NOT_DEMAND`).
    """
    placed = sa.and_(
        _ORDERS.c.ordered_at >= dt.datetime.combine(start, dt.time()),
        _ORDERS.c.ordered_at < dt.datetime.combine(end, dt.time()),
    )
    counted = sa.or_(_LINES.c.cancel_reason.is_(None), _LINES.c.cancel_reason.not_in(NOT_DEMAND))
    query = (
        sa.select(_LINES.c.sku_id, _ORDERS.c.region_id, sa.func.sum(_LINES.c.quantity_units))
        .join(_ORDERS, _ORDERS.c.order_id == _LINES.c.order_id)
        .where(placed, counted)
        .group_by(_LINES.c.sku_id, _ORDERS.c.region_id)
        .order_by(_LINES.c.sku_id, _ORDERS.c.region_id)
    )
    rows = [(sku, region, float(units)) for sku, region, units in conn.execute(query)]
    return pl.DataFrame(rows, schema=DEMAND_SCHEMA, orient="row")


def transfers_in_flight(conn: sa.Connection) -> pl.DataFrame:
    """Approved transfers (still on the source's shelves) and shipped ones (on the road)."""
    moving = (TransferStatus.APPROVED.value, TransferStatus.SHIPPED.value)
    query = sa.select(*(_TRANSFERS.c[name] for name in IN_FLIGHT_SCHEMA)).where(
        _TRANSFERS.c.status.in_(moving)
    )
    return pl.DataFrame([tuple(row) for row in conn.execute(query)], IN_FLIGHT_SCHEMA, orient="row")


def next_transfer_id(conn: sa.Connection) -> int:
    top = conn.execute(sa.select(sa.func.coalesce(sa.func.max(_TRANSFERS.c.transfer_id), 0)))
    return int(top.scalar_one()) + 1


def cancel_earlier_proposals(conn: sa.Connection, run_id: int) -> list[int]:
    """Cancel transfers still proposed by placement runs other than ``run_id``; their ids.

    Transfers entered by hand (no run) are left alone.
    """
    earlier = sa.and_(
        _TRANSFERS.c.status == TransferStatus.PROPOSED.value,
        _TRANSFERS.c.run_id.is_not(None),
        _TRANSFERS.c.run_id != run_id,
    )
    ids = [
        int(i) for i in conn.execute(sa.select(_TRANSFERS.c.transfer_id).where(earlier)).scalars()
    ]
    if ids:
        conn.execute(
            sa.update(_TRANSFERS)
            .where(earlier, _TRANSFERS.c.transfer_id.in_(ids))
            .values(status=TransferStatus.CANCELLED.value)
        )
    return sorted(ids)


def load_transfer(conn: sa.Connection, transfer_id: int) -> TransferRecord | None:
    query = sa.select(*(_TRANSFERS.c[name] for name in TransferRecord.__slots__))
    row = conn.execute(query.where(_TRANSFERS.c.transfer_id == transfer_id)).one_or_none()
    if row is None:
        return None
    values = row._asdict()
    values["status"] = TransferStatus(values["status"])
    return TransferRecord(**values)


def change_transfer_status(
    conn: sa.Connection, transfer_id: int, from_status: TransferStatus, to_status: TransferStatus
) -> bool:
    """Set the status if it still is ``from_status``; whether this call changed it."""
    result = conn.execute(
        sa.update(_TRANSFERS)
        .where(_TRANSFERS.c.transfer_id == transfer_id, _TRANSFERS.c.status == from_status.value)
        .values(status=to_status.value)
    )
    return result.rowcount == 1


def transfer_list(
    conn: sa.Connection, *, statuses: Sequence[TransferStatus] = (), limit: int | None = None
) -> pl.DataFrame:
    """Transfers newest first, optionally only those in ``statuses``."""
    query = (
        sa.select(*(_TRANSFERS.c[name] for name in LIST_COLUMNS))
        .order_by(_TRANSFERS.c.transfer_id.desc())
        .limit(limit)
    )
    if statuses:
        query = query.where(_TRANSFERS.c.status.in_([s.value for s in statuses]))
    rows = [tuple(row) for row in conn.execute(query)]
    schema = {name: _LIST_TYPES.get(name, pl.String()) for name in LIST_COLUMNS}
    return pl.DataFrame(rows, schema=schema, orient="row")


_LIST_TYPES: dict[str, pl.DataType] = {
    "transfer_id": pl.Int64(),
    "run_id": pl.Int64(),
    "quantity_units": pl.Int64(),
    "proposed_date": pl.Date(),
    "transfer_cost_usd": pl.Float64(),
    "shipping_saved_usd": pl.Float64(),
}
