"""Suppliers, offers and purchase orders behave like a sourcing history."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from synth_checks import latest, number, packaging_skus, share

from shopops.data.synth import MarketplaceConfig, supplier_reliability


@pytest.fixture(scope="module")
def deliveries(market: dict[str, pl.DataFrame], config: MarketplaceConfig) -> pl.DataFrame:
    """Per PO line: first receipt date, units received, and whether the supplier is reliable."""
    first = (
        market["receipts"]
        .group_by("po_id", "line_no")
        .agg(
            pl.col("received_date").min().alias("first_received"),
            pl.col("received_units").sum().alias("received"),
        )
    )
    truth = supplier_reliability(config).select("supplier_id", "reliable")
    return (
        market["purchase_order_lines"]
        .join(first, on=["po_id", "line_no"])
        .join(market["purchase_orders"].select("po_id", "supplier_id"), on="po_id")
        .join(truth, on="supplier_id")
    )


def test_unreliable_suppliers_deliver_late_and_short(deliveries: pl.DataFrame) -> None:
    graded = deliveries.with_columns(
        late=pl.col("first_received") > pl.col("expected_date") + dt.timedelta(days=3),
        short=pl.col("received") < pl.col("quantity_units"),
    )
    by_kind = graded.group_by("reliable").agg(pl.col("late").mean(), pl.col("short").mean())
    reliable = by_kind.filter(pl.col("reliable")).row(0, named=True)
    unreliable = by_kind.filter(~pl.col("reliable")).row(0, named=True)
    assert unreliable["late"] > 0.5
    assert reliable["late"] < 0.3
    assert unreliable["short"] > 0.1
    assert reliable["short"] < 0.08
    assert unreliable["late"] > 2 * reliable["late"]
    assert unreliable["short"] > 2 * reliable["short"]


def test_open_purchase_orders_remain_at_the_end(
    market: dict[str, pl.DataFrame], config: MarketplaceConfig
) -> None:
    pos = market["purchase_orders"]
    assert {"sent", "confirmed", "received", "closed", "cancelled"} <= set(pos["status"])
    still_open = pos.filter(pl.col("status").is_in(["sent", "confirmed", "partially_received"]))
    assert still_open.height > 0
    lines = market["purchase_order_lines"].join(still_open.select("po_id"), on="po_id")
    received = market["receipts"].group_by("po_id", "line_no").agg(pl.col("received_units").sum())
    outstanding = lines.join(received, on=["po_id", "line_no"], how="left").select(
        pl.col("quantity_units") - pl.col("cancelled_units") - pl.col("received_units").fill_null(0)
    )
    assert outstanding.to_series().sum() > 0
    assert latest(pos["ordered_date"]) <= config.end_date


def test_supplier_master_data(market: dict[str, pl.DataFrame], config: MarketplaceConfig) -> None:
    suppliers = market["suppliers"]
    assert {"CN", "VN", "IN", "MX", "TR", "US"} <= set(suppliers["country_code"])
    status = suppliers["status"].value_counts(normalize=True)
    shares = dict(zip(status["status"], status["proportion"], strict=True))
    assert shares["approved"] > 0.6
    assert 0 < shares.get("blocked", 0) + shares.get("probation", 0) < 0.4
    currency = dict(zip(suppliers["country_code"], suppliers["currency_code"], strict=True))
    assert (currency["CN"], currency["US"], currency["MX"]) == ("CNY", "USD", "MXN")
    certificates = market["supplier_certifications"]
    expired = (certificates["expiry_date"] < config.end_date).sum()
    soon = certificates["expiry_date"].is_between(
        config.end_date, config.end_date + dt.timedelta(days=90)
    )
    assert expired > 0
    assert soon.sum() > 0


def test_offers_tiers_and_lead_times(market: dict[str, pl.DataFrame]) -> None:
    # About the goods' sourcing: packaging comes from domestic suppliers within days
    # whatever the category, so its offers would pull the US lead times down.
    offers = (
        market["supplier_offers"]
        .filter(~pl.col("sku_id").is_in(packaging_skus(market).implode()))
        .join(market["suppliers"].select("supplier_id", "country_code"), on="supplier_id")
    )
    per_sku = offers.group_by("sku_id").len()["len"]
    assert number(per_sku.min()) >= 1
    assert number(per_sku.max()) <= 4
    assert number(per_sku.mean()) > 1.5
    tiers = market["offer_price_tiers"].group_by("offer_id").len()["len"]
    assert number(tiers.min()) >= 2
    assert number(tiers.max()) <= 4
    lead = offers.group_by("country_code").agg(pl.col("lead_time_mean_days").mean())
    by_country = dict(zip(lead["country_code"], lead["lead_time_mean_days"], strict=True))
    assert 25 <= by_country["CN"] <= 45
    assert 4 <= by_country["US"] <= 12
    assert by_country["MX"] < by_country["VN"]
    assert (offers["moq_units"] % offers["order_multiple_units"] == 0).all()


def test_purchase_prices_follow_the_tiers(market: dict[str, pl.DataFrame]) -> None:
    lines = market["purchase_order_lines"].join(
        market["purchase_orders"].select("po_id", "supplier_id"), on="po_id"
    )
    offers = market["supplier_offers"].select("offer_id", "supplier_id", "sku_id")
    tiers = market["offer_price_tiers"].join(offers, on="offer_id")
    priced = lines.join(tiers, on=["supplier_id", "sku_id"]).filter(
        pl.col("min_quantity_units") <= pl.col("quantity_units")
    )
    best = priced.group_by("po_id", "line_no").agg(
        pl.col("unit_price").first(), pl.col("unit_price_right").min()
    )
    assert best.height == lines.height
    assert (best["unit_price"] == best["unit_price_right"]).all()


def test_currencies_have_realistic_dollar_rates(market: dict[str, pl.DataFrame]) -> None:
    rates = dict(market["currencies"].select("currency_code", "usd_per_unit").iter_rows())
    assert rates["USD"] == 1.0
    assert 0.12 < rates["CNY"] < 0.16
    assert 0.04 < rates["MXN"] < 0.07
    assert 1.0 < rates["EUR"] < 1.25


def test_budgets_track_spend_by_category_and_month(market: dict[str, pl.DataFrame]) -> None:
    budgets = market["budgets"]
    categories = market["categories"]
    parents = categories["parent_category_id"].drop_nulls().unique()
    leaves = categories.filter(~pl.col("category_id").is_in(parents.implode())).height
    months = budgets["period_start"].n_unique()
    assert months >= 15  # twelve months of history (and a partial one) and the next three
    assert budgets.height == leaves * months
    assert (budgets["period_start"].dt.day() == 1).all()
    spend = (
        market["purchase_order_lines"]
        .join(market["purchase_orders"], on="po_id")
        .join(market["currencies"], on="currency_code")
        .join(market["skus"].select("sku_id", "category_id"), on="sku_id")
        .group_by("category_id", pl.col("ordered_date").dt.truncate("1mo").alias("period_start"))
        .agg((pl.col("quantity_units") * pl.col("unit_price") * pl.col("usd_per_unit")).sum())
    )
    full_months = budgets.join(spend, on=["category_id", "period_start"]).filter(
        pl.col("period_start") > budgets["period_start"].min(), pl.col("quantity_units") > 2000
    )
    ratio = full_months["budget_usd"] / full_months["quantity_units"]
    assert share(ratio.is_between(0.85, 1.3)) > 0.9
