"""The database itself refuses rows that break the data model, whoever writes them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest
import sqlalchemy as sa

from factories import with_parents
from shopops.data.schemas import ALL_TABLES
from shopops.data.spec import Rule, Table
from shopops.store.tables import constraint_name
from shopops.store.unit_of_work import SqlUnitOfWork

T = dt.datetime
D = dt.date

RULE_BREAKERS: dict[tuple[str, str], dict[str, Any]] = {
    ("supplier_certifications", "expiry_date_not_before_issued_date"): {
        "expiry_date": D(2024, 2, 29)
    },
    ("supplier_offers", "valid_to_not_before_valid_from"): {"valid_to": D(2024, 12, 31)},
    ("supplier_offers", "expedite_terms_together"): {"expedite_cost_usd_per_unit": None},
    ("stock_transfers", "transfer_between_two_warehouses"): {"to_warehouse_id": "WH-LA"},
    ("supplier_offers", "expedite_is_faster"): {"expedite_lead_time_days": 40.0},
    ("cartons", "carton_sides_sorted"): {"width_cm": 30.0},
    ("warehouses", "partner_required_for_3pl"): {"operator": "3pl", "partner_name": None},
    ("plan_runs", "finished_at_not_before_started_at"): {"finished_at": T(2026, 1, 31)},
    ("sales_events", "end_date_not_before_start_date"): {"end_date": D(2025, 11, 10)},
    ("budgets", "period_end_not_before_period_start"): {"period_end": D(2025, 12, 31)},
    ("orders", "promised_delivery_date_not_before_promised_dispatch_date"): {
        "promised_delivery_date": D(2025, 11, 11)
    },
    ("shipments", "picked_at_not_before_created_at"): {"picked_at": T(2025, 11, 11, 1)},
    ("shipments", "packed_at_not_before_picked_at"): {"packed_at": T(2025, 11, 11, 9)},
    ("shipments", "shipped_at_not_before_packed_at"): {"shipped_at": T(2025, 11, 11, 9, 20)},
    ("shipments", "delivered_at_not_before_shipped_at"): {"delivered_at": T(2025, 11, 11, 17)},
    ("shipments", "billable_not_below_actual"): {"billable_weight_kg": 0.5},
    ("order_lines", "reserved_needs_warehouse"): {
        "status": "reserved",
        "warehouse_id": None,
        "shipment_id": None,
    },
    ("order_lines", "cancel_reason_only_when_cancelled"): {"cancel_reason": "customer"},
    ("purchase_order_lines", "cancelled_within_ordered"): {"cancelled_units": 1_001},
    ("receipts", "damaged_and_rejected_within_received"): {
        "damaged_units": 200,
        "rejected_units": 101,
    },
    ("returns", "received_date_not_before_requested_date"): {"received_date": D(2025, 11, 15)},
    ("inventory_movements", "movement_not_zero"): {"quantity_units": 0},
    ("inventory_movements", "receipts_and_returns_add"): {
        "movement_type": "receipt",
        "quantity_units": -5,
    },
    ("inventory_movements", "picks_remove"): {"movement_type": "pick", "quantity_units": 5},
}
"""For every rule of the data model, values that break it in the table's first row."""

EVERY_RULE = [
    pytest.param(spec, rule, id=f"{spec.name}.{rule.name}")
    for spec in ALL_TABLES
    for rule in spec.rules
]


def _write_with_parents(
    engine: sa.Engine, marketplace: dict[str, pl.DataFrame], name: str, rows: pl.DataFrame
) -> None:
    """Write the valid rows of every table ``name`` references, then ``rows``, and commit."""
    with SqlUnitOfWork(engine) as uow:
        for parent in with_parents(name)[:-1]:
            uow.frames.write(parent, marketplace[parent])
        uow.frames.write(name, rows)
        uow.commit()


def _changed(frame: pl.DataFrame, **values: Any) -> pl.DataFrame:
    """The first row of ``frame`` with some values replaced, types kept."""
    row = frame.head(1)
    return row.with_columns(
        pl.lit(value, dtype=row.schema[column]).alias(column) for column, value in values.items()
    )


