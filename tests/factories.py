"""A small, complete and consistent marketplace: a few valid rows in every table.

Every foreign key resolves, every rule and price-tier order holds, nullable columns are
both empty and set, text carries commas, quotes and non-Latin letters, and times carry
microseconds. Stock figures are easy to follow by hand:

==========  =======  =======  ========  ========
SKU         WH       on hand  reserved  on order
==========  =======  =======  ========  ========
SKU-001     WH-LA    100      0         10
SKU-001     WH-NJ    69       4         900
SKU-002     WH-NJ    9        0         200
SKU-003     WH-LA    447      4         50
SKU-003     WH-NJ    0        0         0
==========  =======  =======  ========  ========

WH-PAR holds nothing. Purchase orders 3 (proposed), 4 (cancelled) and 5 (received) are
not open; line 2 of PO 2 was over-received.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import polars as pl

from shopops.data.schemas import ALL_TABLES, table

D = dt.date
T = dt.datetime


def minimal_marketplace() -> dict[str, pl.DataFrame]:
    """Rows for every table, in load order, typed by the table schemas."""
    return {spec.name: spec.conform(_BUILDERS[spec.name]()) for spec in ALL_TABLES}


def with_parents(name: str) -> list[str]:
    """``name`` and every table it references, directly or not, in load order."""
    needed = {name}
    pending = [name]
    while pending:
        for fk in table(pending.pop()).all_foreign_keys():
            if fk.table not in needed:
                needed.add(fk.table)
                pending.append(fk.table)
    return [spec.name for spec in ALL_TABLES if spec.name in needed]


def _frame(header: str, *rows: tuple[Any, ...]) -> pl.DataFrame:
    """A frame from column names (space-separated) and rows, for tables read row by row."""
    names = header.split()
    return pl.DataFrame(list(rows), schema=names, orient="row", infer_schema_length=None)


def _currencies() -> pl.DataFrame:
    return _frame(
        "currency_code name usd_per_unit",
        ("USD", "US dollar", 1.0),
        ("CNY", "Chinese yuan (人民币)", 0.138),
        ("EUR", 'Euro, "€"', 1.085),
    )


def _regions() -> pl.DataFrame:
    return _frame(
        "region_id name country_code latitude longitude population",
        ("NYC", "New York, NY", "US", 40.7128, -74.006, 19_500_000),
        ("LAX", "Los Angeles, CA", "US", 34.0522, -118.2437, 13_200_000),
        ("PAR", "Île-de-France", "FR", 48.8566, 2.3522, 12_300_000),
    )


def _categories() -> pl.DataFrame:
    return _frame(
        "category_id name parent_category_id expected_return_rate",
        ("ELEC", "Electronics", None, 0.08),
        ("ELEC-AUDIO", 'Audio, "hi-fi" & headphones', "ELEC", 0.06),
        ("BEAUTY", "Beauty — 美妆", None, 0.12),
    )


def _skus() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "sku_id": ["SKU-001", "SKU-002", "SKU-003", "SKU-004"],
            "name": [
                "Wireless earbuds, white",
                'Phone stand "Flex"',
                "Lip gloss 草莓 (strawberry)",
                "Crème brûlée candle",
            ],
            "category_id": ["ELEC-AUDIO", "ELEC", "BEAUTY", "BEAUTY"],
            "unit_cost_usd": [11.2, 2.5, 1.8, 3.0],
            "price_usd": [39.99, 12.5, 9.9, 15.0],
            "weight_kg": [0.15, 0.3, 0.05, 0.4],
            "length_cm": [12.0, 20.0, 10.0, 10.0],
            "width_cm": [8.0, 10.0, 3.0, 10.0],
            "height_cm": [4.0, 3.0, 3.0, 10.0],
            "packaging_type": ["box", "mailer", "poly_bag", "box"],
            "launch_date": [D(2025, 9, 1), None, None, D(2024, 1, 15)],
            "status": ["active", "active", "active", "discontinued"],
        }
    )


def _suppliers() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "supplier_id": ["SUP-SZ", "SUP-IE", "SUP-US"],
            "name": ["深圳市星河电子有限公司", "O'Brien & Sons, Ltd.", 'Acme "Direct" Supply'],
            "country_code": ["CN", "IE", "US"],
            "city": ["Shenzhen", "Dublin", "Newark, NJ"],
            "latitude": [22.54, 53.35, 40.73],
            "longitude": [114.06, -6.26, -74.17],
            "currency_code": ["CNY", "EUR", "USD"],
            "status": ["approved", "probation", "blocked"],
            "payment_terms_days": [60, 30, 45],
            "country_risk_score": [0.35, 0.1, 0.05],
            "financial_risk_score": [0.2, 0.4, 0.9],
            "compliance_risk_score": [0.25, 0.05, 0.6],
        }
    )


def _supplier_certifications() -> pl.DataFrame:
    return _frame(
        "supplier_id certification certificate_number issued_date expiry_date",
        ("SUP-SZ", "ISO 9001", "CN-9001/2024-17", D(2024, 3, 1), D(2027, 2, 28)),
        ("SUP-SZ", "BSCI", None, D(2025, 1, 10), D(2026, 1, 9)),
        ("SUP-IE", "ISO 9001", "IE-Q-0042", D(2023, 6, 1), D(2026, 5, 31)),
    )


def _supplier_offers() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "offer_id": ["OFF-1", "OFF-2", "OFF-3", "OFF-4"],
            "supplier_id": ["SUP-SZ", "SUP-SZ", "SUP-IE", "SUP-US"],
            "sku_id": ["SKU-001", "SKU-002", "SKU-003", "SKU-001"],
            "currency_code": ["CNY", "CNY", "EUR", "USD"],
            "moq_units": [500, 200, 100, 1],
            "order_multiple_units": [50, 20, 10, 1],
            "lead_time_mean_days": [35.0, 30.0, 12.0, 5.0],
            "lead_time_sd_days": [6.5, 5.0, 2.0, 1.0],
            "capacity_units_per_week": [20_000, 10_000, 5_000, 1_000],
            "valid_from": [D(2025, 1, 1), D(2025, 1, 1), D(2025, 6, 1), D(2025, 1, 1)],
            "valid_to": [None, D(2026, 12, 31), None, None],
            "incoterm": ["FOB", "FOB", "DAP", "DDP"],
            "freight_usd_per_unit": [0.8, 0.4, 0.1, 0.0],
            "duty_rate": [0.075, 0.05, 0.0, 0.0],
            "fixed_order_cost_usd": [120.0, 80.0, 45.0, 0.0],
            "expedite_lead_time_days": [12.0, None, 4.5, None],
            "expedite_cost_usd_per_unit": [1.75, None, 0.3, None],
        }
    )


def _offer_price_tiers() -> pl.DataFrame:
    return _frame(
        "offer_id min_quantity_units unit_price",
        ("OFF-1", 1, 80.0),
        ("OFF-1", 1_000, 75.0),
        ("OFF-1", 5_000, 70.0),
        ("OFF-2", 1, 15.0),
        ("OFF-3", 1, 1.6),
        ("OFF-3", 500, 1.5),
        ("OFF-4", 1, 14.0),
    )


def _warehouses() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "warehouse_id": ["WH-LA", "WH-NJ", "WH-PAR"],
            "name": ['Ontario, CA — "West"', "Newark fulfilment centre", "Entrepôt Paris-Nord"],
            "operator": ["3pl", "own", "3pl"],
            "partner_name": ["ShipFast Logistics, Inc.", None, "Logistique Étoile SA"],
            "region_id": ["LAX", "NYC", "PAR"],
            "city": ["Ontario", "Newark, NJ", "Gonesse"],
            "latitude": [34.06, 40.73, 48.99],
            "longitude": [-117.65, -74.17, 2.45],
            "storage_capacity_units": [300_000, 500_000, 100_000],
            "outbound_capacity_orders_per_day": [5_000, 8_000, 1_500],
            "inbound_capacity_units_per_day": [20_000, 40_000, 5_000],
            "handling_cost_usd_per_order": [2.1, 1.2, 2.8],
            "handling_cost_usd_per_unit": [0.35, 0.25, 0.4],
            "storage_cost_usd_per_unit_day": [0.003, 0.002, 0.004],
            "order_cutoff_hour": [14, 16, 12],
        }
    )


def _shipping_zones() -> pl.DataFrame:
    return _frame(
        "warehouse_id region_id zone distance_km",
        ("WH-LA", "LAX", 1, 60.0),
        ("WH-LA", "NYC", 8, 4_400.0),
        ("WH-NJ", "LAX", 8, 4_500.0),
        ("WH-NJ", "NYC", 1, 15.0),
        ("WH-PAR", "PAR", 1, 20.0),
    )


def _carriers() -> pl.DataFrame:
    return _frame(
        "carrier_id name tracking_number_pattern",
        ("COL", "Colis Privé, S.A.", None),
        ("UPS", "United Parcel Service", "^1Z[0-9A-Z]{16}$"),
    )


def _carrier_services() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "service_id": ["COL-ECO", "UPS-GND", "UPS-NDA"],
            "carrier_id": ["COL", "UPS", "UPS"],
            "name": ["Colis Privé « Éco »", "UPS Ground", "UPS Next Day Air®"],
            "service_level": ["economy", "standard", "next_day"],
            "transport_mode": ["road", "road", "air"],
            "fuel_surcharge_rate": [0.05, 0.12, 0.18],
            "dim_divisor_cm3_per_kg": [6_000.0, 5_000.0, 5_000.0],
            "max_weight_kg": [20.0, 30.0, 30.0],
            "daily_pickup_capacity_parcels": [2_000, 5_000, 800],
        }
    )


def _rate_cards() -> pl.DataFrame:
    return _frame(
        "service_id zone max_weight_kg rate_usd",
        ("COL-ECO", 1, 2.0, 4.2),
        ("UPS-GND", 1, 1.0, 5.1),
        ("UPS-GND", 1, 5.0, 7.4),
        ("UPS-GND", 8, 1.0, 9.8),
        ("UPS-GND", 8, 5.0, 15.2),
        ("UPS-NDA", 1, 1.0, 18.0),
    )


def _transit_times() -> pl.DataFrame:
    return _frame(
        "service_id zone transit_days",
        ("COL-ECO", 1, 2),
        ("UPS-GND", 1, 1),
        ("UPS-GND", 8, 5),
        ("UPS-NDA", 1, 1),
    )


def _sales_events() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "event_id": ["EV-1111", "EV-BF", "EV-LIVE"],
            "name": ["Singles' Day 11.11", 'Black Friday, "Cyber" weekend', "美妆 live: lip night"],
            "event_type": ["singles_day", "black_friday", "flash_sale"],
            "start_date": [D(2025, 11, 11), D(2025, 11, 28), D(2026, 1, 15)],
            "end_date": [D(2025, 11, 11), D(2025, 12, 1), D(2026, 1, 15)],
            "category_id": [None, "ELEC", "BEAUTY"],
            "channel": [None, None, "live_stream"],
        }
    )


def _budgets() -> pl.DataFrame:
    return _frame(
        "category_id period_start period_end budget_usd over_budget_action",
        ("BEAUTY", D(2026, 1, 1), D(2026, 3, 31), 40_000.0, "block"),
        ("ELEC", D(2026, 1, 1), D(2026, 3, 31), 250_000.0, "warn"),
    )


def _orders() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "order_id": [1, 2, 3, 4],
            "external_order_id": ["TT-5790001", "TT-5790002", 'TT-5790003,"B"', "TT-5790004"],
            "channel": ["live_stream", "shop", "video", "shop"],
            "ordered_at": [
                T(2025, 11, 11, 0, 0, 1, 1),
                T(2026, 1, 15, 20, 30, 45, 123456),
                T(2026, 1, 16, 8, 15, 0, 999999),
                T(2026, 1, 16, 9),
            ],
            "region_id": ["NYC", "LAX", "NYC", "PAR"],
            "customer_id": ["C-001", None, "C-003", "C-001"],
            "status": ["delivered", "allocated", "open", "cancelled"],
            "promised_dispatch_date": [
                D(2025, 11, 12),
                D(2026, 1, 16),
                D(2026, 1, 17),
                D(2026, 1, 17),
            ],
            "promised_delivery_date": [
                D(2025, 11, 15),
                D(2026, 1, 20),
                D(2026, 1, 21),
                D(2026, 1, 24),
            ],
            "event_id": ["EV-1111", "EV-LIVE", None, None],
        }
    )


def _shipments() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "shipment_id": [1, 2],
            "order_id": [1, 2],
            "warehouse_id": ["WH-NJ", "WH-LA"],
            "service_id": ["UPS-GND", "UPS-GND"],
            "status": ["delivered", "picking"],
            "carton_code": ["M-2", None],
            "weight_kg": [0.6, 0.2],
            "billable_weight_kg": [0.8, 0.2],
            "zone": [1, 1],
            "shipping_cost_usd": [5.71, 5.1],
            "tracking_number": ["1Z999AA10123456784", None],
            "created_at": [T(2025, 11, 11, 2, 0, 0, 500000), T(2026, 1, 15, 21, 0, 0, 2)],
            "picked_at": [T(2025, 11, 11, 9, 10, 11, 123), None],
            "packed_at": [T(2025, 11, 11, 9, 30), None],
            "shipped_at": [T(2025, 11, 11, 17, 45), None],
            "delivered_at": [T(2025, 11, 13, 14, 2, 3, 654321), None],
        }
    )


def _order_lines() -> pl.DataFrame:
    return _frame(
        "order_id line_no sku_id quantity_units "
        "unit_price_usd status warehouse_id shipment_id cancel_reason",
        (1, 1, "SKU-001", 2, 35.99, "shipped", "WH-NJ", 1, None),
        (1, 2, "SKU-002", 1, 12.5, "shipped", "WH-NJ", 1, None),
        (2, 1, "SKU-003", 4, 8.9, "reserved", "WH-LA", None, None),
        (2, 2, "SKU-001", 3, 39.99, "reserved", "WH-NJ", None, None),
        (2, 3, "SKU-001", 1, 39.99, "reserved", "WH-NJ", None, None),
        (3, 1, "SKU-002", 1, 12.5, "open", None, None, None),
        (3, 2, "SKU-003", 2, 9.9, "cancelled", None, None, "stockout"),
        (4, 1, "SKU-001", 1, 39.99, "cancelled", None, None, "customer"),
    )


def _purchase_orders() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "po_id": [1, 2, 3, 4, 5, 6],
            "po_number": [
                "PO-2026-0001",
                "PO-2026-0002",
                "PO-2026-0003",
                "PO-2025-0099",
                "PO-2025-0100",
                "PO-2026-0004",
            ],
            "supplier_id": ["SUP-SZ", "SUP-IE", "SUP-SZ", "SUP-SZ", "SUP-IE", "SUP-US"],
            "warehouse_id": ["WH-NJ", "WH-LA", "WH-NJ", "WH-LA", "WH-NJ", "WH-LA"],
            "status": [
                "confirmed",
                "partially_received",
                "proposed",
                "cancelled",
                "received",
                "approved",
            ],
            "currency_code": ["CNY", "EUR", "CNY", "CNY", "EUR", "USD"],
            "incoterm": ["FOB", "DAP", "FOB", "FOB", "DAP", "DDP"],
            "ordered_date": [
                D(2026, 1, 5),
                D(2026, 1, 10),
                None,
                D(2025, 12, 20),
                D(2025, 12, 1),
                D(2026, 1, 14),
            ],
            "created_at": [
                T(2026, 1, 4, 10, 0, 0, 1),
                T(2026, 1, 9, 16, 45, 12, 345678),
                T(2026, 1, 20, 2),
                T(2025, 12, 19, 8),
                T(2025, 11, 30, 9),
                T(2026, 1, 14, 7, 59, 59, 999999),
            ],
            "created_by": [
                "plan run 7",
                "buyer: Zoë O'Neil, EU desk",
                "plan run 8",
                "plan run 3",
                "plan run 1",
                'buyer "JK"',
            ],
        }
    )


def _purchase_order_lines() -> pl.DataFrame:
    return _frame(
        "po_id line_no sku_id quantity_units unit_price expected_date cancelled_units",
        (1, 1, "SKU-001", 1_000, 75.0, D(2026, 2, 10), 100),
        (1, 2, "SKU-002", 200, 15.0, D(2026, 2, 10), 0),
        (2, 1, "SKU-003", 500, 1.5, D(2026, 1, 25), 0),
        (2, 2, "SKU-001", 100, 9.5, D(2026, 1, 25), 0),
        (3, 1, "SKU-001", 5_000, 70.0, D(2026, 3, 1), 0),
        (4, 1, "SKU-002", 300, 15.0, D(2026, 1, 30), 300),
        (5, 1, "SKU-003", 100, 1.6, D(2025, 12, 20), 0),
        (6, 1, "SKU-001", 10, 14.0, D(2026, 1, 20), 0),
    )


def _receipts() -> pl.DataFrame:
    return _frame(
        "receipt_id receipt_reference po_id line_no received_date received_units damaged_units "
        "rejected_units",
        (1, "GRN-000000001", 2, 1, D(2026, 1, 24), 300, 2, 1),
        (2, "DN 4471/2026, Cork", 2, 1, D(2026, 1, 26), 150, 0, 0),
        (3, "GRN-000000003", 2, 2, D(2026, 1, 24), 120, 0, 0),
        (4, "GRN-000000004", 5, 1, D(2025, 12, 19), 100, 0, 0),
    )


def _cartons() -> pl.DataFrame:
    return _frame(
        "carton_code family length_cm width_cm height_cm max_weight_kg tare_weight_kg sku_id",
        ("MLR-S", "mailer", 25.0, 18.0, 8.0, 3.0, 0.06, None),
        ("BOX-M", "box", 40.0, 30.0, 25.0, 20.0, 0.22, "SKU-004"),
    )


def _scorecard_weights() -> pl.DataFrame:
    return _frame(
        "scorecard metric weight",
        ("supplier", "on_time_in_full", 3.0),
        ("supplier", "invoice_accuracy", 0.5),
        ("carrier", "on_time_delivery", 2.0),
    )


def _purchase_order_events() -> pl.DataFrame:
    return _frame(
        "event_id po_id from_status to_status changed_at changed_by note",
        (1, 1, None, "proposed", T(2026, 1, 4, 10, 0, 0, 1), "plan run 7", None),
        (2, 1, "proposed", "approved", T(2026, 1, 4, 15, 30), "buyer: Zoë O'Neil", "ok, urgent"),
        (3, 1, "approved", "sent", T(2026, 1, 5, 8), "edi", None),
        (4, 1, "sent", "confirmed", T(2026, 1, 6, 9, 12, 0, 500000), "supplier", None),
        (5, 4, "sent", "cancelled", T(2025, 12, 21), 'buyer "JK"', "price rise refused"),
    )


def _supplier_invoices() -> pl.DataFrame:
    return _frame(
        "invoice_id invoice_number supplier_id invoice_date currency_code",
        (1, "IE-2026/017", "SUP-IE", D(2026, 1, 27), "EUR"),
        (2, "IE-2025/311", "SUP-IE", D(2025, 12, 20), "EUR"),
    )


def _supplier_invoice_lines() -> pl.DataFrame:
    return _frame(
        "invoice_id po_id line_no quantity_units unit_price",
        (1, 2, 1, 450, 1.5),
        (1, 2, 2, 120, 9.9),
        (2, 5, 1, 100, 1.6),
    )


def _returns() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "return_id": [1, 2],
            "rma_number": ["RMA-0001", "RMA-0002"],
            "order_id": [1, 1],
            "line_no": [1, 2],
            "quantity_units": [1, 1],
            "reason": ["damaged", "changed_mind"],
            "status": ["closed", "requested"],
            "requested_date": [D(2025, 11, 16), D(2025, 11, 18)],
            "received_date": [D(2025, 11, 20), None],
            "warehouse_id": ["WH-NJ", None],
            "condition_grade": ["C", None],
            "disposition": ["refurbish", None],
            "refund_usd": [35.99, 0.0],
            "recovered_value_usd": [18.5, None],
        }
    )


def _inventory_movements() -> pl.DataFrame:
    return _frame(
        "movement_id sku_id warehouse_id movement_type "
        "quantity_units moved_at reference_type reference_id",
        (1, "SKU-001", "WH-NJ", "adjustment", 50, T(2025, 11, 1), "opening_balance", None),
        (2, "SKU-002", "WH-NJ", "adjustment", 10, T(2025, 11, 1, 0, 0, 0, 1), None, None),
        (3, "SKU-001", "WH-NJ", "pick", -2, T(2025, 11, 11, 9, 10, 11, 123), "shipment", 1),
        (4, "SKU-002", "WH-NJ", "pick", -1, T(2025, 11, 11, 9, 10, 11, 123), "shipment", 1),
        (5, "SKU-001", "WH-NJ", "return", 1, T(2025, 11, 20, 11, 11, 11, 111111), "return", 1),
        (6, "SKU-003", "WH-NJ", "receipt", 100, T(2025, 12, 19, 15), "receipt", 4),
        (
            7,
            "SKU-003",
            "WH-NJ",
            "adjustment",
            -100,
            T(2025, 12, 31, 23, 59, 59),
            "cycle_count",
            None,
        ),
        (8, "SKU-003", "WH-LA", "receipt", 297, T(2026, 1, 24, 13), "receipt", 1),
        (9, "SKU-001", "WH-LA", "receipt", 120, T(2026, 1, 24, 13, 5), "receipt", 3),
        (10, "SKU-003", "WH-LA", "receipt", 150, T(2026, 1, 26, 10), "receipt", 2),
        (11, "SKU-001", "WH-LA", "transfer", -20, T(2026, 1, 27, 8), "transfer", 1),
        (12, "SKU-001", "WH-NJ", "transfer", 20, T(2026, 1, 29, 16, 30, 0, 250000), "transfer", 1),
    )


def _planning_parameters() -> pl.DataFrame:
    return _frame(
        "name value description",
        ("holding_cost_rate_per_year", 0.3, "Finance's cost of capital, storage and shrink"),
        ("review_period_days", 7.0, None),
    )


def _service_level_targets() -> pl.DataFrame:
    return _frame(
        "abc_class xyz_class measure target",
        ("A", "X", "fill_rate", 0.985),
        ("C", "Z", "cycle_service_level", 0.85),
    )


def _plan_runs() -> pl.DataFrame:
    return _frame(
        "run_id kind status as_of started_at finished_at parameters message",
        (
            1,
            "policy",
            "done",
            D(2026, 2, 1),
            T(2026, 2, 1, 2, 0, 0, 1),
            T(2026, 2, 1, 2, 4),
            '{"holding_cost_rate_per_year": 0.3, "service_targets": []}',
            "2 policies, fill 95.1%",
        ),
        (2, "forecast", "failed", D(2026, 2, 2), T(2026, 2, 2, 2), None, "{}", None),
    )


def _forecast_models() -> pl.DataFrame:
    return _frame(
        "run_id sku_id warehouse_id demand_pattern adi cv2 model backtest_wape "
        "naive_backtest_wape reason",
        (
            1,
            "SKU-001",
            "WH-NJ",
            "smooth",
            1.0,
            0.2,
            "theta",
            0.31,
            0.44,
            "lowest back-test WAPE 0.31 vs seasonal naive 0.44",
        ),
        (
            1,
            "SKU-003",
            "WH-LA",
            "new",
            None,
            None,
            "category_pattern",
            None,
            None,
            "new: 12 days of history, category pattern at its own level",
        ),
    )


def _forecast_accuracy() -> pl.DataFrame:
    return _frame(
        "run_id segment_kind segment series units wape mase bias wape_naive mase_naive bias_naive",
        (1, "all", "all", 2, 310.0, 0.35, 0.9, -0.02, 0.5, 1.1, 0.04),
        (1, "abc_class", "A", 1, 300.0, 0.3, 0.85, None, 0.45, 1.0, None),
        (1, "abc_class", "C", 1, 0.0, None, None, None, None, None, None),
    )


def _demand_forecasts() -> pl.DataFrame:
    return _frame(
        "run_id sku_id warehouse_id week_start units",
        (1, "SKU-001", "WH-NJ", D(2026, 2, 2), 35.5),
        (1, "SKU-001", "WH-NJ", D(2026, 2, 9), 0.0),
    )


def _inventory_policies() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "run_id": [1, 1],
            "sku_id": ["SKU-001", "SKU-003"],
            "warehouse_id": ["WH-NJ", "WH-LA"],
            "policy_status": ["planned", "no_usable_offer"],
            "abc_class": ["A", None],
            "xyz_class": ["X", None],
            "service_measure": ["fill_rate", None],
            "service_target": [0.985, None],
            "offer_id": ["OFF-1", None],
            "demand_mean_units_per_day": [5.0, 0.1],
            "demand_sd_units_per_day": [2.1, 0.4],
            "lead_time_mean_days": [35.0, None],
            "lead_time_sd_days": [6.5, None],
            "unit_cost_usd": [11.65, None],
            "safety_stock_units": [48.2, None],
            "reorder_point_units": [223.2, None],
            "order_up_to_level_units": [723.2, None],
            "order_quantity_units": [500.0, None],
            "expected_fill_rate": [0.985, None],
            "cost_usd_per_day": [60.4, None],
            "explanation": ["reorder at 223 units: 35 days x 5/day + 48 safety", "no valid offer"],
        }
    )


def _policy_backtests() -> pl.DataFrame:
    return _frame(
        "run_id segment_kind segment rows demand_units target_fill_rate fill_rate "
        "cycle_service_level stockout_days average_stock_value_usd total_cost_usd",
        (1, "all", "all", 2, 420.0, 0.95, 0.94, 0.9, 3, 2_500.5, 4_100.0),
        (1, "abc_class", "A", 1, 400.0, 0.985, 0.97, None, 1, 2_400.0, 3_900.25),
    )


def _net_requirements() -> pl.DataFrame:
    return _frame(
        "run_id requirement_id sku_id warehouse_id order_by_date need_by_date quantity_units "
        "projected_position_units urgent awarded_units shortfall_units shortfall_reason "
        "explanation",
        (
            1,
            1,
            "SKU-001",
            "WH-LA",
            D(2026, 2, 1),
            D(2026, 2, 13),
            600,
            48.5,
            False,
            600,
            0,
            None,
            "position 48.5 reaches the reorder point 60 on 2026-02-01",
        ),
        (
            1,
            2,
            "SKU-002",
            "WH-NJ",
            D(2026, 2, 1),
            D(2026, 2, 3),
            40,
            -3.0,
            True,
            0,
            40,
            "no offer",
            "x",
        ),
    )


def _sourcing_awards() -> pl.DataFrame:
    return _frame(
        "run_id requirement_id offer_id supplier_id sku_id warehouse_id quantity_units "
        "unit_price_usd landed_cost_usd_per_unit risk_penalty_usd fixed_order_cost_usd "
        "total_cost_usd lead_time_days expedited arrival_date late_days po_id explanation",
        (
            1,
            1,
            "OFF-4",
            "SUP-US",
            "SKU-001",
            "WH-LA",
            600,
            13.5,
            13.5,
            40.5,
            0.0,
            8140.5,
            5.0,
            False,
            D(2026, 2, 6),
            0,
            3,
            "cheapest in time; OFF-1 costs 1,204.50 USD more",
        ),
        (
            1,
            1,
            "OFF-1",
            "SUP-SZ",
            "SKU-001",
            "WH-LA",
            500,
            70.0,
            76.05,
            175.0,
            120.0,
            38320.0,
            35.0,
            True,
            D(2026, 3, 8),
            23,
            None,
            "second source for an A-class SKU; expedited, still 23 days late",
        ),
    )


def _award_alternatives() -> pl.DataFrame:
    return _frame(
        "run_id requirement_id offer_id supplier_id status reason landed_cost_usd "
        "cost_difference_usd lead_time_difference_days",
        (1, 1, "OFF-4", "SUP-US", "chosen", None, 8140.5, 0.0, 0.0),
        (1, 1, "OFF-1", "SUP-SZ", "eligible", "1,204.50 USD dearer", 9345.0, 1204.5, 30.0),
        (1, 2, "OFF-2", "SUP-SZ", "excluded", "certification expired", None, None, None),
    )


def _shipment_events() -> pl.DataFrame:
    return _frame(
        "event_id shipment_id from_status to_status changed_at changed_by note",
        (1, 1, None, "picking", T(2025, 11, 11, 2, 0, 0, 500000), "allocation run 3", None),
        (2, 1, "picking", "packed", T(2025, 11, 11, 9, 30), "packer: José Núñez", "BOX-S"),
        (3, 1, "packed", "shipped", T(2025, 11, 11, 17, 45), "UPS scan", None),
        (4, 1, "shipped", "delivered", T(2025, 11, 13, 14, 2, 3, 654321), "UPS feed", "porch"),
        (5, 2, None, "picking", T(2026, 1, 15, 21, 0, 0, 2), "allocation run 4", None),
    )


def _stock_transfers() -> pl.DataFrame:
    return _frame(
        "transfer_id run_id sku_id from_warehouse_id to_warehouse_id quantity_units status "
        "proposed_date transfer_cost_usd shipping_saved_usd explanation",
        (
            1,
            None,
            "SKU-001",
            "WH-LA",
            "WH-NJ",
            20,
            "received",
            D(2026, 1, 26),
            31.0,
            88.4,
            "East-coast demand, 4 zones nearer",
        ),
        (
            2,
            1,
            "SKU-003",
            "WH-LA",
            "WH-NJ",
            40,
            "proposed",
            D(2026, 2, 2),
            12.5,
            19.0,
            "NYC, «8→1»",
        ),
    )


def _fulfillment_allocations() -> pl.DataFrame:
    return _frame(
        "run_id order_id line_no warehouse_id service_id ship_date arrival_date on_time",
        (1, 3, 1, "WH-NJ", "UPS-GND", D(2026, 1, 16), D(2026, 1, 19), True),
        (1, 3, 2, "WH-LA", "UPS-GND", D(2026, 1, 16), D(2026, 1, 23), False),
    )


def _allocation_summaries() -> pl.DataFrame:
    return _frame(
        "run_id method orders orders_allocated parcels split_orders split_rate "
        "shipping_cost_usd handling_cost_usd total_cost_usd cost_per_order_usd on_time_share "
        "lower_bound_usd gap",
        (1, "optimised", 1, 1, 2, 1, 1.0, 26.21, 2.8, 30.51, 29.01, 0.0, 30.5, 0.000328),
        (1, "nearest_warehouse", 1, 1, 2, 1, 1.0, 26.21, 2.8, 30.51, 29.01, 0.0, None, None),
    )


_BUILDERS: dict[str, Callable[[], pl.DataFrame]] = {
    "currencies": _currencies,
    "regions": _regions,
    "categories": _categories,
    "skus": _skus,
    "cartons": _cartons,
    "suppliers": _suppliers,
    "supplier_certifications": _supplier_certifications,
    "supplier_offers": _supplier_offers,
    "offer_price_tiers": _offer_price_tiers,
    "warehouses": _warehouses,
    "shipping_zones": _shipping_zones,
    "carriers": _carriers,
    "carrier_services": _carrier_services,
    "rate_cards": _rate_cards,
    "transit_times": _transit_times,
    "sales_events": _sales_events,
    "budgets": _budgets,
    "planning_parameters": _planning_parameters,
    "service_level_targets": _service_level_targets,
    "scorecard_weights": _scorecard_weights,
    "orders": _orders,
    "shipments": _shipments,
    "order_lines": _order_lines,
    "purchase_orders": _purchase_orders,
    "purchase_order_events": _purchase_order_events,
    "purchase_order_lines": _purchase_order_lines,
    "receipts": _receipts,
    "supplier_invoices": _supplier_invoices,
    "supplier_invoice_lines": _supplier_invoice_lines,
    "returns": _returns,
    "inventory_movements": _inventory_movements,
    "shipment_events": _shipment_events,
    "stock_transfers": _stock_transfers,
    "plan_runs": _plan_runs,
    "forecast_models": _forecast_models,
    "forecast_accuracy": _forecast_accuracy,
    "demand_forecasts": _demand_forecasts,
    "inventory_policies": _inventory_policies,
    "policy_backtests": _policy_backtests,
    "net_requirements": _net_requirements,
    "sourcing_awards": _sourcing_awards,
    "award_alternatives": _award_alternatives,
    "fulfillment_allocations": _fulfillment_allocations,
    "allocation_summaries": _allocation_summaries,
}
