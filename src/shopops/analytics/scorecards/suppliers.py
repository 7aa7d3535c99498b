"""The supplier scorecard's metrics per supplier and period, from POs, receipts and invoices.

Each metric takes its period from the date of its own transactions (see
:mod:`.metrics` for the formulas):

- ``on_time_in_full`` and ``fill_rate`` from the PO lines *due* in the period (by
  ``expected_date``), judged only once due: lines due before ``as_of``;
- lead times, ``defect_rate`` and ``rejection_rate`` from the receipts of the period
  (by ``received_date``);
- ``price_variance_to_contract`` from the lines *ordered* in the period;
- ``invoice_accuracy`` from the invoice lines of the period (by ``invoice_date``).

Only transactions dated before ``as_of`` count. POs still proposed or cancelled are left
out, and so are lines cancelled in full. A supplier and period without any of these
transactions gets no row; a metric whose transactions are absent in a period is null.
"""

from __future__ import annotations

import datetime as dt
from functools import reduce

import polars as pl

from shopops.analytics.scorecards._frames import Period, period_start, require_columns, share
from shopops.analytics.scorecards.supplier_prices import (
    invoice_accuracy,
    offer_in_force,
    price_variance,
)
from shopops.domain.supply import PurchaseOrderStatus

_NOT_PLACED = (PurchaseOrderStatus.PROPOSED.value, PurchaseOrderStatus.CANCELLED.value)
SUPPLIER_METRIC_COLUMNS = (
    "supplier_id",
    "period_start",
    "po_lines_due",
    "receipts",
    "po_lines_priced",
    "invoice_lines",
    "on_time_in_full",
    "fill_rate",
    "lead_time_mean_days",
    "lead_time_sd_days",
    "lead_time_deviation_days",
    "defect_rate",
    "rejection_rate",
    "price_variance_to_contract",
    "invoice_accuracy",
)
_COUNTS = ("po_lines_due", "receipts", "po_lines_priced", "invoice_lines")
_REQUIRED: dict[str, tuple[str, ...]] = {
    "purchase_orders": ("po_id", "supplier_id", "status", "currency_code", "ordered_date"),
    "purchase_order_lines": (
        "po_id",
        "line_no",
        "sku_id",
        "quantity_units",
        "unit_price",
        "expected_date",
        "cancelled_units",
    ),
    "receipts": (
        "po_id",
        "line_no",
        "received_date",
        "received_units",
        "damaged_units",
        "rejected_units",
    ),
    "supplier_offers": (
        "offer_id",
        "supplier_id",
        "sku_id",
        "currency_code",
        "lead_time_mean_days",
        "valid_from",
        "valid_to",
    ),
    "offer_price_tiers": ("offer_id", "min_quantity_units", "unit_price"),
    "supplier_invoices": ("invoice_id", "supplier_id", "invoice_date", "currency_code"),
    "supplier_invoice_lines": ("invoice_id", "po_id", "line_no", "quantity_units", "unit_price"),
    "currencies": ("currency_code", "usd_per_unit"),
}


def supplier_metrics(
    purchase_orders: pl.DataFrame,
    po_lines: pl.DataFrame,
    receipts: pl.DataFrame,
    offers: pl.DataFrame,
    price_tiers: pl.DataFrame,
    invoices: pl.DataFrame,
    invoice_lines: pl.DataFrame,
    currencies: pl.DataFrame,
    *,
    as_of: dt.date,
    period: Period = "month",
    price_tolerance_share: float = 0.01,
    quantity_tolerance_share: float = 0.0,
) -> pl.DataFrame:
    """Supplier scorecard metrics per supplier and period (see module notes).

    Parameters
    ----------
    purchase_orders, po_lines, receipts, offers, price_tiers, currencies
        The tables of the same names (``supplier_offers``, ``offer_price_tiers``).
    invoices, invoice_lines
        ``supplier_invoices`` and ``supplier_invoice_lines``.
    as_of
        First day not yet history: later transactions are left out, and lines due from
        this day on are not judged yet.
    period
        ``'week'`` (from Monday), ``'month'`` or ``'quarter'``.
    price_tolerance_share, quantity_tolerance_share
        How far an invoice line's price and quantity may exceed the PO's and still match.

    Returns
    -------
    polars.DataFrame
        :data:`SUPPLIER_METRIC_COLUMNS`: the keys, the number of transactions each group
        of metrics rests on, and one column per metric of the supplier scorecard.
    """
    _check_inputs(
        {
            "purchase_orders": purchase_orders,
            "purchase_order_lines": po_lines,
            "receipts": receipts,
            "supplier_offers": offers,
            "offer_price_tiers": price_tiers,
            "supplier_invoices": invoices,
            "supplier_invoice_lines": invoice_lines,
            "currencies": currencies,
        }
    )
    lines = _placed_lines(purchase_orders, po_lines)
    parts = [
        _line_delivery(lines, receipts, period=period, as_of=as_of),
        _receipt_quality(lines, receipts, offers, period=period, as_of=as_of),
        price_variance(lines, offers, price_tiers, currencies, period=period, as_of=as_of),
        invoice_accuracy(
            invoices,
            invoice_lines,
            lines,
            receipts,
            currencies,
            period=period,
            as_of=as_of,
            price_tolerance_share=price_tolerance_share,
            quantity_tolerance_share=quantity_tolerance_share,
        ),
    ]
    keys = ["supplier_id", "period_start"]
    joined = reduce(lambda a, b: a.join(b, on=keys, how="full", coalesce=True), parts)
    return (
        joined.with_columns(pl.col(c).fill_null(0).cast(pl.Int64) for c in _COUNTS)
        .select(SUPPLIER_METRIC_COLUMNS)
        .sort(keys)
    )