def _broken(spec: Table, rule: Rule, marketplace: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """A row that breaks ``rule`` and keeps every other rule of its table."""
    row = _changed(marketplace[spec.name], **RULE_BREAKERS[(spec.name, rule.name)])
    assert row.select(rule.expr()).item() is False
    for other in spec.rules:
        if other is not rule:
            assert row.select(other.expr()).item() is not False, other.name
    return row


@pytest.mark.parametrize(("spec", "rule"), EVERY_RULE)
def test_every_rule_is_enforced(
    engine: sa.Engine, marketplace: dict[str, pl.DataFrame], spec: Table, rule: Rule
) -> None:
    row = _broken(spec, rule, marketplace)
    with pytest.raises(sa.exc.IntegrityError, match=constraint_name("ck", spec.name, rule.name)):
        _write_with_parents(engine, marketplace, spec.name, row)


def test_each_rule_has_a_breaker_and_no_breaker_is_stale() -> None:
    assert set(RULE_BREAKERS) == {
        (spec.name, rule.name) for spec in ALL_TABLES for rule in spec.rules
    }


def test_an_unbroken_row_is_accepted(
    engine: sa.Engine, marketplace: dict[str, pl.DataFrame]
) -> None:
    _write_with_parents(engine, marketplace, "shipments", marketplace["shipments"].head(1))


def test_a_duplicate_primary_key_is_refused(
    engine: sa.Engine, marketplace: dict[str, pl.DataFrame]
) -> None:
    twice = pl.concat([marketplace["currencies"], marketplace["currencies"].head(1)])
    with pytest.raises(sa.exc.IntegrityError):
        _write_with_parents(engine, marketplace, "currencies", twice)


def test_a_primary_key_already_stored_is_refused(
    engine: sa.Engine, marketplace: dict[str, pl.DataFrame]
) -> None:
    with SqlUnitOfWork(engine) as uow:
        uow.frames.write("currencies", marketplace["currencies"])
        with pytest.raises(sa.exc.IntegrityError):
            uow.frames.write("currencies", _changed(marketplace["currencies"], name="Dollar"))


def test_a_duplicate_external_order_id_is_refused(
    engine: sa.Engine, marketplace: dict[str, pl.DataFrame]
) -> None:
    orders = marketplace["orders"]
    copy = _changed(orders, order_id=99)
    with pytest.raises(sa.exc.IntegrityError):
        _write_with_parents(engine, marketplace, "orders", pl.concat([orders, copy]))


def test_an_order_line_for_an_unknown_sku_is_refused(
    engine: sa.Engine, marketplace: dict[str, pl.DataFrame]
) -> None:
    line = _changed(marketplace["order_lines"], sku_id="SKU-404")
    with pytest.raises(sa.exc.IntegrityError):
        _write_with_parents(engine, marketplace, "order_lines", line)


def test_a_receipt_for_an_unknown_purchase_order_line_is_refused(
    engine: sa.Engine, marketplace: dict[str, pl.DataFrame]
) -> None:
    receipt = _changed(marketplace["receipts"], po_id=2, line_no=99)
    with pytest.raises(sa.exc.IntegrityError):
        _write_with_parents(engine, marketplace, "receipts", receipt)


def test_a_negative_quantity_is_refused(
    engine: sa.Engine, marketplace: dict[str, pl.DataFrame]
) -> None:
    line = _changed(marketplace["order_lines"], quantity_units=-3)
    with pytest.raises(sa.exc.IntegrityError, match="ck_order_lines_quantity_units_min"):
        _write_with_parents(engine, marketplace, "order_lines", line)


def test_a_status_outside_the_choices_is_refused(
    engine: sa.Engine, marketplace: dict[str, pl.DataFrame]
) -> None:
    order = _changed(marketplace["orders"], status="lost")
    with pytest.raises(sa.exc.IntegrityError, match="ck_orders_status_choice"):
        _write_with_parents(engine, marketplace, "orders", order)


def test_a_missing_required_value_is_refused(
    engine: sa.Engine, marketplace: dict[str, pl.DataFrame]
) -> None:
    sku = _changed(marketplace["skus"], name=None)
    with pytest.raises(sa.exc.IntegrityError):
        _write_with_parents(engine, marketplace, "skus", sku)
