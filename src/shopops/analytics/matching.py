"""Three-way match: each PO line against what was received and what the supplier invoiced.

Per PO line: ``ordered_units`` = ordered - cancelled, ``accepted_units`` = received -
damaged - rejected over its receipts, ``invoiced_units`` over its invoice lines, and the
quantity-weighted invoiced price ``sum(units x price) / sum(units)``. The first rule that
holds gives the status (tolerances are shares: 0.02 = 2 %):

====================== ================================================ =====================
status                 when                                             amount at stake
====================== ================================================ =====================
quantity_over_invoiced invoiced > accepted x (1 + quantity_tolerance)   (invoiced - accepted)
                                                                        x invoiced price
price_over             invoiced price > PO price x (1 + price_tolerance) price gap x invoiced
price_under            invoiced price < PO price x (1 - price_tolerance) price gap x invoiced
not_received           nothing accepted (and nothing invoiced)          ordered x PO price
not_yet_invoiced       invoiced < accepted x (1 - quantity_tolerance)   (accepted - invoiced)
                                                                        x PO price
matched                otherwise                                        0
====================== ================================================ =====================

Amounts are in the PO's currency; invoice prices must come converted to it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import polars as pl

from shopops.domain.purchasing import MatchStatus
from shopops.errors import DataError

MATCH_COLUMNS = (
    "po_id",
    "po_number",
    "line_no",
    "sku_id",
    "supplier_id",
    "currency_code",
    "ordered_units",
    "accepted_units",
    "invoiced_units",
    "po_unit_price",
    "invoiced_unit_price",
    "match_status",
    "amount_at_stake_po_currency",
    "action",
)

_PO_LINE_COLUMNS = (
    "po_id",
    "po_number",
    "line_no",
    "sku_id",
    "supplier_id",
    "currency_code",
    "quantity_units",
    "cancelled_units",
    "unit_price",
)
_RECEIPT_COLUMNS = ("po_id", "line_no", "received_units", "damaged_units", "rejected_units")
_INVOICE_COLUMNS = ("po_id", "line_no", "quantity_units", "unit_price")
_KEY = ["po_id", "line_no"]


def three_way_match(
    po_lines: pl.DataFrame,
    receipts: pl.DataFrame,
    invoice_lines: pl.DataFrame,
    *,
    price_tolerance: float,
    quantity_tolerance: float,
) -> pl.DataFrame:
    """Match every PO line with its receipts and invoice lines (see module notes).

    Parameters
    ----------
    po_lines
        ``po_id``, ``po_number``, ``line_no``, ``sku_id``, ``supplier_id``,
        ``currency_code``, ``quantity_units``, ``cancelled_units``, ``unit_price``.
    receipts
        ``po_id``, ``line_no``, ``received_units``, ``damaged_units``, ``rejected_units``.
    invoice_lines
        ``po_id``, ``line_no``, ``quantity_units``, ``unit_price`` (in the PO currency).
    price_tolerance, quantity_tolerance
        Shares of the PO price and of the accepted units a difference may reach unflagged.

    Returns
    -------
    polars.DataFrame
        One row per PO line, by PO and line: :data:`MATCH_COLUMNS`, with an ``action``
        sentence for the buyer.
    """
    _require(po_lines, "po_lines", _PO_LINE_COLUMNS)
    _require(receipts, "receipts", _RECEIPT_COLUMNS)
    _require(invoice_lines, "invoice_lines", _INVOICE_COLUMNS)
    if price_tolerance < 0 or quantity_tolerance < 0:
        raise DataError("tolerances must not be negative")
    frame = _quantities(po_lines, receipts, invoice_lines).with_columns(
        match_status=_status(price_tolerance, quantity_tolerance)
    )
    frame = frame.with_columns(amount_at_stake_po_currency=_amount_at_stake())
    actions = [_action(row) for row in frame.iter_rows(named=True)]
    return (
        frame.with_columns(action=pl.Series(actions, dtype=pl.String))
        .select(MATCH_COLUMNS)
        .sort(_KEY)
    )


def _quantities(
    po_lines: pl.DataFrame, receipts: pl.DataFrame, invoice_lines: pl.DataFrame
) -> pl.DataFrame:
    accepted = receipts.group_by(_KEY).agg(
        accepted_units=(
            pl.col("received_units") - pl.col("damaged_units") - pl.col("rejected_units")
        ).sum()
    )
    invoiced = invoice_lines.group_by(_KEY).agg(
        invoiced_units=pl.col("quantity_units").sum(),
        invoiced_value=(pl.col("quantity_units") * pl.col("unit_price")).sum(),
    )
    return (
        po_lines.join(accepted, on=_KEY, how="left")
        .join(invoiced, on=_KEY, how="left")
        .with_columns(
            pl.col("accepted_units", "invoiced_units").fill_null(0).cast(pl.Int64),
            ordered_units=(pl.col("quantity_units") - pl.col("cancelled_units")).cast(pl.Int64),
            po_unit_price=pl.col("unit_price").cast(pl.Float64),
        )
        .with_columns(
            invoiced_unit_price=pl.when(pl.col("invoiced_units") > 0).then(
                pl.col("invoiced_value") / pl.col("invoiced_units")
            )
        )
    )


def _status(price_tolerance: float, quantity_tolerance: float) -> pl.Expr:
    invoiced, accepted = pl.col("invoiced_units"), pl.col("accepted_units")
    price, po_price = pl.col("invoiced_unit_price"), pl.col("po_unit_price")
    return (
        pl.when(invoiced > accepted * (1 + quantity_tolerance))
        .then(pl.lit(MatchStatus.QUANTITY_OVER_INVOICED.value))
        .when((invoiced > 0) & (price > po_price * (1 + price_tolerance)))
        .then(pl.lit(MatchStatus.PRICE_OVER.value))
        .when((invoiced > 0) & (price < po_price * (1 - price_tolerance)))
        .then(pl.lit(MatchStatus.PRICE_UNDER.value))
        .when(accepted <= 0)
        .then(pl.lit(MatchStatus.NOT_RECEIVED.value))
        .when(invoiced < accepted * (1 - quantity_tolerance))
        .then(pl.lit(MatchStatus.NOT_YET_INVOICED.value))
        .otherwise(pl.lit(MatchStatus.MATCHED.value))
    )


def _amount_at_stake() -> pl.Expr:
    status = pl.col("match_status")
    invoiced, accepted = pl.col("invoiced_units"), pl.col("accepted_units")
    price, po_price = pl.col("invoiced_unit_price"), pl.col("po_unit_price")
    open_units = (pl.col("ordered_units") - accepted).clip(lower_bound=0)
    return (
        pl.when(status == MatchStatus.QUANTITY_OVER_INVOICED.value)
        .then((invoiced - accepted) * price)
        .when(status == MatchStatus.PRICE_OVER.value)
        .then((price - po_price) * invoiced)
        .when(status == MatchStatus.PRICE_UNDER.value)
        .then((po_price - price) * invoiced)
        .when(status == MatchStatus.NOT_RECEIVED.value)
        .then(open_units * po_price)
        .when(status == MatchStatus.NOT_YET_INVOICED.value)
        .then((accepted - invoiced) * po_price)
        .otherwise(0.0)
        .cast(pl.Float64)
    )


def _action(row: dict[str, Any]) -> str:
    """What the buyer does about the line, in one sentence."""
    supplier, currency = row["supplier_id"], row["currency_code"]
    invoiced, accepted = row["invoiced_units"], row["accepted_units"]
    po_price, price = row["po_unit_price"], row["invoiced_unit_price"]
    match MatchStatus(row["match_status"]):
        case MatchStatus.QUANTITY_OVER_INVOICED:
            return (
                f"ask {supplier} for a credit note of {_units(invoiced - accepted)} x "
                f"{price:.2f} {currency} ({invoiced} invoiced, {accepted} accepted)"
            )
        case MatchStatus.PRICE_OVER:
            return (
                f"ask {supplier} for a credit note of {_units(invoiced)} x "
                f"{price - po_price:.2f} {currency} (invoiced at {price:.2f}, "
                f"PO price {po_price:.2f})"
            )
        case MatchStatus.PRICE_UNDER:
            return (
                f"check the price with {supplier}: {_units(invoiced)} invoiced at {price:.2f} "
                f"{currency}, {po_price - price:.2f} below the PO price {po_price:.2f}"
            )
        case MatchStatus.NOT_RECEIVED:
            if row["ordered_units"] <= 0:
                return "nothing to do: every unit was cancelled"
            return f"nothing accepted yet of {_units(row['ordered_units'])}; chase {supplier}"
        case MatchStatus.NOT_YET_INVOICED:
            return (
                f"expect an invoice from {supplier} for {_units(accepted - invoiced)} x "
                f"{po_price:.2f} {currency}"
            )
    return f"pay {supplier}: the invoice agrees with the PO and the receipts"


def _units(count: int) -> str:
    return f"{count} unit{'s' * (count != 1)}"


def _require(frame: pl.DataFrame, name: str, columns: Iterable[str]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError(f"{name} lacks the column{'s' * (len(missing) > 1)} {', '.join(missing)}")
