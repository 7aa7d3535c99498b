"""Purchase spend against the budget of each category and period, and approval checks.

Every amount is converted to US dollars with ``currencies.usd_per_unit`` of the currency
it is in (the PO's, or the invoice's for invoiced amounts), takes its category from the
SKU of its PO line, and falls in the budget row of that category whose
``period_start .. period_end`` holds its date:

- ``committed_usd``: the value not yet received of open POs (approved, sent, confirmed,
  partially received): ``max(quantity - cancelled - received, 0) x unit_price`` per line,
  dated by the PO's ``ordered_date`` or, before it is sent, the day it was created;
- ``actual_received_usd``: good units received (received less damaged and rejected) x PO
  line price, dated by ``received_date``;
- ``actual_invoiced_usd``: invoiced units x invoice price, dated by ``invoice_date``;
- ``forecast_spend_usd``: proposed purchases the caller passes in ``planned_spend``.

``remaining_usd = budget_usd - committed_usd - actual_received_usd - forecast_spend_usd``
(invoices pay for what was received, so they are reported, not subtracted again),
``utilisation`` is the spent and planned share of the budget and ``over_budget`` flags a
negative remaining amount. :func:`approval_check` applies the budget's
``over_budget_action`` to a new PO.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

import polars as pl

from shopops.domain.budget import OverBudgetAction
from shopops.domain.supply import OPEN_PURCHASE_ORDER_STATUSES
from shopops.errors import DataError

BUDGET_STATUS_COLUMNS = (
    "category_id",
    "period_start",
    "period_end",
    "over_budget_action",
    "budget_usd",
    "committed_usd",
    "actual_received_usd",
    "actual_invoiced_usd",
    "forecast_spend_usd",
    "remaining_usd",
    "utilisation",
    "over_budget",
)
_AMOUNTS = ("committed_usd", "actual_received_usd", "actual_invoiced_usd", "forecast_spend_usd")


def budget_status(
    budgets: pl.DataFrame,
    purchase_orders: pl.DataFrame,
    po_lines: pl.DataFrame,
    receipts: pl.DataFrame,
    invoices: pl.DataFrame,
    invoice_lines: pl.DataFrame,
    skus: pl.DataFrame,
    currencies: pl.DataFrame,
    *,
    planned_spend: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Spend against each budget row (see module notes).

    Parameters
    ----------
    budgets, purchase_orders, po_lines, receipts, skus, currencies
        The tables of the same names (``purchase_order_lines`` for ``po_lines``).
    invoices, invoice_lines
        ``supplier_invoices`` and ``supplier_invoice_lines``.
    planned_spend
        Purchases planned but not yet approved: ``category_id``, ``order_date`` and
        ``value_usd`` (e.g. proposed POs), or ``None``.

    Returns
    -------
    polars.DataFrame
        One row per budget row, by category and period: :data:`BUDGET_STATUS_COLUMNS`.
    """
    _check_inputs(budgets, purchase_orders, po_lines, receipts, invoices, invoice_lines)
    lines = _priced_lines(purchase_orders, po_lines, skus, currencies)
    spend = pl.concat(
        [
            _committed(lines, receipts),
            _received(lines, receipts),
            _invoiced(lines, invoices, invoice_lines, currencies),
            _planned(planned_spend),
        ]
    )
    totals = _in_budget_periods(spend, budgets).pivot(
        on="measure", index=["category_id", "period_start"], values="value_usd"
    )
    for column in _AMOUNTS:
        if column not in totals.columns:
            totals = totals.with_columns(pl.lit(0.0).alias(column))
    used = pl.col("committed_usd") + pl.col("actual_received_usd") + pl.col("forecast_spend_usd")
    return (
        budgets.join(totals, on=["category_id", "period_start"], how="left")
        .with_columns(pl.col(c).cast(pl.Float64).fill_null(0.0) for c in _AMOUNTS)
        .with_columns(
            remaining_usd=pl.col("budget_usd") - used,
            utilisation=pl.when(pl.col("budget_usd") > 0).then(used / pl.col("budget_usd")),
        )
        .with_columns(over_budget=pl.col("remaining_usd") < 0)
        .select(BUDGET_STATUS_COLUMNS)
        .sort("category_id", "period_start")
    )


