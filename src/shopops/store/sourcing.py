"""Loading what a sourcing run needs, and finding the proposals it replaces."""

from __future__ import annotations

import datetime as dt

import polars as pl
import sqlalchemy as sa

from shopops.data.bundles import PACKAGING_HISTORY_WEEKS, SourcingSnapshot
from shopops.domain.planning import PlanRunKind, PlanRunStatus
from shopops.domain.supply import OPEN_PURCHASE_ORDER_STATUSES, PurchaseOrderStatus
from shopops.errors import ShopOpsError
from shopops.store.frames import FrameStore
from shopops.store.purchasing import add_event, change_status
from shopops.store.snapshot import load_plan_params
from shopops.store.tables import SQL_TABLES
from shopops.store.views import stock_positions

_RUNS = SQL_TABLES["plan_runs"]
_POS = SQL_TABLES["purchase_orders"]
_EVENTS = SQL_TABLES["purchase_order_events"]
_TABLES = (
    "skus",
    "supplier_offers",
    "offer_price_tiers",
    "currencies",
    "suppliers",
    "supplier_certifications",
    "purchase_orders",
    "purchase_order_lines",
    "receipts",
    "supplier_invoices",
    "supplier_invoice_lines",
    "scorecard_weights",
    "cartons",
)

PROPOSER_PREFIX = "sourcing run "
"""``created_by`` of the POs a sourcing run proposes: the prefix, then the run number."""


def latest_policy_run(conn: sa.Connection) -> int:
    """The newest finished run that set inventory policies; an error if there is none."""
    kinds = (PlanRunKind.POLICY.value, PlanRunKind.PLAN.value)
    run_id = conn.execute(
        sa.select(sa.func.max(_RUNS.c.run_id)).where(
            _RUNS.c.kind.in_(kinds), _RUNS.c.status == PlanRunStatus.DONE.value
        )
    ).scalar_one()
    if run_id is None:
        raise ShopOpsError(
            "no inventory policies to source for: run `shopops policy` first, then `shopops source`"
        )
    return int(run_id)


def load_sourcing_snapshot(frames: FrameStore, as_of: dt.date) -> SourcingSnapshot:
    """The latest policies and forecast, stock, open supply and the purchasing tables."""
    conn = frames.connection
    run_id = latest_policy_run(conn)
    of_run = "run_id = :run_id"
    tables = {name: frames.read(name) for name in _TABLES}
    since = {
        "start": dt.datetime.combine(as_of, dt.time()) - dt.timedelta(weeks=PACKAGING_HISTORY_WEEKS)
    }
    recent = "created_at >= :start"
    stock = stock_positions(conn).select(
        "sku_id", "warehouse_id", "on_hand_units", "reserved_units"
    )
    return SourcingSnapshot(
        as_of=as_of,
        params=load_plan_params(frames),
        policy_run_id=run_id,
        policies=frames.read("inventory_policies", where=of_run, params={"run_id": run_id}),
        forecast=frames.read("demand_forecasts", where=of_run, params={"run_id": run_id}),
        stock=stock,
        open_supply=open_supply(
            tables["purchase_orders"], tables["purchase_order_lines"], tables["receipts"]
        ),
        shipments=frames.read("shipments", where=recent, params=since),
        shipped_lines=frames.read(
            "order_lines",
            where=f"shipment_id IN (SELECT shipment_id FROM shipments WHERE {recent})",
            params=since,
        ),
        **tables,
    )


def open_supply(
    purchase_orders: pl.DataFrame, po_lines: pl.DataFrame, receipts: pl.DataFrame
) -> pl.DataFrame:
    """Units open purchase orders still expect per SKU, warehouse and expected date.

    Open units = ordered - cancelled - received, never below zero; only orders in an open
    status count (proposals are not supply until approved).
    """
    received = receipts.group_by("po_id", "line_no").agg(
        received_units=pl.col("received_units").sum()
    )
    statuses = sorted(s.value for s in OPEN_PURCHASE_ORDER_STATUSES)
    return (
        po_lines.join(
            purchase_orders.filter(pl.col("status").is_in(statuses)).select(
                "po_id", "warehouse_id"
            ),
            on="po_id",
        )
        .join(received, on=["po_id", "line_no"], how="left")
        .with_columns(
            open_units=(
                pl.col("quantity_units")
                - pl.col("cancelled_units")
                - pl.col("received_units").fill_null(0)
            ).clip(lower_bound=0)
        )
        .filter(pl.col("open_units") > 0)
        .group_by("sku_id", "warehouse_id", "expected_date")
        .agg(pl.col("open_units").sum())
        .sort("sku_id", "warehouse_id", "expected_date")
    )


def unapproved_proposals(conn: sa.Connection) -> list[int]:
    """POs earlier sourcing runs proposed that nobody has approved yet."""
    rows = conn.execute(
        sa.select(_POS.c.po_id).where(
            _POS.c.status == PurchaseOrderStatus.PROPOSED.value,
            _POS.c.created_by.like(f"{PROPOSER_PREFIX}%"),
        )
    )
    return [int(r) for r in rows.scalars()]


def supersede_proposals(conn: sa.Connection, run_id: int, at: dt.datetime) -> list[int]:
    """Cancel earlier runs' proposals nobody approved, each with an event saying why."""
    superseded = []
    who = f"{PROPOSER_PREFIX}{run_id}"
    for po_id in unapproved_proposals(conn):
        if change_status(conn, po_id, PurchaseOrderStatus.PROPOSED, PurchaseOrderStatus.CANCELLED):
            add_event(
                conn,
                po_id=po_id,
                from_status=PurchaseOrderStatus.PROPOSED,
                to_status=PurchaseOrderStatus.CANCELLED,
                changed_at=at,
                changed_by=who,
                note=f"superseded by sourcing run {run_id}",
            )
            superseded.append(po_id)
    return superseded


def next_event_id(conn: sa.Connection) -> int:
    """The first free purchase-order event number."""
    latest = conn.execute(sa.select(sa.func.max(_EVENTS.c.event_id))).scalar_one()
    return int(latest or 0) + 1


def next_po_id(conn: sa.Connection) -> int:
    """The first free purchase order number."""
    return (
        int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(_POS.c.po_id), 0))).scalar_one())
        + 1
    )
