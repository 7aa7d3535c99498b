"""Demand looks like a marketplace's: weekly rhythm, event peaks, a long tail, regions."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest
from scipy import stats
from synth_checks import latest, number, share

from shopops.data.synth import MarketplaceConfig
from shopops.data.synth.calendar import thanksgiving


@pytest.fixture(scope="module")
def lines(market: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Order lines with their order's day, channel and region, and the SKU's category."""
    orders = market["orders"].select(
        "order_id", "channel", "region_id", pl.col("ordered_at").dt.date().alias("day")
    )
    skus = market["skus"].select("sku_id", "category_id")
    return market["order_lines"].join(orders, on="order_id").join(skus, on="sku_id")


@pytest.fixture(scope="module")
def event_days(market: dict[str, pl.DataFrame]) -> set[dt.date]:
    """Days of any sales event, and the week before each marketplace-wide one (the dip)."""
    events = market["sales_events"]
    days: set[dt.date] = set()
    for row in events.iter_rows(named=True):
        first = row["start_date"] - dt.timedelta(days=7 if row["category_id"] is None else 0)
        days |= {first + dt.timedelta(days=k) for k in range((row["end_date"] - first).days + 1)}
    return days


def _daily_units(lines: pl.DataFrame, config: MarketplaceConfig) -> pl.DataFrame:
    every_day = pl.DataFrame({"day": pl.date_range(config.start_date, config.end_date, eager=True)})
    units = lines.group_by("day").agg(pl.col("quantity_units").sum().alias("units"))
    return every_day.join(units, on="day", how="left").fill_null(0)


def _lift(daily: pl.DataFrame, day: dt.date, event_days: set[dt.date]) -> float:
    """Units on ``day`` over the median of the 14 days either side that have no event."""
    distance = (pl.col("day") - day).dt.total_days().abs()
    around = daily.filter(distance.is_between(1, 14), ~pl.col("day").is_in(list(event_days)))
    units = daily.filter(pl.col("day") == day)["units"].item()
    return float(units / around["units"].median())


def test_weekdays_follow_the_configured_profile(
    lines: pl.DataFrame, event_days: set[dt.date], config: MarketplaceConfig
) -> None:
    daily = _daily_units(lines, config).filter(~pl.col("day").is_in(list(event_days)))
    by_weekday = (
        daily.group_by(pl.col("day").dt.weekday().alias("weekday"))
        .agg(pl.col("units").sum(), pl.len().alias("days"))
        .sort("weekday")
    )
    units, days = by_weekday["units"].to_numpy(), by_weekday["days"].to_numpy()
    uniform = days / days.sum() * units.sum()
    assert stats.chisquare(units, uniform).pvalue < 1e-6
    per_day = units / days
    profile = np.array(config.weekday_profile)
    observed_ratio = per_day.max() / per_day.min()
    assert observed_ratio == pytest.approx(profile.max() / profile.min(), rel=0.1)
    assert np.corrcoef(per_day, profile)[0, 1] > 0.8
    assert per_day.argmax() in (5, 6)  # the weekend is busiest


def test_singles_day_black_friday_and_cyber_monday_spike(
    lines: pl.DataFrame, event_days: set[dt.date], config: MarketplaceConfig
) -> None:
    daily = _daily_units(lines, config)
    black_friday = thanksgiving(2024) + dt.timedelta(days=1)
    assert _lift(daily, dt.date(2024, 11, 11), event_days) > 4.0
    assert _lift(daily, black_friday, event_days) > 3.0
    assert _lift(daily, black_friday + dt.timedelta(days=3), event_days) > 3.0
    assert _lift(daily, dt.date(2025, 6, 18), event_days) > 1.5
    assert _lift(daily, dt.date(2024, 12, 12), event_days) > 1.8


def test_flash_sales_multiply_their_category_in_live_streams(
    market: dict[str, pl.DataFrame],
    lines: pl.DataFrame,
    event_days: set[dt.date],
    config: MarketplaceConfig,
) -> None:
    flash = market["sales_events"].filter(
        pl.col("event_type") == "flash_sale", pl.col("start_date") <= config.end_date
    )
    lifts, live_shares = [], []
    for sale in flash.iter_rows(named=True):
        promoted = lines.filter(pl.col("category_id") == sale["category_id"])
        daily = _daily_units(promoted, config)
        if number(daily["units"].median()) < 5:  # too few sales to tell a lift
            continue
        lifts.append(_lift(daily, sale["start_date"], event_days - {sale["start_date"]}))
        on_the_day = promoted.filter(pl.col("day") == sale["start_date"])
        live_shares.append(share(on_the_day["channel"] == "live_stream"))
    assert len(lifts) >= 10
    assert np.median(lifts) > 5.0
    assert np.mean(np.array(lifts) > 3.0) >= 0.85
    assert np.median(live_shares) > 0.7  # live streams carry the sale