def _priced_lines(
    purchase_orders: pl.DataFrame,
    po_lines: pl.DataFrame,
    skus: pl.DataFrame,
    currencies: pl.DataFrame,
) -> pl.DataFrame:
    """PO lines with their PO's status and date, category and USD rate."""
    return (
        po_lines.join(
            purchase_orders.select(
                "po_id",
                "status",
                "currency_code",
                po_date=pl.coalesce(pl.col("ordered_date"), pl.col("created_at").dt.date()),
            ),
            on="po_id",
        )
        .join(skus.select("sku_id", "category_id"), on="sku_id", how="left")
        .join(currencies.select("currency_code", "usd_per_unit"), on="currency_code", how="left")
    )


def _spend(frame: pl.DataFrame, measure: str, date: pl.Expr, value_usd: pl.Expr) -> pl.DataFrame:
    return frame.select(
        "category_id",
        date.alias("date"),
        pl.lit(measure).alias("measure"),
        value_usd.cast(pl.Float64).alias("value_usd"),
    )


def _committed(lines: pl.DataFrame, receipts: pl.DataFrame) -> pl.DataFrame:
    received = receipts.group_by("po_id", "line_no").agg(received=pl.col("received_units").sum())
    open_units = (
        pl.col("quantity_units") - pl.col("cancelled_units") - pl.col("received").fill_null(0)
    ).clip(lower_bound=0)
    open_lines = lines.filter(
        pl.col("status").is_in([s.value for s in OPEN_PURCHASE_ORDER_STATUSES])
    ).join(received, on=["po_id", "line_no"], how="left")
    value = open_units * pl.col("unit_price") * pl.col("usd_per_unit")
    return _spend(open_lines, "committed_usd", pl.col("po_date"), value)


def _received(lines: pl.DataFrame, receipts: pl.DataFrame) -> pl.DataFrame:
    good_units = pl.col("received_units") - pl.col("damaged_units") - pl.col("rejected_units")
    value = good_units * pl.col("unit_price") * pl.col("usd_per_unit")
    joined = receipts.join(lines, on=["po_id", "line_no"])
    return _spend(joined, "actual_received_usd", pl.col("received_date"), value)


def _invoiced(
    lines: pl.DataFrame,
    invoices: pl.DataFrame,
    invoice_lines: pl.DataFrame,
    currencies: pl.DataFrame,
) -> pl.DataFrame:
    joined = (
        invoice_lines.join(
            invoices.select("invoice_id", "invoice_date", "currency_code"), on="invoice_id"
        )
        .join(currencies.select("currency_code", "usd_per_unit"), on="currency_code", how="left")
        .join(lines.select("po_id", "line_no", "category_id"), on=["po_id", "line_no"])
    )
    value = pl.col("quantity_units") * pl.col("unit_price") * pl.col("usd_per_unit")
    return _spend(joined, "actual_invoiced_usd", pl.col("invoice_date"), value)


def _planned(planned_spend: pl.DataFrame | None) -> pl.DataFrame:
    if planned_spend is None:
        planned_spend = pl.DataFrame(
            schema={"category_id": pl.String, "order_date": pl.Date, "value_usd": pl.Float64}
        )
    _require(planned_spend, "planned_spend", ("category_id", "order_date", "value_usd"))
    return _spend(planned_spend, "forecast_spend_usd", pl.col("order_date"), pl.col("value_usd"))


def _in_budget_periods(spend: pl.DataFrame, budgets: pl.DataFrame) -> pl.DataFrame:
    """Spend summed per budget row whose period holds its date; spend outside any is dropped."""
    periods = budgets.select("category_id", "period_start", "period_end").sort("period_start")
    return (
        spend.filter(pl.col("date").is_not_null() & pl.col("category_id").is_not_null())
        .sort("date")
        .join_asof(
            periods,
            left_on="date",
            right_on="period_start",
            by="category_id",
            strategy="backward",
            check_sortedness=False,  # sorted by date above; polars cannot check within groups
        )
        .filter(pl.col("date") <= pl.col("period_end"))
        .group_by("category_id", "period_start", "measure")
        .agg(pl.col("value_usd").sum())
    )


