"""SQLAlchemy Core tables, generated from the data model in ``shopops.data.schemas``.

Nothing about a column is written here: names, types, nullability, keys, references and
CHECK constraints all follow from the :class:`~shopops.data.spec.Table` definitions.
Only storage concerns live here: SQL types per dialect, constraint names and the
secondary indexes that queries need.
"""

from __future__ import annotations

import hashlib
from typing import Any

import sqlalchemy as sa

from shopops.data.schemas import ALL_TABLES
from shopops.data.spec import Column, DType, Table

metadata = sa.MetaData()

_MAX_NAME = 60

INDEXES: dict[str, tuple[tuple[str, ...], ...]] = {
    "skus": (("category_id",),),
    "supplier_offers": (("sku_id",),),
    "orders": (("ordered_at",), ("status",)),
    "order_lines": (
        ("sku_id",),
        ("shipment_id",),
        ("status", "warehouse_id", "sku_id", "quantity_units"),
    ),
    "shipments": (("order_id",), ("status",)),
    "shipment_events": (("shipment_id",),),
    "stock_transfers": (("status",),),
    "purchase_orders": (("status",),),
    "purchase_order_lines": (("sku_id",),),
    "receipts": (("po_id", "line_no", "received_units"),),
    "returns": (("order_id", "line_no"),),
    "inventory_movements": (("sku_id", "warehouse_id", "quantity_units"), ("moved_at",)),
}
"""Secondary indexes by table, for the lookups the services and views make.

The indexes behind stock figures carry the quantity they sum (on hand from the stock
ledger, reserved from order lines, received from receipts), so the database answers
from the index alone without visiting the rows of tables that hold tens of millions.
"""


def _sql_type(column: Column) -> sa.types.TypeEngine[Any]:
    match column.dtype:
        case DType.STRING:
            return sa.String(column.max_length) if column.max_length else sa.Text()
        case DType.INTEGER:
            return sa.BigInteger().with_variant(sa.Integer(), "sqlite")
        case DType.FLOAT:
            return sa.Double()
        case DType.BOOLEAN:
            return sa.Boolean(create_constraint=False)
        case DType.DATE:
            return sa.Date()
        case DType.DATETIME:
            return sa.DateTime()
    raise AssertionError(column.dtype)


def constraint_name(*parts: str) -> str:
    """A constraint name that fits PostgreSQL's 63-character limit and stays unique."""
    name = "_".join(parts)
    if len(name) <= _MAX_NAME:
        return name
    digest = hashlib.sha1(name.encode()).hexdigest()[:8]
    return f"{name[: _MAX_NAME - 9]}_{digest}"


def _build(spec: Table) -> sa.Table:
    items: list[Any] = [
        sa.Column(c.name, _sql_type(c), nullable=c.nullable, autoincrement=False)
        for c in spec.columns
    ]
    items.append(sa.PrimaryKeyConstraint(*spec.primary_key, name=constraint_name("pk", spec.name)))
    items += [
        sa.UniqueConstraint(*cols, name=constraint_name("uq", spec.name, *cols))
        for cols in spec.unique
    ]
    items += [
        sa.ForeignKeyConstraint(
            list(fk.columns),
            [f"{fk.table}.{c}" for c in fk.ref_columns],
            name=constraint_name("fk", spec.name, *fk.columns),
            deferrable=True,
            initially="DEFERRED",
        )
        for fk in spec.all_foreign_keys()
    ]
    checks = [(name, sql) for c in spec.columns for name, sql in c.value_checks()]
    checks += [(rule.name, rule.sql) for rule in spec.rules]
    items += [
        sa.CheckConstraint(sql, name=constraint_name("ck", spec.name, name)) for name, sql in checks
    ]
    items += [
        sa.Index(constraint_name("ix", spec.name, *cols), *cols)
        for cols in INDEXES.get(spec.name, ())
    ]
    return sa.Table(spec.name, metadata, *items)


SQL_TABLES: dict[str, sa.Table] = {spec.name: _build(spec) for spec in ALL_TABLES}
