"""Fulfillment: shipment history, stock transfers, allocation results, carriers' tracking
number patterns, the value recovered from returns, and the fulfillment parameters.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 14:52:59.330363
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "allocation_summaries",
        sa.Column(
            "run_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("method", sa.Text(), autoincrement=False, nullable=False),
        sa.Column(
            "orders",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column(
            "orders_allocated",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column(
            "parcels",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column(
            "split_orders",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("split_rate", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("shipping_cost_usd", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("handling_cost_usd", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("total_cost_usd", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("cost_per_order_usd", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("on_time_share", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("lower_bound_usd", sa.Double(), autoincrement=False, nullable=True),
        sa.Column("gap", sa.Double(), autoincrement=False, nullable=True),
        sa.CheckConstraint(
            "method IN ('optimised', 'nearest_warehouse', 'cheapest_single_warehouse')",
            name="ck_allocation_summaries_method_choice",
        ),
        sa.CheckConstraint(
            "cost_per_order_usd >= 0", name="ck_allocation_summaries_cost_per_order_usd_min"
        ),
        sa.CheckConstraint("gap >= 0", name="ck_allocation_summaries_gap_min"),
        sa.CheckConstraint(
            "handling_cost_usd >= 0", name="ck_allocation_summaries_handling_cost_usd_min"
        ),
        sa.CheckConstraint("on_time_share <= 1", name="ck_allocation_summaries_on_time_share_max"),
        sa.CheckConstraint("on_time_share >= 0", name="ck_allocation_summaries_on_time_share_min"),
        sa.CheckConstraint("orders >= 0", name="ck_allocation_summaries_orders_min"),
        sa.CheckConstraint(
            "orders_allocated >= 0", name="ck_allocation_summaries_orders_allocated_min"
        ),
        sa.CheckConstraint("parcels >= 0", name="ck_allocation_summaries_parcels_min"),
        sa.CheckConstraint(
            "shipping_cost_usd >= 0", name="ck_allocation_summaries_shipping_cost_usd_min"
        ),
        sa.CheckConstraint("split_orders >= 0", name="ck_allocation_summaries_split_orders_min"),
        sa.CheckConstraint("split_rate <= 1", name="ck_allocation_summaries_split_rate_max"),
        sa.CheckConstraint("split_rate >= 0", name="ck_allocation_summaries_split_rate_min"),
        sa.CheckConstraint(
            "total_cost_usd >= 0", name="ck_allocation_summaries_total_cost_usd_min"
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["plan_runs.run_id"],
            name="fk_allocation_summaries_run_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("run_id", "method", name="pk_allocation_summaries"),
    )
    op.create_table(
        "stock_transfers",
        sa.Column(
            "transfer_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column(
            "run_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=True,
        ),
        sa.Column("sku_id", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("from_warehouse_id", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("to_warehouse_id", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column(
            "quantity_units",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("status", sa.Text(), autoincrement=False, nullable=False),
        sa.Column("proposed_date", sa.Date(), autoincrement=False, nullable=False),
        sa.Column("transfer_cost_usd", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("shipping_saved_usd", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("explanation", sa.Text(), autoincrement=False, nullable=False),
        sa.CheckConstraint(
            "status IN ('proposed', 'approved', 'shipped', 'received', 'cancelled')",
            name="ck_stock_transfers_status_choice",
        ),
        sa.CheckConstraint(
            "from_warehouse_id <> to_warehouse_id",
            name="ck_stock_transfers_transfer_between_two_warehouses",
        ),
        sa.CheckConstraint("quantity_units > 0", name="ck_stock_transfers_quantity_units_min"),
        sa.CheckConstraint(
            "shipping_saved_usd >= 0", name="ck_stock_transfers_shipping_saved_usd_min"
        ),
        sa.CheckConstraint(
            "transfer_cost_usd >= 0", name="ck_stock_transfers_transfer_cost_usd_min"
        ),
        sa.CheckConstraint("transfer_id >= 1", name="ck_stock_transfers_transfer_id_min"),
        sa.ForeignKeyConstraint(
            ["from_warehouse_id"],
            ["warehouses.warehouse_id"],
            name="fk_stock_transfers_from_warehouse_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["sku_id"],
            ["skus.sku_id"],
            name="fk_stock_transfers_sku_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["to_warehouse_id"],
            ["warehouses.warehouse_id"],
            name="fk_stock_transfers_to_warehouse_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("transfer_id", name="pk_stock_transfers"),
    )
    with op.batch_alter_table("stock_transfers", schema=None) as batch_op:
        batch_op.create_index("ix_stock_transfers_status", ["status"], unique=False)

    op.create_table(
        "shipment_events",
        sa.Column(
            "event_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column(
            "shipment_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("from_status", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("to_status", sa.Text(), autoincrement=False, nullable=False),
        sa.Column("changed_at", sa.DateTime(), autoincrement=False, nullable=False),
        sa.Column("changed_by", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("note", sa.String(length=500), autoincrement=False, nullable=True),
        sa.CheckConstraint(
            "from_status IN ('picking', 'packed', 'shipped', 'in_transit', 'delivered', "
            "'exception', 'cancelled')",
            name="ck_shipment_events_from_status_choice",
        ),
        sa.CheckConstraint(
            "to_status IN ('picking', 'packed', 'shipped', 'in_transit', 'delivered', "
            "'exception', 'cancelled')",
            name="ck_shipment_events_to_status_choice",
        ),
        sa.CheckConstraint("event_id >= 1", name="ck_shipment_events_event_id_min"),
        sa.ForeignKeyConstraint(
            ["shipment_id"],
            ["shipments.shipment_id"],
            name="fk_shipment_events_shipment_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("event_id", name="pk_shipment_events"),
    )
    with op.batch_alter_table("shipment_events", schema=None) as batch_op:
        batch_op.create_index("ix_shipment_events_shipment_id", ["shipment_id"], unique=False)

    op.create_table(
        "fulfillment_allocations",
        sa.Column(
            "run_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column(
            "order_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column(
            "line_no",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("warehouse_id", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("service_id", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("ship_date", sa.Date(), autoincrement=False, nullable=False),
        sa.Column("arrival_date", sa.Date(), autoincrement=False, nullable=False),
        sa.Column("on_time", sa.Boolean(), autoincrement=False, nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id", "line_no"],
            ["order_lines.order_id", "order_lines.line_no"],
            name="fk_fulfillment_allocations_order_id_line_no",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["plan_runs.run_id"],
            name="fk_fulfillment_allocations_run_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["carrier_services.service_id"],
            name="fk_fulfillment_allocations_service_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"],
            ["warehouses.warehouse_id"],
            name="fk_fulfillment_allocations_warehouse_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("run_id", "order_id", "line_no", name="pk_fulfillment_allocations"),
    )
    with op.batch_alter_table("carriers", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "tracking_number_pattern", sa.String(length=200), autoincrement=False, nullable=True
            )
        )

    with op.batch_alter_table("returns", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("recovered_value_usd", sa.Double(), autoincrement=False, nullable=True)
        )

    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.create_index("ix_shipments_status", ["status"], unique=False)

    _replace_check("planning_parameters", "ck_planning_parameters_name_choice", _PARAMETERS_0004)
    _replace_check("plan_runs", "ck_plan_runs_kind_choice", _KINDS_0004)


_PARAMETERS_0003 = (
    "forecast_horizon_days",
    "backtest_weeks",
    "holding_cost_rate_per_year",
    "review_period_days",
    "abc_a_share",
    "abc_b_share",
    "xyz_x_cv",
    "xyz_y_cv",
    "category_share_cap",
    "dual_source_min_share",
    "risk_penalty_rate",
    "late_penalty_rate_per_day",
    "sourcing_mip_gap",
    "invoice_price_tolerance",
    "invoice_quantity_tolerance",
    "scorecard_warn_below",
    "scorecard_block_below",
    "certification_warning_days",
)
_PARAMETERS_0004 = (
    *_PARAMETERS_0003,
    "dispatch_business_days",
    "split_penalty_usd_per_parcel",
    "late_delivery_penalty_usd_per_day",
    "packing_volume_factor",
    "restock_handling_usd_per_unit",
    "refurbish_cost_share",
    "liquidation_recovery_share",
    "disposal_cost_usd_per_unit",
    "return_window_days",
    "transfer_handling_usd_per_unit",
    "transfer_cost_usd_per_kg_100km",
)
_KINDS_0003 = ("forecast", "policy", "plan", "sourcing")
_KINDS_0004 = (*_KINDS_0003, "allocation", "placement")


def _replace_check(table: str, name: str, choices: tuple[str, ...]) -> None:
    column = "name" if table == "planning_parameters" else "kind"
    listed = ", ".join(f"'{c}'" for c in choices)
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.drop_constraint(name, type_="check")
        batch_op.create_check_constraint(name, f"{column} IN ({listed})")


def downgrade() -> None:
    _replace_check("plan_runs", "ck_plan_runs_kind_choice", _KINDS_0003)
    op.execute(f"DELETE FROM planning_parameters WHERE name NOT IN {_PARAMETERS_0003!r}")
    _replace_check("planning_parameters", "ck_planning_parameters_name_choice", _PARAMETERS_0003)
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.drop_index("ix_shipments_status")

    with op.batch_alter_table("returns", schema=None) as batch_op:
        batch_op.drop_column("recovered_value_usd")

    with op.batch_alter_table("carriers", schema=None) as batch_op:
        batch_op.drop_column("tracking_number_pattern")

    op.drop_table("fulfillment_allocations")
    with op.batch_alter_table("shipment_events", schema=None) as batch_op:
        batch_op.drop_index("ix_shipment_events_shipment_id")

    op.drop_table("shipment_events")
    with op.batch_alter_table("stock_transfers", schema=None) as batch_op:
        batch_op.drop_index("ix_stock_transfers_status")

    op.drop_table("stock_transfers")
    op.drop_table("allocation_summaries")
