"""Planning parameters, service targets and the tables plan runs write.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 10:51:59.361361
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "plan_runs",
        sa.Column(
            "run_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("kind", sa.Text(), autoincrement=False, nullable=False),
        sa.Column("status", sa.Text(), autoincrement=False, nullable=False),
        sa.Column("as_of", sa.Date(), autoincrement=False, nullable=False),
        sa.Column("started_at", sa.DateTime(), autoincrement=False, nullable=False),
        sa.Column("finished_at", sa.DateTime(), autoincrement=False, nullable=True),
        sa.Column("parameters", sa.Text(), autoincrement=False, nullable=False),
        sa.Column("message", sa.Text(), autoincrement=False, nullable=True),
        sa.CheckConstraint(
            "kind IN ('forecast', 'policy', 'plan')", name="ck_plan_runs_kind_choice"
        ),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'done', 'failed', 'cancelled')",
            name="ck_plan_runs_status_choice",
        ),
        sa.CheckConstraint(
            "finished_at >= started_at", name="ck_plan_runs_finished_at_not_before_started_at"
        ),
        sa.CheckConstraint("run_id >= 1", name="ck_plan_runs_run_id_min"),
        sa.PrimaryKeyConstraint("run_id", name="pk_plan_runs"),
    )
    op.create_table(
        "planning_parameters",
        sa.Column("name", sa.Text(), autoincrement=False, nullable=False),
        sa.Column("value", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("description", sa.String(length=500), autoincrement=False, nullable=True),
        sa.CheckConstraint(
            "name IN ('forecast_horizon_days', 'backtest_weeks', 'holding_cost_rate_per_year', "
            "'review_period_days', 'abc_a_share', 'abc_b_share', 'xyz_x_cv', 'xyz_y_cv')",
            name="ck_planning_parameters_name_choice",
        ),
        sa.PrimaryKeyConstraint("name", name="pk_planning_parameters"),
    )
    op.create_table(
        "service_level_targets",
        sa.Column("abc_class", sa.Text(), autoincrement=False, nullable=False),
        sa.Column("xyz_class", sa.Text(), autoincrement=False, nullable=False),
        sa.Column("measure", sa.Text(), autoincrement=False, nullable=False),
        sa.Column("target", sa.Double(), autoincrement=False, nullable=False),
        sa.CheckConstraint(
            "abc_class IN ('A', 'B', 'C')", name="ck_service_level_targets_abc_class_choice"
        ),
        sa.CheckConstraint(
            "measure IN ('fill_rate', 'cycle_service_level')",
            name="ck_service_level_targets_measure_choice",
        ),
        sa.CheckConstraint(
            "xyz_class IN ('X', 'Y', 'Z')", name="ck_service_level_targets_xyz_class_choice"
        ),
        sa.CheckConstraint("target <= 0.9999", name="ck_service_level_targets_target_max"),
        sa.CheckConstraint("target > 0", name="ck_service_level_targets_target_min"),
        sa.PrimaryKeyConstraint("abc_class", "xyz_class", name="pk_service_level_targets"),
    )
    op.create_table(
        "forecast_accuracy",
        sa.Column(
            "run_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("segment_kind", sa.String(length=32), autoincrement=False, nullable=False),
        sa.Column("segment", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column(
            "series",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("units", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("wape", sa.Double(), autoincrement=False, nullable=True),
        sa.Column("mase", sa.Double(), autoincrement=False, nullable=True),
        sa.Column("bias", sa.Double(), autoincrement=False, nullable=True),
        sa.Column("wape_naive", sa.Double(), autoincrement=False, nullable=True),
        sa.Column("mase_naive", sa.Double(), autoincrement=False, nullable=True),
        sa.Column("bias_naive", sa.Double(), autoincrement=False, nullable=True),
        sa.CheckConstraint("series >= 0", name="ck_forecast_accuracy_series_min"),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["plan_runs.run_id"],
            name="fk_forecast_accuracy_run_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("run_id", "segment_kind", "segment", name="pk_forecast_accuracy"),
    )
    op.create_table(
        "policy_backtests",
        sa.Column(
            "run_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("segment_kind", sa.String(length=32), autoincrement=False, nullable=False),
        sa.Column("segment", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column(
            "rows",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("demand_units", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("target_fill_rate", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("fill_rate", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("cycle_service_level", sa.Double(), autoincrement=False, nullable=True),
        sa.Column(
            "stockout_days",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("average_stock_value_usd", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("total_cost_usd", sa.Double(), autoincrement=False, nullable=False),
        sa.CheckConstraint(
            "average_stock_value_usd >= 0", name="ck_policy_backtests_average_stock_value_usd_min"
        ),
        sa.CheckConstraint(
            "cycle_service_level <= 1", name="ck_policy_backtests_cycle_service_level_max"
        ),
        sa.CheckConstraint(
            "cycle_service_level >= 0", name="ck_policy_backtests_cycle_service_level_min"
        ),
        sa.CheckConstraint("demand_units >= 0", name="ck_policy_backtests_demand_units_min"),
        sa.CheckConstraint("fill_rate <= 1", name="ck_policy_backtests_fill_rate_max"),
        sa.CheckConstraint("fill_rate >= 0", name="ck_policy_backtests_fill_rate_min"),
        sa.CheckConstraint("rows >= 0", name="ck_policy_backtests_rows_min"),
        sa.CheckConstraint("stockout_days >= 0", name="ck_policy_backtests_stockout_days_min"),
        sa.CheckConstraint(
            "target_fill_rate <= 1", name="ck_policy_backtests_target_fill_rate_max"
        ),
        sa.CheckConstraint(
            "target_fill_rate >= 0", name="ck_policy_backtests_target_fill_rate_min"
        ),
        sa.CheckConstraint("total_cost_usd >= 0", name="ck_policy_backtests_total_cost_usd_min"),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["plan_runs.run_id"],
            name="fk_policy_backtests_run_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("run_id", "segment_kind", "segment", name="pk_policy_backtests"),
    )
    op.create_table(
        "demand_forecasts",
        sa.Column(
            "run_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("sku_id", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("warehouse_id", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("week_start", sa.Date(), autoincrement=False, nullable=False),
        sa.Column("units", sa.Double(), autoincrement=False, nullable=False),
        sa.CheckConstraint("units >= 0", name="ck_demand_forecasts_units_min"),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["plan_runs.run_id"],
            name="fk_demand_forecasts_run_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["sku_id"],
            ["skus.sku_id"],
            name="fk_demand_forecasts_sku_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"],
            ["warehouses.warehouse_id"],
            name="fk_demand_forecasts_warehouse_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint(
            "run_id", "sku_id", "warehouse_id", "week_start", name="pk_demand_forecasts"
        ),
    )
    op.create_table(
        "forecast_models",
        sa.Column(
            "run_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("sku_id", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("warehouse_id", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("demand_pattern", sa.Text(), autoincrement=False, nullable=False),
        sa.Column("adi", sa.Double(), autoincrement=False, nullable=True),
        sa.Column("cv2", sa.Double(), autoincrement=False, nullable=True),
        sa.Column("model", sa.Text(), autoincrement=False, nullable=False),
        sa.Column("backtest_wape", sa.Double(), autoincrement=False, nullable=True),
        sa.Column("naive_backtest_wape", sa.Double(), autoincrement=False, nullable=True),
        sa.Column("reason", sa.Text(), autoincrement=False, nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["plan_runs.run_id"],
            name="fk_forecast_models_run_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["sku_id"],
            ["skus.sku_id"],
            name="fk_forecast_models_sku_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"],
            ["warehouses.warehouse_id"],
            name="fk_forecast_models_warehouse_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("run_id", "sku_id", "warehouse_id", name="pk_forecast_models"),
    )
    op.create_table(
        "inventory_policies",
        sa.Column(
            "run_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("sku_id", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("warehouse_id", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("policy_status", sa.String(length=32), autoincrement=False, nullable=False),
        sa.Column("abc_class", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("xyz_class", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("service_measure", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("service_target", sa.Double(), autoincrement=False, nullable=True),
        sa.Column("offer_id", sa.String(length=64), autoincrement=False, nullable=True),
        sa.Column("demand_mean_units_per_day", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("demand_sd_units_per_day", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("lead_time_mean_days", sa.Double(), autoincrement=False, nullable=True),
        sa.Column("lead_time_sd_days", sa.Double(), autoincrement=False, nullable=True),
        sa.Column("unit_cost_usd", sa.Double(), autoincrement=False, nullable=True),
        sa.Column("safety_stock_units", sa.Double(), autoincrement=False, nullable=True),
        sa.Column("reorder_point_units", sa.Double(), autoincrement=False, nullable=True),
        sa.Column("order_up_to_level_units", sa.Double(), autoincrement=False, nullable=True),
        sa.Column("order_quantity_units", sa.Double(), autoincrement=False, nullable=True),
        sa.Column("expected_fill_rate", sa.Double(), autoincrement=False, nullable=True),
        sa.Column("cost_usd_per_day", sa.Double(), autoincrement=False, nullable=True),
        sa.Column("explanation", sa.Text(), autoincrement=False, nullable=False),
        sa.CheckConstraint(
            "abc_class IN ('A', 'B', 'C')", name="ck_inventory_policies_abc_class_choice"
        ),
        sa.CheckConstraint(
            "service_measure IN ('fill_rate', 'cycle_service_level')",
            name="ck_inventory_policies_service_measure_choice",
        ),
        sa.CheckConstraint(
            "xyz_class IN ('X', 'Y', 'Z')", name="ck_inventory_policies_xyz_class_choice"
        ),
        sa.CheckConstraint(
            "demand_mean_units_per_day >= 0",
            name="ck_inventory_policies_demand_mean_units_per_day_min",
        ),
        sa.CheckConstraint(
            "demand_sd_units_per_day >= 0", name="ck_inventory_policies_demand_sd_units_per_day_min"
        ),
        sa.CheckConstraint("service_target <= 1", name="ck_inventory_policies_service_target_max"),
        sa.CheckConstraint("service_target >= 0", name="ck_inventory_policies_service_target_min"),
        sa.ForeignKeyConstraint(
            ["offer_id"],
            ["supplier_offers.offer_id"],
            name="fk_inventory_policies_offer_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["plan_runs.run_id"],
            name="fk_inventory_policies_run_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["sku_id"],
            ["skus.sku_id"],
            name="fk_inventory_policies_sku_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"],
            ["warehouses.warehouse_id"],
            name="fk_inventory_policies_warehouse_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("run_id", "sku_id", "warehouse_id", name="pk_inventory_policies"),
    )


def downgrade() -> None:
    op.drop_table("inventory_policies")
    op.drop_table("forecast_models")
    op.drop_table("demand_forecasts")
    op.drop_table("policy_backtests")
    op.drop_table("forecast_accuracy")
    op.drop_table("service_level_targets")
    op.drop_table("planning_parameters")
    op.drop_table("plan_runs")
