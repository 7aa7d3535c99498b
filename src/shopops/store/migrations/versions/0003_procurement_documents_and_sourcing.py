"""Purchasing documents (PO history, invoices, receipt references), cartons, scorecard
weights, expedite terms, and the tables sourcing runs write.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 12:01:47.307761
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "scorecard_weights",
        sa.Column("scorecard", sa.Text(), autoincrement=False, nullable=False),
        sa.Column("metric", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("weight", sa.Double(), autoincrement=False, nullable=False),
        sa.CheckConstraint(
            "scorecard IN ('supplier', 'warehouse', 'carrier')",
            name="ck_scorecard_weights_scorecard_choice",
        ),
        sa.CheckConstraint("weight >= 0", name="ck_scorecard_weights_weight_min"),
        sa.PrimaryKeyConstraint("scorecard", "metric", name="pk_scorecard_weights"),
    )
    op.create_table(
        "cartons",
        sa.Column("carton_code", sa.String(length=32), autoincrement=False, nullable=False),
        sa.Column("family", sa.Text(), autoincrement=False, nullable=False),
        sa.Column("length_cm", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("width_cm", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("height_cm", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("max_weight_kg", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("tare_weight_kg", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("sku_id", sa.String(length=64), autoincrement=False, nullable=True),
        sa.CheckConstraint(
            "family IN ('envelope', 'poly_bag', 'mailer', 'tube', 'box')",
            name="ck_cartons_family_choice",
        ),
        sa.CheckConstraint("height_cm > 0", name="ck_cartons_height_cm_min"),
        sa.CheckConstraint("length_cm > 0", name="ck_cartons_length_cm_min"),
        sa.CheckConstraint(
            "length_cm >= width_cm AND width_cm >= height_cm", name="ck_cartons_carton_sides_sorted"
        ),
        sa.CheckConstraint("max_weight_kg > 0", name="ck_cartons_max_weight_kg_min"),
        sa.CheckConstraint("tare_weight_kg >= 0", name="ck_cartons_tare_weight_kg_min"),
        sa.CheckConstraint("width_cm > 0", name="ck_cartons_width_cm_min"),
        sa.ForeignKeyConstraint(
            ["sku_id"],
            ["skus.sku_id"],
            name="fk_cartons_sku_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("carton_code", name="pk_cartons"),
    )
    op.create_table(
        "net_requirements",
        sa.Column(
            "run_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column(
            "requirement_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("sku_id", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("warehouse_id", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("order_by_date", sa.Date(), autoincrement=False, nullable=False),
        sa.Column("need_by_date", sa.Date(), autoincrement=False, nullable=False),
        sa.Column(
            "quantity_units",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("projected_position_units", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("urgent", sa.Boolean(), autoincrement=False, nullable=False),
        sa.Column(
            "awarded_units",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column(
            "shortfall_units",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("shortfall_reason", sa.String(length=500), autoincrement=False, nullable=True),
        sa.Column("explanation", sa.Text(), autoincrement=False, nullable=False),
        sa.CheckConstraint("awarded_units >= 0", name="ck_net_requirements_awarded_units_min"),
        sa.CheckConstraint("quantity_units > 0", name="ck_net_requirements_quantity_units_min"),
        sa.CheckConstraint("requirement_id >= 1", name="ck_net_requirements_requirement_id_min"),
        sa.CheckConstraint("shortfall_units >= 0", name="ck_net_requirements_shortfall_units_min"),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["plan_runs.run_id"],
            name="fk_net_requirements_run_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["sku_id"],
            ["skus.sku_id"],
            name="fk_net_requirements_sku_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"],
            ["warehouses.warehouse_id"],
            name="fk_net_requirements_warehouse_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("run_id", "requirement_id", name="pk_net_requirements"),
    )
    op.create_table(
        "supplier_invoices",
        sa.Column(
            "invoice_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("invoice_number", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("supplier_id", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("invoice_date", sa.Date(), autoincrement=False, nullable=False),
        sa.Column("currency_code", sa.String(length=64), autoincrement=False, nullable=False),
        sa.CheckConstraint("invoice_id >= 1", name="ck_supplier_invoices_invoice_id_min"),
        sa.ForeignKeyConstraint(
            ["currency_code"],
            ["currencies.currency_code"],
            name="fk_supplier_invoices_currency_code",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["suppliers.supplier_id"],
            name="fk_supplier_invoices_supplier_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("invoice_id", name="pk_supplier_invoices"),
        sa.UniqueConstraint(
            "supplier_id", "invoice_number", name="uq_supplier_invoices_supplier_id_invoice_number"
        ),
    )
    op.create_table(
        "award_alternatives",
        sa.Column(
            "run_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column(
            "requirement_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("offer_id", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("supplier_id", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("status", sa.String(length=16), autoincrement=False, nullable=False),
        sa.Column("reason", sa.String(length=500), autoincrement=False, nullable=True),
        sa.Column("landed_cost_usd", sa.Double(), autoincrement=False, nullable=True),
        sa.Column("cost_difference_usd", sa.Double(), autoincrement=False, nullable=True),
        sa.Column("lead_time_difference_days", sa.Double(), autoincrement=False, nullable=True),
        sa.ForeignKeyConstraint(
            ["offer_id"],
            ["supplier_offers.offer_id"],
            name="fk_award_alternatives_offer_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["run_id", "requirement_id"],
            ["net_requirements.run_id", "net_requirements.requirement_id"],
            name="fk_award_alternatives_run_id_requirement_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["plan_runs.run_id"],
            name="fk_award_alternatives_run_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["suppliers.supplier_id"],
            name="fk_award_alternatives_supplier_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint(
            "run_id", "requirement_id", "offer_id", name="pk_award_alternatives"
        ),
    )
    op.create_table(
        "purchase_order_events",
        sa.Column(
            "event_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column(
            "po_id",
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
            "from_status IN ('proposed', 'approved', 'sent', 'confirmed', "
            "'partially_received', 'received', 'cancelled', 'closed')",
            name="ck_purchase_order_events_from_status_choice",
        ),
        sa.CheckConstraint(
            "to_status IN ('proposed', 'approved', 'sent', 'confirmed', "
            "'partially_received', 'received', 'cancelled', 'closed')",
            name="ck_purchase_order_events_to_status_choice",
        ),
        sa.CheckConstraint("event_id >= 1", name="ck_purchase_order_events_event_id_min"),
        sa.ForeignKeyConstraint(
            ["po_id"],
            ["purchase_orders.po_id"],
            name="fk_purchase_order_events_po_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("event_id", name="pk_purchase_order_events"),
    )
    op.create_table(
        "sourcing_awards",
        sa.Column(
            "run_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column(
            "requirement_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("offer_id", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("supplier_id", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("sku_id", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("warehouse_id", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column(
            "quantity_units",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("unit_price_usd", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("landed_cost_usd_per_unit", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("risk_penalty_usd", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("fixed_order_cost_usd", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("total_cost_usd", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("lead_time_days", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("expedited", sa.Boolean(), autoincrement=False, nullable=False),
        sa.Column("arrival_date", sa.Date(), autoincrement=False, nullable=False),
        sa.Column(
            "late_days",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column(
            "po_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=True,
        ),
        sa.Column("explanation", sa.Text(), autoincrement=False, nullable=False),
        sa.CheckConstraint(
            "fixed_order_cost_usd >= 0", name="ck_sourcing_awards_fixed_order_cost_usd_min"
        ),
        sa.CheckConstraint(
            "landed_cost_usd_per_unit >= 0", name="ck_sourcing_awards_landed_cost_usd_per_unit_min"
        ),
        sa.CheckConstraint("late_days >= 0", name="ck_sourcing_awards_late_days_min"),
        sa.CheckConstraint("lead_time_days >= 0", name="ck_sourcing_awards_lead_time_days_min"),
        sa.CheckConstraint("quantity_units > 0", name="ck_sourcing_awards_quantity_units_min"),
        sa.CheckConstraint("risk_penalty_usd >= 0", name="ck_sourcing_awards_risk_penalty_usd_min"),
        sa.CheckConstraint("total_cost_usd >= 0", name="ck_sourcing_awards_total_cost_usd_min"),
        sa.CheckConstraint("unit_price_usd >= 0", name="ck_sourcing_awards_unit_price_usd_min"),
        sa.ForeignKeyConstraint(
            ["offer_id"],
            ["supplier_offers.offer_id"],
            name="fk_sourcing_awards_offer_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["po_id"],
            ["purchase_orders.po_id"],
            name="fk_sourcing_awards_po_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["run_id", "requirement_id"],
            ["net_requirements.run_id", "net_requirements.requirement_id"],
            name="fk_sourcing_awards_run_id_requirement_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["plan_runs.run_id"],
            name="fk_sourcing_awards_run_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["sku_id"],
            ["skus.sku_id"],
            name="fk_sourcing_awards_sku_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["suppliers.supplier_id"],
            name="fk_sourcing_awards_supplier_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"],
            ["warehouses.warehouse_id"],
            name="fk_sourcing_awards_warehouse_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("run_id", "requirement_id", "offer_id", name="pk_sourcing_awards"),
    )
    op.create_table(
        "supplier_invoice_lines",
        sa.Column(
            "invoice_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column(
            "po_id",
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
        sa.Column(
            "quantity_units",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("unit_price", sa.Double(), autoincrement=False, nullable=False),
        sa.CheckConstraint(
            "quantity_units > 0", name="ck_supplier_invoice_lines_quantity_units_min"
        ),
        sa.CheckConstraint("unit_price >= 0", name="ck_supplier_invoice_lines_unit_price_min"),
        sa.ForeignKeyConstraint(
            ["invoice_id"],
            ["supplier_invoices.invoice_id"],
            name="fk_supplier_invoice_lines_invoice_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["po_id", "line_no"],
            ["purchase_order_lines.po_id", "purchase_order_lines.line_no"],
            name="fk_supplier_invoice_lines_po_id_line_no",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("invoice_id", "po_id", "line_no", name="pk_supplier_invoice_lines"),
    )
    with op.batch_alter_table("receipts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("receipt_reference", sa.String(length=64), autoincrement=False, nullable=True)
        )
    op.execute(
        "UPDATE receipts SET receipt_reference = 'GRN-' || "
        "substr('000000000' || CAST(receipt_id AS TEXT), -9, 9)"
    )
    with op.batch_alter_table("receipts", schema=None) as batch_op:
        batch_op.alter_column(
            "receipt_reference", existing_type=sa.String(length=64), nullable=False
        )
        batch_op.create_unique_constraint("uq_receipts_receipt_reference", ["receipt_reference"])

    with op.batch_alter_table("supplier_offers", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("expedite_lead_time_days", sa.Double(), autoincrement=False, nullable=True)
        )
        batch_op.add_column(
            sa.Column("expedite_cost_usd_per_unit", sa.Double(), autoincrement=False, nullable=True)
        )
        for name, condition in _OFFER_CHECKS:
            batch_op.create_check_constraint(name, condition)

    _replace_check("planning_parameters", "ck_planning_parameters_name_choice", _PARAMETERS_0003)
    _replace_check("plan_runs", "ck_plan_runs_kind_choice", _KINDS_0003)


_OFFER_CHECKS = (
    ("ck_supplier_offers_expedite_cost_usd_per_unit_min", "expedite_cost_usd_per_unit >= 0"),
    ("ck_supplier_offers_expedite_lead_time_days_min", "expedite_lead_time_days > 0"),
    (
        "ck_supplier_offers_expedite_is_faster",
        "expedite_lead_time_days IS NULL OR expedite_lead_time_days < lead_time_mean_days",
    ),
    (
        "ck_supplier_offers_expedite_terms_together",
        "(expedite_lead_time_days IS NULL) = (expedite_cost_usd_per_unit IS NULL)",
    ),
)
_PARAMETERS_0002 = (
    "forecast_horizon_days",
    "backtest_weeks",
    "holding_cost_rate_per_year",
    "review_period_days",
    "abc_a_share",
    "abc_b_share",
    "xyz_x_cv",
    "xyz_y_cv",
)
_PARAMETERS_0003 = (
    *_PARAMETERS_0002,
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
_KINDS_0002 = ("forecast", "policy", "plan")
_KINDS_0003 = (*_KINDS_0002, "sourcing")


def _replace_check(table: str, name: str, choices: tuple[str, ...]) -> None:
    column = "name" if table == "planning_parameters" else "kind"
    listed = ", ".join(f"'{c}'" for c in choices)
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.drop_constraint(name, type_="check")
        batch_op.create_check_constraint(name, f"{column} IN ({listed})")


def downgrade() -> None:
    _replace_check("plan_runs", "ck_plan_runs_kind_choice", _KINDS_0002)
    op.execute(f"DELETE FROM planning_parameters WHERE name NOT IN {_PARAMETERS_0002!r}")
    _replace_check("planning_parameters", "ck_planning_parameters_name_choice", _PARAMETERS_0002)
    with op.batch_alter_table("supplier_offers", schema=None) as batch_op:
        for name, _ in _OFFER_CHECKS:
            batch_op.drop_constraint(name, type_="check")
        batch_op.drop_column("expedite_cost_usd_per_unit")
        batch_op.drop_column("expedite_lead_time_days")

    with op.batch_alter_table("receipts", schema=None) as batch_op:
        batch_op.drop_constraint("uq_receipts_receipt_reference", type_="unique")
        batch_op.drop_column("receipt_reference")

    op.drop_table("supplier_invoice_lines")
    op.drop_table("sourcing_awards")
    op.drop_table("purchase_order_events")
    op.drop_table("award_alternatives")
    op.drop_table("supplier_invoices")
    op.drop_table("net_requirements")
    op.drop_table("cartons")
    op.drop_table("scorecard_weights")