class ApprovalOutcome(StrEnum):
    """ok: within budget (or none set); warn: approve, telling the buyer; block: refuse."""

    OK = "ok"
    WARN = "warn"
    BLOCK = "block"


@dataclass(frozen=True, slots=True)
class ApprovalDecision:
    """The budget's answer to approving a PO, with the numbers behind it.

    ``budget_usd`` and ``remaining_after_usd`` are ``None`` when no budget covers the PO.
    """

    outcome: ApprovalOutcome
    message: str
    budget_usd: float | None = None
    remaining_after_usd: float | None = None


def approval_check(
    status: pl.DataFrame, category_id: str, period_date: dt.date, po_value_usd: float
) -> ApprovalDecision:
    """Whether a PO worth ``po_value_usd`` in ``category_id`` may be approved.

    ``status`` is :func:`budget_status` without this PO. The PO fits when the budget row
    whose period holds ``period_date`` keeps ``remaining_usd - po_value_usd >= 0``;
    otherwise the row's ``over_budget_action`` decides: ``warn`` or ``block``. Without a
    budget row the PO is approved with a note saying so.
    """
    rows = status.filter(
        (pl.col("category_id") == category_id)
        & (pl.col("period_start") <= period_date)
        & (pl.col("period_end") >= period_date)
    )
    if rows.is_empty():
        return ApprovalDecision(
            ApprovalOutcome.OK,
            f"no budget for category {category_id} on {period_date}: not checked against one",
        )
    row = rows.row(0, named=True)
    budget, remaining = float(row["budget_usd"]), float(row["remaining_usd"])
    after = remaining - po_value_usd
    where = f"category {category_id}, {row['period_start']} to {row['period_end']}"
    if after >= 0:
        message = (
            f"PO of {po_value_usd:,.2f} USD fits the budget of {where}: "
            f"{budget:,.2f} USD budget, {after:,.2f} USD left after it"
        )
        return ApprovalDecision(ApprovalOutcome.OK, message, budget, after)
    action = OverBudgetAction(row["over_budget_action"])
    outcome = ApprovalOutcome.BLOCK if action is OverBudgetAction.BLOCK else ApprovalOutcome.WARN
    consequence = (
        "approval refused" if outcome is ApprovalOutcome.BLOCK else "approved with a warning"
    )
    message = (
        f"PO of {po_value_usd:,.2f} USD exceeds the budget of {where}: "
        f"{budget:,.2f} USD budget, {budget - remaining:,.2f} USD committed, received or planned, "
        f"{-after:,.2f} USD over with it; {consequence}"
    )
    return ApprovalDecision(outcome, message, budget, after)


def _require(frame: pl.DataFrame, name: str, columns: Iterable[str]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError(f"{name} lacks the column{'s' * (len(missing) > 1)} {', '.join(missing)}")


def _check_inputs(
    budgets: pl.DataFrame,
    purchase_orders: pl.DataFrame,
    po_lines: pl.DataFrame,
    receipts: pl.DataFrame,
    invoices: pl.DataFrame,
    invoice_lines: pl.DataFrame,
) -> None:
    _require(budgets, "budgets", ("category_id", "period_start", "period_end", "budget_usd"))
    _require(budgets, "budgets", ("over_budget_action",))
    _require(purchase_orders, "purchase_orders", ("po_id", "status", "currency_code"))
    _require(purchase_orders, "purchase_orders", ("ordered_date", "created_at"))
    _require(
        po_lines,
        "purchase_order_lines",
        ("po_id", "line_no", "sku_id", "quantity_units", "cancelled_units", "unit_price"),
    )
    _require(
        receipts,
        "receipts",
        ("po_id", "line_no", "received_date", "received_units", "damaged_units", "rejected_units"),
    )
    _require(invoices, "supplier_invoices", ("invoice_id", "invoice_date", "currency_code"))
    _require(
        invoice_lines,
        "supplier_invoice_lines",
        ("invoice_id", "po_id", "line_no", "quantity_units", "unit_price"),
    )
