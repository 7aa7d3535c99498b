"""The columns of an order file: one row per order line, as marketplaces export them.

``shopops orders import FILE`` reads a CSV or Parquet file with these columns (validated
like an import: every bad cell named by row and column). Rows with the same
``external_order_id`` make one order; its header columns must then agree on every row.
The table is never stored as such: rows become ``orders`` and ``order_lines``.
"""

from __future__ import annotations

from shopops.data.spec import Column, DType, Table
from shopops.domain.orders import SalesChannel

S, INT, F, D, T = DType.STRING, DType.INTEGER, DType.FLOAT, DType.DATE, DType.DATETIME

ORDER_HEADER_COLUMNS = (
    "channel",
    "ordered_at",
    "region_id",
    "customer_id",
    "event_id",
    "promised_delivery_date",
)
"""Columns that describe the whole order, repeated on each of its lines."""

ORDER_FILE = Table(
    "order_file",
    "One row per order line; rows with the same external_order_id make one order.",
    (
        Column("external_order_id", S, "The marketplace's order id.", max_length=64),
        Column(
            "channel",
            S,
            "Where the order was placed.",
            choices=tuple(c.value for c in SalesChannel),
        ),
        Column("ordered_at", T, "When the order was placed (UTC)."),
        Column("region_id", S, "Destination region.", max_length=64),
        Column("customer_id", S, "Buyer reference.", nullable=True, max_length=64),
        Column("sku_id", S, "SKU ordered.", max_length=64),
        Column(
            "quantity_units",
            INT,
            "Units ordered.",
            unit="units",
            minimum=0,
            minimum_exclusive=True,
        ),
        Column("unit_price_usd", F, "Price paid per unit.", unit="USD", minimum=0),
        Column(
            "event_id", S, "Sales event the order came from, if any.", nullable=True, max_length=64
        ),
        Column(
            "promised_delivery_date",
            D,
            "Delivery date the marketplace promised; empty to let ShopOps promise one.",
            nullable=True,
        ),
    ),
    primary_key=("external_order_id", "sku_id"),
)
