"""Supplier price discipline: prices paid against the contract, invoices against the PO.

The *offer in force* for a PO line is the offer of the PO's supplier for the line's SKU
valid on the PO's ``ordered_date`` (``valid_from <= ordered_date <= valid_to``, an empty
``valid_to`` open-ended); where offers overlap, the latest ``valid_from`` wins. Its *tier
price* for the line is the all-units price of the highest tier whose ``min_quantity_units``
the ordered quantity reaches. Lines without an offer or below its first tier are left out.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from shopops.analytics.scorecards._frames import Period, period_start, share

_SLACK = 1e-9
"""Rounding allowance of the invoice comparisons."""


def offer_in_force(lines: pl.DataFrame, offers: pl.DataFrame) -> pl.DataFrame:
    """Per PO line (``po_id``, ``line_no``, ``supplier_id``, ``sku_id``, ``ordered_date``):
    the ``offer_id``, offer ``currency_code`` and quoted ``lead_time_mean_days`` of the
    offer in force, for the lines that have one."""
    keys = lines.select("po_id", "line_no", "supplier_id", "sku_id", "ordered_date")
    terms = offers.select(
        "offer_id",
        "supplier_id",
        "sku_id",
        pl.col("currency_code").alias("offer_currency_code"),
        "lead_time_mean_days",
        "valid_from",
        "valid_to",
    )
    valid = (pl.col("valid_from") <= pl.col("ordered_date")) & (
        pl.col("valid_to").is_null() | (pl.col("valid_to") >= pl.col("ordered_date"))
    )
    return (
        keys.join(terms, on=["supplier_id", "sku_id"], how="inner")
        .filter(valid)
        .sort("valid_from", descending=True)
        .unique(["po_id", "line_no"], keep="first")
        .select("po_id", "line_no", "offer_id", "offer_currency_code", "lead_time_mean_days")
    )


def price_variance(
    lines: pl.DataFrame,
    offers: pl.DataFrame,
    price_tiers: pl.DataFrame,
    currencies: pl.DataFrame,
    *,
    period: Period,
    as_of: dt.date,
) -> pl.DataFrame:
    """``price_variance_to_contract`` per supplier and period of ``ordered_date``: the
    value-weighted signed share paid above the tier price in force, both in USD::

        sum((unit_price_usd - tier_price_usd) x quantity) / sum(tier_price_usd x quantity)

    ``lines`` are placed PO lines with their PO's ``supplier_id``, ``ordered_date`` and
    ``currency_code``; lines ordered on or after ``as_of`` are left out."""
    ordered = lines.filter(pl.col("ordered_date") < as_of)
    rates = currencies.select("currency_code", "usd_per_unit")
    tiers = (
        ordered.join(offer_in_force(ordered, offers), on=["po_id", "line_no"], how="inner")
        .join(price_tiers.rename({"unit_price": "tier_unit_price"}), on="offer_id", how="inner")
        .filter(pl.col("min_quantity_units") <= pl.col("quantity_units"))
        .sort("min_quantity_units", descending=True)
        .unique(["po_id", "line_no"], keep="first")
        .join(rates, on="currency_code", how="left")
        .join(
            rates.rename({"currency_code": "offer_currency_code", "usd_per_unit": "offer_usd"}),
            on="offer_currency_code",
            how="left",
        )
        .with_columns(
            paid_usd=pl.col("unit_price") * pl.col("usd_per_unit") * pl.col("quantity_units"),
            contract_usd=pl.col("tier_unit_price") * pl.col("offer_usd") * pl.col("quantity_units"),
            period_start=period_start(pl.col("ordered_date"), period),
        )
    )
    return tiers.group_by("supplier_id", "period_start").agg(
        po_lines_priced=pl.len(),
        price_variance_to_contract=share(
            (pl.col("paid_usd") - pl.col("contract_usd")).sum(), pl.col("contract_usd").sum()
        ),
    )


def invoice_accuracy(
    invoices: pl.DataFrame,
    invoice_lines: pl.DataFrame,
    lines: pl.DataFrame,
    receipts: pl.DataFrame,
    currencies: pl.DataFrame,
    *,
    period: Period,
    as_of: dt.date,
    price_tolerance_share: float,
    quantity_tolerance_share: float,
) -> pl.DataFrame:
    """``invoice_accuracy`` per supplier and period of ``invoice_date``: the share of invoice
    lines that match their PO line.

    A line matches when its price, in USD, is within ``price_tolerance_share`` of the PO
    line's (the invoice is in its own currency, the PO line in the PO's), and the units
    invoiced on the PO line so far (this invoice and the earlier ones, by ``invoice_date``
    then ``invoice_id``) do not exceed the units received less rejected before ``as_of``
    by more than ``quantity_tolerance_share``. Invoices dated on or after ``as_of`` are
    left out; a line naming an unknown PO line does not match.
    """
    accepted = (
        receipts.filter(pl.col("received_date") < as_of)
        .group_by("po_id", "line_no")
        .agg(accepted_units=(pl.col("received_units") - pl.col("rejected_units")).sum())
    )
    rates = currencies.select("currency_code", "usd_per_unit")
    po_prices = lines.join(rates, on="currency_code", how="left").select(
        "po_id", "line_no", po_price_usd=pl.col("unit_price") * pl.col("usd_per_unit")
    )
    checked = (
        invoice_lines.join(
            invoices.select("invoice_id", "supplier_id", "invoice_date", "currency_code"),
            on="invoice_id",
        )
        .filter(pl.col("invoice_date") < as_of)
        .join(rates, on="currency_code", how="left")
        .join(po_prices, on=["po_id", "line_no"], how="left")
        .join(accepted, on=["po_id", "line_no"], how="left")
        .sort("invoice_date", "invoice_id")
        .with_columns(
            invoiced_so_far=pl.col("quantity_units").cum_sum().over("po_id", "line_no"),
            period_start=period_start(pl.col("invoice_date"), period),
        )
    )
    invoice_price_usd = pl.col("unit_price") * pl.col("usd_per_unit")
    price_ok = (invoice_price_usd - pl.col("po_price_usd")).abs() <= (
        price_tolerance_share * pl.col("po_price_usd") + _SLACK
    )
    quantity_ok = pl.col("invoiced_so_far") <= (
        pl.col("accepted_units").fill_null(0) * (1.0 + quantity_tolerance_share) + _SLACK
    )
    matches = (price_ok & quantity_ok).fill_null(False)
    return checked.group_by("supplier_id", "period_start").agg(
        invoice_lines=pl.len(), invoice_accuracy=matches.cast(pl.Float64).mean()
    )