def test_a_few_skus_sell_most_and_slow_movers_sell_intermittently(
    lines: pl.DataFrame, config: MarketplaceConfig
) -> None:
    per_sku = lines.group_by("sku_id").agg(
        pl.col("quantity_units").sum().alias("units"), pl.col("day").n_unique().alias("days")
    )
    units = np.sort(per_sku["units"].to_numpy())[::-1]
    top_fifth = units[: len(units) // 5].sum() / units.sum()
    assert 0.6 < top_fifth < 0.9
    tail = per_sku.sort("units").head(config.skus // 2)
    adi = config.days / tail["days"].to_numpy()
    assert np.mean(adi > 1.32) > 0.5


def test_regions_buy_in_proportion_to_population(
    market: dict[str, pl.DataFrame], lines: pl.DataFrame
) -> None:
    by_region = lines.group_by("region_id").agg(pl.col("quantity_units").sum())
    joined = by_region.join(market["regions"], on="region_id")
    assert np.corrcoef(joined["quantity_units"], joined["population"])[0, 1] > 0.8


def test_volumes_per_sku_and_per_order(
    market: dict[str, pl.DataFrame], config: MarketplaceConfig
) -> None:
    order_lines, orders = market["order_lines"], market["orders"]
    assert 0.5 <= order_lines.height / (config.skus * config.days) <= 0.8
    assert 1.2 <= order_lines.height / orders.height <= 1.4
    lines_per_order = order_lines.group_by("order_id").len()["len"]
    assert share(lines_per_order > 1) > 0.1
    assert order_lines.select("order_id", "sku_id").is_duplicated().sum() == 0
    quantity = order_lines["quantity_units"]
    assert 0.65 < share(quantity == 1) < 0.9
    assert number(quantity.max()) > 3


def test_channels_and_time_of_day(market: dict[str, pl.DataFrame]) -> None:
    orders = market["orders"]
    shares = orders["channel"].value_counts(normalize=True)
    assert set(shares["channel"]) == {"shop", "video", "live_stream"}
    hour = orders["ordered_at"].dt.hour()
    us_evening = hour.is_in([0, 1, 2, 23]).sum()
    us_small_hours = hour.is_in([8, 9, 10, 11]).sum()
    assert us_evening > 3 * us_small_hours
    assert orders["external_order_id"].n_unique() == orders.height


def test_new_and_discontinued_skus(
    market: dict[str, pl.DataFrame], lines: pl.DataFrame, config: MarketplaceConfig
) -> None:
    skus = market["skus"]
    new = skus.filter(pl.col("launch_date") > config.start_date)
    assert 0 < new.height < 0.1 * config.skus
    first_sale = lines.group_by("sku_id").agg(pl.col("day").min().alias("first_sale"))
    sold_before_launch = new.join(first_sale, on="sku_id").filter(
        pl.col("first_sale") < pl.col("launch_date")
    )
    assert sold_before_launch.height == 0
    assert 0 < (skus["status"] == "discontinued").sum() < 0.1 * config.skus


def test_events_of_the_window_and_the_known_upcoming_ones(
    market: dict[str, pl.DataFrame], config: MarketplaceConfig
) -> None:
    events = market["sales_events"]
    upcoming = events.filter(pl.col("start_date") > config.end_date)
    kinds = set(upcoming["event_type"])
    assert {"singles_day", "black_friday", "cyber_monday", "double_twelve"} <= kinds
    black_friday = upcoming.filter(pl.col("event_type") == "black_friday")["start_date"].item()
    assert black_friday == dt.date(2025, 11, 28)  # the day after Thanksgiving 2025
    assert black_friday.weekday() == 4
    assert latest(upcoming["start_date"]) <= config.end_date + dt.timedelta(days=90)
    flash = events.filter(pl.col("event_type") == "flash_sale")
    assert flash["channel"].unique().to_list() == ["live_stream"]
    assert flash["category_id"].null_count() == 0
