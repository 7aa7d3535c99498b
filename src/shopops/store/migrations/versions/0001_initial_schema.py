"""Initial schema: the tables of the data model with their keys, checks and indexes.

Revision ID: 0001
Revises:
Create Date: 2026-11-25 09:27:00.732704
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "carriers",
        sa.Column("carrier_id", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=200), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("carrier_id", name="pk_carriers"),
    )
    op.create_table(
        "categories",
        sa.Column("category_id", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=200), autoincrement=False, nullable=False),
        sa.Column("parent_category_id", sa.String(length=64), autoincrement=False, nullable=True),
        sa.Column("expected_return_rate", sa.Double(), autoincrement=False, nullable=False),
        sa.CheckConstraint(
            "expected_return_rate <= 1", name="ck_categories_expected_return_rate_max"
        ),
        sa.CheckConstraint(
            "expected_return_rate >= 0", name="ck_categories_expected_return_rate_min"
        ),
        sa.ForeignKeyConstraint(
            ["parent_category_id"],
            ["categories.category_id"],
            name="fk_categories_parent_category_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("category_id", name="pk_categories"),
    )
    op.create_table(
        "currencies",
        sa.Column("currency_code", sa.String(length=3), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=200), autoincrement=False, nullable=False),
        sa.Column("usd_per_unit", sa.Double(), autoincrement=False, nullable=False),
        sa.CheckConstraint("usd_per_unit > 0", name="ck_currencies_usd_per_unit_min"),
        sa.PrimaryKeyConstraint("currency_code", name="pk_currencies"),
    )
    op.create_table(
        "regions",
        sa.Column("region_id", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=200), autoincrement=False, nullable=False),
        sa.Column("country_code", sa.String(length=2), autoincrement=False, nullable=False),
        sa.Column("latitude", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("longitude", sa.Double(), autoincrement=False, nullable=False),
        sa.Column(
            "population",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.CheckConstraint("latitude <= 90", name="ck_regions_latitude_max"),
        sa.CheckConstraint("latitude >= -90", name="ck_regions_latitude_min"),
        sa.CheckConstraint("longitude <= 180", name="ck_regions_longitude_max"),
        sa.CheckConstraint("longitude >= -180", name="ck_regions_longitude_min"),
        sa.CheckConstraint("population >= 0", name="ck_regions_population_min"),
        sa.PrimaryKeyConstraint("region_id", name="pk_regions"),
    )
    op.create_table(
        "budgets",
        sa.Column("category_id", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("period_start", sa.Date(), autoincrement=False, nullable=False),
        sa.Column("period_end", sa.Date(), autoincrement=False, nullable=False),
        sa.Column("budget_usd", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("over_budget_action", sa.Text(), autoincrement=False, nullable=False),
        sa.CheckConstraint(
            "over_budget_action IN ('warn', 'block')", name="ck_budgets_over_budget_action_choice"
        ),
        sa.CheckConstraint("budget_usd >= 0", name="ck_budgets_budget_usd_min"),
        sa.CheckConstraint(
            "period_end >= period_start", name="ck_budgets_period_end_not_before_period_start"
        ),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["categories.category_id"],
            name="fk_budgets_category_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("category_id", "period_start", name="pk_budgets"),
    )
    op.create_table(
        "carrier_services",
        sa.Column("service_id", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("carrier_id", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=200), autoincrement=False, nullable=False),
        sa.Column("service_level", sa.Text(), autoincrement=False, nullable=False),
        sa.Column("transport_mode", sa.Text(), autoincrement=False, nullable=False),
        sa.Column("fuel_surcharge_rate", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("dim_divisor_cm3_per_kg", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("max_weight_kg", sa.Double(), autoincrement=False, nullable=False),
        sa.Column(
            "daily_pickup_capacity_parcels",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.CheckConstraint(
            "service_level IN ('economy', 'standard', 'express', 'next_day')",
            name="ck_carrier_services_service_level_choice",
        ),
        sa.CheckConstraint(
            "transport_mode IN ('road', 'air', 'rail', 'sea')",
            name="ck_carrier_services_transport_mode_choice",
        ),
        sa.CheckConstraint(
            "daily_pickup_capacity_parcels >= 0",
            name="ck_carrier_services_daily_pickup_capacity_parcels_min",
        ),
        sa.CheckConstraint(
            "dim_divisor_cm3_per_kg > 0", name="ck_carrier_services_dim_divisor_cm3_per_kg_min"
        ),
        sa.CheckConstraint(
            "fuel_surcharge_rate <= 1", name="ck_carrier_services_fuel_surcharge_rate_max"
        ),
        sa.CheckConstraint(
            "fuel_surcharge_rate >= 0", name="ck_carrier_services_fuel_surcharge_rate_min"
        ),
        sa.CheckConstraint("max_weight_kg > 0", name="ck_carrier_services_max_weight_kg_min"),
        sa.ForeignKeyConstraint(
            ["carrier_id"],
            ["carriers.carrier_id"],
            name="fk_carrier_services_carrier_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("service_id", name="pk_carrier_services"),
    )
    op.create_table(
        "sales_events",
        sa.Column("event_id", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=200), autoincrement=False, nullable=False),
        sa.Column("event_type", sa.Text(), autoincrement=False, nullable=False),
        sa.Column("start_date", sa.Date(), autoincrement=False, nullable=False),
        sa.Column("end_date", sa.Date(), autoincrement=False, nullable=False),
        sa.Column("category_id", sa.String(length=64), autoincrement=False, nullable=True),
        sa.Column("channel", sa.Text(), autoincrement=False, nullable=True),
        sa.CheckConstraint(
            "channel IN ('shop', 'video', 'live_stream')", name="ck_sales_events_channel_choice"
        ),
        sa.CheckConstraint(
            "event_type IN ('singles_day', 'black_friday', 'cyber_monday', 'mid_year_sale', "
            "'double_twelve', 'flash_sale', 'holiday')",
            name="ck_sales_events_event_type_choice",
        ),
        sa.CheckConstraint(
            "end_date >= start_date", name="ck_sales_events_end_date_not_before_start_date"
        ),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["categories.category_id"],
            name="fk_sales_events_category_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("event_id", name="pk_sales_events"),
    )
    op.create_table(
        "skus",
        sa.Column("sku_id", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=200), autoincrement=False, nullable=False),
        sa.Column("category_id", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("unit_cost_usd", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("price_usd", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("weight_kg", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("length_cm", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("width_cm", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("height_cm", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("packaging_type", sa.Text(), autoincrement=False, nullable=False),
        sa.Column("launch_date", sa.Date(), autoincrement=False, nullable=True),
        sa.Column("status", sa.Text(), autoincrement=False, nullable=False),
        sa.CheckConstraint(
            "packaging_type IN ('box', 'mailer', 'poly_bag', 'envelope', 'tube')",
            name="ck_skus_packaging_type_choice",
        ),
        sa.CheckConstraint("status IN ('active', 'discontinued')", name="ck_skus_status_choice"),
        sa.CheckConstraint("height_cm > 0", name="ck_skus_height_cm_min"),
        sa.CheckConstraint("length_cm > 0", name="ck_skus_length_cm_min"),
        sa.CheckConstraint("price_usd > 0", name="ck_skus_price_usd_min"),
        sa.CheckConstraint("unit_cost_usd >= 0", name="ck_skus_unit_cost_usd_min"),
        sa.CheckConstraint("weight_kg > 0", name="ck_skus_weight_kg_min"),
        sa.CheckConstraint("width_cm > 0", name="ck_skus_width_cm_min"),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["categories.category_id"],
            name="fk_skus_category_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("sku_id", name="pk_skus"),
    )
    op.create_index("ix_skus_category_id", "skus", ["category_id"])
    op.create_table(
        "suppliers",
        sa.Column("supplier_id", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=200), autoincrement=False, nullable=False),
        sa.Column("country_code", sa.String(length=2), autoincrement=False, nullable=False),
        sa.Column("city", sa.String(length=100), autoincrement=False, nullable=False),
        sa.Column("latitude", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("longitude", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("currency_code", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("status", sa.Text(), autoincrement=False, nullable=False),
        sa.Column(
            "payment_terms_days",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("country_risk_score", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("financial_risk_score", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("compliance_risk_score", sa.Double(), autoincrement=False, nullable=False),
        sa.CheckConstraint(
            "status IN ('approved', 'probation', 'blocked')", name="ck_suppliers_status_choice"
        ),
        sa.CheckConstraint(
            "compliance_risk_score <= 1", name="ck_suppliers_compliance_risk_score_max"
        ),
        sa.CheckConstraint(
            "compliance_risk_score >= 0", name="ck_suppliers_compliance_risk_score_min"
        ),
        sa.CheckConstraint("country_risk_score <= 1", name="ck_suppliers_country_risk_score_max"),
        sa.CheckConstraint("country_risk_score >= 0", name="ck_suppliers_country_risk_score_min"),
        sa.CheckConstraint(
            "financial_risk_score <= 1", name="ck_suppliers_financial_risk_score_max"
        ),
        sa.CheckConstraint(
            "financial_risk_score >= 0", name="ck_suppliers_financial_risk_score_min"
        ),
        sa.CheckConstraint("latitude <= 90", name="ck_suppliers_latitude_max"),
        sa.CheckConstraint("latitude >= -90", name="ck_suppliers_latitude_min"),
        sa.CheckConstraint("longitude <= 180", name="ck_suppliers_longitude_max"),
        sa.CheckConstraint("longitude >= -180", name="ck_suppliers_longitude_min"),
        sa.CheckConstraint("payment_terms_days >= 0", name="ck_suppliers_payment_terms_days_min"),
        sa.ForeignKeyConstraint(
            ["currency_code"],
            ["currencies.currency_code"],
            name="fk_suppliers_currency_code",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("supplier_id", name="pk_suppliers"),
    )
    op.create_table(
        "warehouses",
        sa.Column("warehouse_id", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=200), autoincrement=False, nullable=False),
        sa.Column("operator", sa.Text(), autoincrement=False, nullable=False),
        sa.Column("partner_name", sa.String(length=200), autoincrement=False, nullable=True),
        sa.Column("region_id", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("city", sa.String(length=100), autoincrement=False, nullable=False),
        sa.Column("latitude", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("longitude", sa.Double(), autoincrement=False, nullable=False),
        sa.Column(
            "storage_capacity_units",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column(
            "outbound_capacity_orders_per_day",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column(
            "inbound_capacity_units_per_day",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("handling_cost_usd_per_order", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("handling_cost_usd_per_unit", sa.Double(), autoincrement=False, nullable=False),
        sa.Column(
            "storage_cost_usd_per_unit_day", sa.Double(), autoincrement=False, nullable=False
        ),
        sa.Column(
            "order_cutoff_hour",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.CheckConstraint(
            "operator <> '3pl' OR partner_name IS NOT NULL",
            name="ck_warehouses_partner_required_for_3pl",
        ),
        sa.CheckConstraint("operator IN ('own', '3pl')", name="ck_warehouses_operator_choice"),
        sa.CheckConstraint(
            "handling_cost_usd_per_order >= 0", name="ck_warehouses_handling_cost_usd_per_order_min"
        ),
        sa.CheckConstraint(
            "handling_cost_usd_per_unit >= 0", name="ck_warehouses_handling_cost_usd_per_unit_min"
        ),
        sa.CheckConstraint(
            "inbound_capacity_units_per_day > 0",
            name="ck_warehouses_inbound_capacity_units_per_day_min",
        ),
        sa.CheckConstraint("latitude <= 90", name="ck_warehouses_latitude_max"),
        sa.CheckConstraint("latitude >= -90", name="ck_warehouses_latitude_min"),
        sa.CheckConstraint("longitude <= 180", name="ck_warehouses_longitude_max"),
        sa.CheckConstraint("longitude >= -180", name="ck_warehouses_longitude_min"),
        sa.CheckConstraint("order_cutoff_hour <= 23", name="ck_warehouses_order_cutoff_hour_max"),
        sa.CheckConstraint("order_cutoff_hour >= 0", name="ck_warehouses_order_cutoff_hour_min"),
        sa.CheckConstraint(
            "outbound_capacity_orders_per_day > 0",
            name="ck_warehouses_outbound_capacity_orders_per_day_min",
        ),
        sa.CheckConstraint(
            "storage_capacity_units > 0", name="ck_warehouses_storage_capacity_units_min"
        ),
        sa.CheckConstraint(
            "storage_cost_usd_per_unit_day >= 0",
            name="ck_warehouses_storage_cost_usd_per_unit_day_min",
        ),
        sa.ForeignKeyConstraint(
            ["region_id"],
            ["regions.region_id"],
            name="fk_warehouses_region_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("warehouse_id", name="pk_warehouses"),
    )
    op.create_table(
        "inventory_movements",
        sa.Column(
            "movement_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("sku_id", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("warehouse_id", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("movement_type", sa.Text(), autoincrement=False, nullable=False),
        sa.Column(
            "quantity_units",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("moved_at", sa.DateTime(), autoincrement=False, nullable=False),
        sa.Column("reference_type", sa.Text(), autoincrement=False, nullable=True),
        sa.Column(
            "reference_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=True,
        ),
        sa.CheckConstraint(
            "movement_type <> 'pick' OR quantity_units < 0",
            name="ck_inventory_movements_picks_remove",
        ),
        sa.CheckConstraint(
            "movement_type IN ('receipt', 'pick', 'adjustment', 'return', 'transfer')",
            name="ck_inventory_movements_movement_type_choice",
        ),
        sa.CheckConstraint(
            "movement_type NOT IN ('receipt', 'return') OR quantity_units > 0",
            name="ck_inventory_movements_receipts_and_returns_add",
        ),
        sa.CheckConstraint(
            "reference_type IN ('receipt', 'shipment', 'return', 'transfer', 'opening_balance', "
            "'cycle_count')",
            name="ck_inventory_movements_reference_type_choice",
        ),
        sa.CheckConstraint("movement_id >= 1", name="ck_inventory_movements_movement_id_min"),
        sa.CheckConstraint("quantity_units <> 0", name="ck_inventory_movements_movement_not_zero"),
        sa.ForeignKeyConstraint(
            ["sku_id"],
            ["skus.sku_id"],
            name="fk_inventory_movements_sku_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"],
            ["warehouses.warehouse_id"],
            name="fk_inventory_movements_warehouse_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("movement_id", name="pk_inventory_movements"),
    )
    op.create_index("ix_inventory_movements_moved_at", "inventory_movements", ["moved_at"])
    op.create_index(
        "ix_inventory_movements_sku_id_warehouse_id_quantity_units",
        "inventory_movements",
        ["sku_id", "warehouse_id", "quantity_units"],
    )
    op.create_table(
        "orders",
        sa.Column(
            "order_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("external_order_id", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("channel", sa.Text(), autoincrement=False, nullable=False),
        sa.Column("ordered_at", sa.DateTime(), autoincrement=False, nullable=False),
        sa.Column("region_id", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("customer_id", sa.String(length=64), autoincrement=False, nullable=True),
        sa.Column("status", sa.Text(), autoincrement=False, nullable=False),
        sa.Column("promised_dispatch_date", sa.Date(), autoincrement=False, nullable=False),
        sa.Column("promised_delivery_date", sa.Date(), autoincrement=False, nullable=False),
        sa.Column("event_id", sa.String(length=64), autoincrement=False, nullable=True),
        sa.CheckConstraint(
            "channel IN ('shop', 'video', 'live_stream')", name="ck_orders_channel_choice"
        ),
        sa.CheckConstraint(
            "status IN ('open', 'allocated', 'partially_shipped', 'shipped', 'delivered', "
            "'cancelled')",
            name="ck_orders_status_choice",
        ),
        sa.CheckConstraint("order_id >= 1", name="ck_orders_order_id_min"),
        sa.CheckConstraint(
            "promised_delivery_date >= promised_dispatch_date",
            name="ck_orders_promised_delivery_date_not_before_promise_9d7dec36",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["sales_events.event_id"],
            name="fk_orders_event_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["region_id"],
            ["regions.region_id"],
            name="fk_orders_region_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("order_id", name="pk_orders"),
        sa.UniqueConstraint("external_order_id", name="uq_orders_external_order_id"),
    )
    op.create_index("ix_orders_ordered_at", "orders", ["ordered_at"])
    op.create_index("ix_orders_status", "orders", ["status"])
    op.create_table(
        "purchase_orders",
        sa.Column(
            "po_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("po_number", sa.String(length=32), autoincrement=False, nullable=False),
        sa.Column("supplier_id", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("warehouse_id", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("status", sa.Text(), autoincrement=False, nullable=False),
        sa.Column("currency_code", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("incoterm", sa.Text(), autoincrement=False, nullable=False),
        sa.Column("ordered_date", sa.Date(), autoincrement=False, nullable=True),
        sa.Column("created_at", sa.DateTime(), autoincrement=False, nullable=False),
        sa.Column("created_by", sa.String(length=64), autoincrement=False, nullable=False),
        sa.CheckConstraint(
            "incoterm IN ('EXW', 'FCA', 'FOB', 'CFR', 'CIF', 'DAP', 'DDP')",
            name="ck_purchase_orders_incoterm_choice",
        ),
        sa.CheckConstraint(
            "status IN ('proposed', 'approved', 'sent', 'confirmed', 'partially_received', "
            "'received', 'cancelled', 'closed')",
            name="ck_purchase_orders_status_choice",
        ),
        sa.CheckConstraint("po_id >= 1", name="ck_purchase_orders_po_id_min"),
        sa.ForeignKeyConstraint(
            ["currency_code"],
            ["currencies.currency_code"],
            name="fk_purchase_orders_currency_code",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["suppliers.supplier_id"],
            name="fk_purchase_orders_supplier_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"],
            ["warehouses.warehouse_id"],
            name="fk_purchase_orders_warehouse_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("po_id", name="pk_purchase_orders"),
        sa.UniqueConstraint("po_number", name="uq_purchase_orders_po_number"),
    )
    op.create_index("ix_purchase_orders_status", "purchase_orders", ["status"])
    op.create_table(
        "rate_cards",
        sa.Column("service_id", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column(
            "zone",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("max_weight_kg", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("rate_usd", sa.Double(), autoincrement=False, nullable=False),
        sa.CheckConstraint("max_weight_kg > 0", name="ck_rate_cards_max_weight_kg_min"),
        sa.CheckConstraint("rate_usd >= 0", name="ck_rate_cards_rate_usd_min"),
        sa.CheckConstraint("zone <= 8", name="ck_rate_cards_zone_max"),
        sa.CheckConstraint("zone >= 1", name="ck_rate_cards_zone_min"),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["carrier_services.service_id"],
            name="fk_rate_cards_service_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("service_id", "zone", "max_weight_kg", name="pk_rate_cards"),
    )
    op.create_table(
        "shipping_zones",
        sa.Column("warehouse_id", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("region_id", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column(
            "zone",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("distance_km", sa.Double(), autoincrement=False, nullable=False),
        sa.CheckConstraint("distance_km >= 0", name="ck_shipping_zones_distance_km_min"),
        sa.CheckConstraint("zone <= 8", name="ck_shipping_zones_zone_max"),
        sa.CheckConstraint("zone >= 1", name="ck_shipping_zones_zone_min"),
        sa.ForeignKeyConstraint(
            ["region_id"],
            ["regions.region_id"],
            name="fk_shipping_zones_region_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"],
            ["warehouses.warehouse_id"],
            name="fk_shipping_zones_warehouse_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("warehouse_id", "region_id", name="pk_shipping_zones"),
    )
    op.create_table(
        "supplier_certifications",
        sa.Column("supplier_id", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("certification", sa.String(length=100), autoincrement=False, nullable=False),
        sa.Column("certificate_number", sa.String(length=100), autoincrement=False, nullable=True),
        sa.Column("issued_date", sa.Date(), autoincrement=False, nullable=False),
        sa.Column("expiry_date", sa.Date(), autoincrement=False, nullable=False),
        sa.CheckConstraint(
            "expiry_date >= issued_date",
            name="ck_supplier_certifications_expiry_date_not_before_i_91582e8a",
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["suppliers.supplier_id"],
            name="fk_supplier_certifications_supplier_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("supplier_id", "certification", name="pk_supplier_certifications"),
    )
    op.create_table(
        "supplier_offers",
        sa.Column("offer_id", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("supplier_id", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("sku_id", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("currency_code", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column(
            "moq_units",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column(
            "order_multiple_units",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("lead_time_mean_days", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("lead_time_sd_days", sa.Double(), autoincrement=False, nullable=False),
        sa.Column(
            "capacity_units_per_week",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("valid_from", sa.Date(), autoincrement=False, nullable=False),
        sa.Column("valid_to", sa.Date(), autoincrement=False, nullable=True),
        sa.Column("incoterm", sa.Text(), autoincrement=False, nullable=False),
        sa.Column("freight_usd_per_unit", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("duty_rate", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("fixed_order_cost_usd", sa.Double(), autoincrement=False, nullable=False),
        sa.CheckConstraint(
            "incoterm IN ('EXW', 'FCA', 'FOB', 'CFR', 'CIF', 'DAP', 'DDP')",
            name="ck_supplier_offers_incoterm_choice",
        ),
        sa.CheckConstraint(
            "capacity_units_per_week >= 0", name="ck_supplier_offers_capacity_units_per_week_min"
        ),
        sa.CheckConstraint("duty_rate <= 1", name="ck_supplier_offers_duty_rate_max"),
        sa.CheckConstraint("duty_rate >= 0", name="ck_supplier_offers_duty_rate_min"),
        sa.CheckConstraint(
            "fixed_order_cost_usd >= 0", name="ck_supplier_offers_fixed_order_cost_usd_min"
        ),
        sa.CheckConstraint(
            "freight_usd_per_unit >= 0", name="ck_supplier_offers_freight_usd_per_unit_min"
        ),
        sa.CheckConstraint(
            "lead_time_mean_days > 0", name="ck_supplier_offers_lead_time_mean_days_min"
        ),
        sa.CheckConstraint(
            "lead_time_sd_days >= 0", name="ck_supplier_offers_lead_time_sd_days_min"
        ),
        sa.CheckConstraint("moq_units > 0", name="ck_supplier_offers_moq_units_min"),
        sa.CheckConstraint(
            "order_multiple_units > 0", name="ck_supplier_offers_order_multiple_units_min"
        ),
        sa.CheckConstraint(
            "valid_to >= valid_from", name="ck_supplier_offers_valid_to_not_before_valid_from"
        ),
        sa.ForeignKeyConstraint(
            ["currency_code"],
            ["currencies.currency_code"],
            name="fk_supplier_offers_currency_code",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["sku_id"],
            ["skus.sku_id"],
            name="fk_supplier_offers_sku_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["suppliers.supplier_id"],
            name="fk_supplier_offers_supplier_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("offer_id", name="pk_supplier_offers"),
        sa.UniqueConstraint(
            "supplier_id",
            "sku_id",
            "valid_from",
            name="uq_supplier_offers_supplier_id_sku_id_valid_from",
        ),
    )
    op.create_index("ix_supplier_offers_sku_id", "supplier_offers", ["sku_id"])
    op.create_table(
        "transit_times",
        sa.Column("service_id", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column(
            "zone",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column(
            "transit_days",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.CheckConstraint("transit_days >= 0", name="ck_transit_times_transit_days_min"),
        sa.CheckConstraint("zone <= 8", name="ck_transit_times_zone_max"),
        sa.CheckConstraint("zone >= 1", name="ck_transit_times_zone_min"),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["carrier_services.service_id"],
            name="fk_transit_times_service_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("service_id", "zone", name="pk_transit_times"),
    )
    op.create_table(
        "offer_price_tiers",
        sa.Column("offer_id", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column(
            "min_quantity_units",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("unit_price", sa.Double(), autoincrement=False, nullable=False),
        sa.CheckConstraint(
            "min_quantity_units > 0", name="ck_offer_price_tiers_min_quantity_units_min"
        ),
        sa.CheckConstraint("unit_price > 0", name="ck_offer_price_tiers_unit_price_min"),
        sa.ForeignKeyConstraint(
            ["offer_id"],
            ["supplier_offers.offer_id"],
            name="fk_offer_price_tiers_offer_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("offer_id", "min_quantity_units", name="pk_offer_price_tiers"),
    )
    op.create_table(
        "purchase_order_lines",
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
        sa.Column("sku_id", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column(
            "quantity_units",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("unit_price", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("expected_date", sa.Date(), autoincrement=False, nullable=False),
        sa.Column(
            "cancelled_units",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.CheckConstraint(
            "cancelled_units <= quantity_units",
            name="ck_purchase_order_lines_cancelled_within_ordered",
        ),
        sa.CheckConstraint(
            "cancelled_units >= 0", name="ck_purchase_order_lines_cancelled_units_min"
        ),
        sa.CheckConstraint("line_no >= 1", name="ck_purchase_order_lines_line_no_min"),
        sa.CheckConstraint("quantity_units > 0", name="ck_purchase_order_lines_quantity_units_min"),
        sa.CheckConstraint("unit_price >= 0", name="ck_purchase_order_lines_unit_price_min"),
        sa.ForeignKeyConstraint(
            ["po_id"],
            ["purchase_orders.po_id"],
            name="fk_purchase_order_lines_po_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["sku_id"],
            ["skus.sku_id"],
            name="fk_purchase_order_lines_sku_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("po_id", "line_no", name="pk_purchase_order_lines"),
    )
    op.create_index("ix_purchase_order_lines_sku_id", "purchase_order_lines", ["sku_id"])
    op.create_table(
        "shipments",
        sa.Column(
            "shipment_id",
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
        sa.Column("warehouse_id", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("service_id", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("status", sa.Text(), autoincrement=False, nullable=False),
        sa.Column("carton_code", sa.String(length=32), autoincrement=False, nullable=True),
        sa.Column("weight_kg", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("billable_weight_kg", sa.Double(), autoincrement=False, nullable=False),
        sa.Column(
            "zone",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("shipping_cost_usd", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("tracking_number", sa.String(length=64), autoincrement=False, nullable=True),
        sa.Column("created_at", sa.DateTime(), autoincrement=False, nullable=False),
        sa.Column("picked_at", sa.DateTime(), autoincrement=False, nullable=True),
        sa.Column("packed_at", sa.DateTime(), autoincrement=False, nullable=True),
        sa.Column("shipped_at", sa.DateTime(), autoincrement=False, nullable=True),
        sa.Column("delivered_at", sa.DateTime(), autoincrement=False, nullable=True),
        sa.CheckConstraint(
            "status IN ('picking', 'packed', 'shipped', 'in_transit', 'delivered', 'exception', "
            "'cancelled')",
            name="ck_shipments_status_choice",
        ),
        sa.CheckConstraint("billable_weight_kg >= 0", name="ck_shipments_billable_weight_kg_min"),
        sa.CheckConstraint(
            "billable_weight_kg >= weight_kg", name="ck_shipments_billable_not_below_actual"
        ),
        sa.CheckConstraint(
            "delivered_at >= shipped_at", name="ck_shipments_delivered_at_not_before_shipped_at"
        ),
        sa.CheckConstraint(
            "packed_at >= picked_at", name="ck_shipments_packed_at_not_before_picked_at"
        ),
        sa.CheckConstraint(
            "picked_at >= created_at", name="ck_shipments_picked_at_not_before_created_at"
        ),
        sa.CheckConstraint("shipment_id >= 1", name="ck_shipments_shipment_id_min"),
        sa.CheckConstraint(
            "shipped_at >= packed_at", name="ck_shipments_shipped_at_not_before_packed_at"
        ),
        sa.CheckConstraint("shipping_cost_usd >= 0", name="ck_shipments_shipping_cost_usd_min"),
        sa.CheckConstraint("weight_kg >= 0", name="ck_shipments_weight_kg_min"),
        sa.CheckConstraint("zone <= 8", name="ck_shipments_zone_max"),
        sa.CheckConstraint("zone >= 1", name="ck_shipments_zone_min"),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.order_id"],
            name="fk_shipments_order_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["carrier_services.service_id"],
            name="fk_shipments_service_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"],
            ["warehouses.warehouse_id"],
            name="fk_shipments_warehouse_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("shipment_id", name="pk_shipments"),
    )
    op.create_index("ix_shipments_order_id", "shipments", ["order_id"])
    op.create_table(
        "order_lines",
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
        sa.Column("sku_id", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column(
            "quantity_units",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("unit_price_usd", sa.Double(), autoincrement=False, nullable=False),
        sa.Column("status", sa.Text(), autoincrement=False, nullable=False),
        sa.Column("warehouse_id", sa.String(length=64), autoincrement=False, nullable=True),
        sa.Column(
            "shipment_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=True,
        ),
        sa.Column("cancel_reason", sa.Text(), autoincrement=False, nullable=True),
        sa.CheckConstraint(
            "cancel_reason IN ('customer', 'stockout', 'fraud', 'other')",
            name="ck_order_lines_cancel_reason_choice",
        ),
        sa.CheckConstraint(
            "cancel_reason IS NULL OR status = 'cancelled'",
            name="ck_order_lines_cancel_reason_only_when_cancelled",
        ),
        sa.CheckConstraint(
            "status IN ('open', 'reserved', 'picked', 'shipped', 'cancelled')",
            name="ck_order_lines_status_choice",
        ),
        sa.CheckConstraint(
            "status NOT IN ('reserved', 'picked', 'shipped') OR warehouse_id IS NOT NULL",
            name="ck_order_lines_reserved_needs_warehouse",
        ),
        sa.CheckConstraint("line_no >= 1", name="ck_order_lines_line_no_min"),
        sa.CheckConstraint("quantity_units > 0", name="ck_order_lines_quantity_units_min"),
        sa.CheckConstraint("unit_price_usd >= 0", name="ck_order_lines_unit_price_usd_min"),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.order_id"],
            name="fk_order_lines_order_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["shipment_id"],
            ["shipments.shipment_id"],
            name="fk_order_lines_shipment_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["sku_id"],
            ["skus.sku_id"],
            name="fk_order_lines_sku_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"],
            ["warehouses.warehouse_id"],
            name="fk_order_lines_warehouse_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("order_id", "line_no", name="pk_order_lines"),
    )
    op.create_index("ix_order_lines_shipment_id", "order_lines", ["shipment_id"])
    op.create_index("ix_order_lines_sku_id", "order_lines", ["sku_id"])
    op.create_index(
        "ix_order_lines_status_warehouse_id_sku_id_quantity_units",
        "order_lines",
        ["status", "warehouse_id", "sku_id", "quantity_units"],
    )
    op.create_table(
        "receipts",
        sa.Column(
            "receipt_id",
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
        sa.Column("received_date", sa.Date(), autoincrement=False, nullable=False),
        sa.Column(
            "received_units",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column(
            "damaged_units",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column(
            "rejected_units",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.CheckConstraint(
            "damaged_units + rejected_units <= received_units",
            name="ck_receipts_damaged_and_rejected_within_received",
        ),
        sa.CheckConstraint("damaged_units >= 0", name="ck_receipts_damaged_units_min"),
        sa.CheckConstraint("receipt_id >= 1", name="ck_receipts_receipt_id_min"),
        sa.CheckConstraint("received_units >= 0", name="ck_receipts_received_units_min"),
        sa.CheckConstraint("rejected_units >= 0", name="ck_receipts_rejected_units_min"),
        sa.ForeignKeyConstraint(
            ["po_id", "line_no"],
            ["purchase_order_lines.po_id", "purchase_order_lines.line_no"],
            name="fk_receipts_po_id_line_no",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("receipt_id", name="pk_receipts"),
    )
    op.create_index(
        "ix_receipts_po_id_line_no_received_units",
        "receipts",
        ["po_id", "line_no", "received_units"],
    )
    op.create_table(
        "returns",
        sa.Column(
            "return_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("rma_number", sa.String(length=32), autoincrement=False, nullable=False),
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
        sa.Column(
            "quantity_units",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("reason", sa.Text(), autoincrement=False, nullable=False),
        sa.Column("status", sa.Text(), autoincrement=False, nullable=False),
        sa.Column("requested_date", sa.Date(), autoincrement=False, nullable=False),
        sa.Column("received_date", sa.Date(), autoincrement=False, nullable=True),
        sa.Column("warehouse_id", sa.String(length=64), autoincrement=False, nullable=True),
        sa.Column("condition_grade", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("disposition", sa.Text(), autoincrement=False, nullable=True),
        sa.Column("refund_usd", sa.Double(), autoincrement=False, nullable=False),
        sa.CheckConstraint(
            "condition_grade IN ('A', 'B', 'C', 'D')", name="ck_returns_condition_grade_choice"
        ),
        sa.CheckConstraint(
            "disposition IN ('restock', 'refurbish', 'liquidate', 'dispose')",
            name="ck_returns_disposition_choice",
        ),
        sa.CheckConstraint(
            "reason IN ('damaged', 'defective', 'wrong_item', 'not_as_described', 'size_fit', "
            "'changed_mind', 'late_delivery')",
            name="ck_returns_reason_choice",
        ),
        sa.CheckConstraint(
            "status IN ('requested', 'in_transit', 'received', 'closed', 'rejected')",
            name="ck_returns_status_choice",
        ),
        sa.CheckConstraint("quantity_units > 0", name="ck_returns_quantity_units_min"),
        sa.CheckConstraint(
            "received_date >= requested_date",
            name="ck_returns_received_date_not_before_requested_date",
        ),
        sa.CheckConstraint("refund_usd >= 0", name="ck_returns_refund_usd_min"),
        sa.CheckConstraint("return_id >= 1", name="ck_returns_return_id_min"),
        sa.ForeignKeyConstraint(
            ["order_id", "line_no"],
            ["order_lines.order_id", "order_lines.line_no"],
            name="fk_returns_order_id_line_no",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"],
            ["warehouses.warehouse_id"],
            name="fk_returns_warehouse_id",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("return_id", name="pk_returns"),
        sa.UniqueConstraint("rma_number", name="uq_returns_rma_number"),
    )
    op.create_index("ix_returns_order_id_line_no", "returns", ["order_id", "line_no"])


def downgrade() -> None:
    op.drop_table("returns")
    op.drop_table("receipts")
    op.drop_table("order_lines")
    op.drop_table("shipments")
    op.drop_table("purchase_order_lines")
    op.drop_table("offer_price_tiers")
    op.drop_table("transit_times")
    op.drop_table("supplier_offers")
    op.drop_table("supplier_certifications")
    op.drop_table("shipping_zones")
    op.drop_table("rate_cards")
    op.drop_table("purchase_orders")
    op.drop_table("orders")
    op.drop_table("inventory_movements")
    op.drop_table("warehouses")
    op.drop_table("suppliers")
    op.drop_table("skus")
    op.drop_table("sales_events")
    op.drop_table("carrier_services")
    op.drop_table("budgets")
    op.drop_table("regions")
    op.drop_table("currencies")
    op.drop_table("categories")
    op.drop_table("carriers")