def _placed_lines(purchase_orders: pl.DataFrame, po_lines: pl.DataFrame) -> pl.DataFrame:
    placed = purchase_orders.filter(~pl.col("status").is_in(_NOT_PLACED)).select(
        "po_id", "supplier_id", "ordered_date", "currency_code"
    )
    return po_lines.join(placed, on="po_id", how="inner").with_columns(
        net_units=pl.col("quantity_units") - pl.col("cancelled_units")
    )


def _line_delivery(
    lines: pl.DataFrame, receipts: pl.DataFrame, *, period: Period, as_of: dt.date
) -> pl.DataFrame:
    """``on_time_in_full`` and ``fill_rate`` over the lines due in each period."""
    due = lines.filter((pl.col("expected_date") < as_of) & (pl.col("net_units") > 0))
    by_line = (
        receipts.filter(pl.col("received_date") < as_of)
        .join(due.select("po_id", "line_no", "expected_date"), on=["po_id", "line_no"])
        .group_by("po_id", "line_no")
        .agg(
            accepted_by_due_units=(pl.col("received_units") - pl.col("rejected_units"))
            .filter(pl.col("received_date") <= pl.col("expected_date"))
            .sum(),
            good_units=(
                pl.col("received_units") - pl.col("damaged_units") - pl.col("rejected_units")
            ).sum(),
        )
    )
    judged = (
        due.join(by_line, on=["po_id", "line_no"], how="left")
        .with_columns(pl.col("accepted_by_due_units", "good_units").fill_null(0))
        .with_columns(
            in_full_on_time=pl.col("accepted_by_due_units") >= pl.col("net_units"),
            filled_units=pl.min_horizontal("good_units", "net_units"),
            period_start=period_start(pl.col("expected_date"), period),
        )
    )
    return judged.group_by("supplier_id", "period_start").agg(
        po_lines_due=pl.len(),
        on_time_in_full=pl.col("in_full_on_time").cast(pl.Float64).mean(),
        fill_rate=share(pl.col("filled_units").sum(), pl.col("net_units").sum()),
    )


def _receipt_quality(
    lines: pl.DataFrame,
    receipts: pl.DataFrame,
    offers: pl.DataFrame,
    *,
    period: Period,
    as_of: dt.date,
) -> pl.DataFrame:
    """Lead times against the quoted one, defect and rejection rates of each period's receipts."""
    quoted = offer_in_force(lines, offers).select("po_id", "line_no", "lead_time_mean_days")
    received = (
        receipts.filter(pl.col("received_date") < as_of)
        .join(
            lines.select("po_id", "line_no", "supplier_id", "ordered_date"), on=["po_id", "line_no"]
        )
        .join(
            quoted.rename({"lead_time_mean_days": "quoted_days"}),
            on=["po_id", "line_no"],
            how="left",
        )
        .with_columns(
            lead_time_days=(pl.col("received_date") - pl.col("ordered_date")).dt.total_days(),
            period_start=period_start(pl.col("received_date"), period),
        )
    )
    return received.group_by("supplier_id", "period_start").agg(
        receipts=pl.len(),
        lead_time_mean_days=pl.col("lead_time_days").cast(pl.Float64).mean(),
        lead_time_sd_days=pl.col("lead_time_days").cast(pl.Float64).std(ddof=1),
        lead_time_deviation_days=(pl.col("lead_time_days") - pl.col("quoted_days")).mean(),
        defect_rate=share(pl.col("damaged_units").sum(), pl.col("received_units").sum()),
        rejection_rate=share(pl.col("rejected_units").sum(), pl.col("received_units").sum()),
    )


def _check_inputs(tables: dict[str, pl.DataFrame]) -> None:
    for name, frame in tables.items():
        require_columns(frame, name, _REQUIRED[name])
