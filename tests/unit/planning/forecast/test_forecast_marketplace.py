"""A generated marketplace: daily SKU x region demand, weekly pattern, events, a long tail."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import polars as pl
import pytest

from shopops.planning.forecast import DemandForecaster, accuracy_report, backtest

KEYS = ["sku_id", "region_id"]


@pytest.fixture(scope="module")
def evaluated(marketplace: Any) -> pl.DataFrame:
    """Forecasts of the last 28 days from the history before them."""
    return backtest(
        marketplace.history,
        forecaster=DemandForecaster(horizon_days=28),
        events=marketplace.events,
        categories=marketplace.skus,
    )


@pytest.fixture(scope="module")
def report(evaluated: pl.DataFrame, marketplace: Any) -> pl.DataFrame:
    return accuracy_report(evaluated, skus=marketplace.skus)


def _segment(report: pl.DataFrame, kind: str, name: str) -> dict[str, float]:
    rows = report.filter((pl.col("segment_kind") == kind) & (pl.col("segment") == name))
    return rows.row(0, named=True)


@pytest.mark.parametrize("segment", ["regular", "intermittent"])
def test_forecast_beats_seasonal_naive(report: pl.DataFrame, segment: str) -> None:
    row = _segment(report, "demand", segment)
    assert row["series"] >= 100
    assert row["wape"] < row["wape_naive"]
    assert row["mase"] < row["mase_naive"]


def test_report_has_every_segment_kind(report: pl.DataFrame) -> None:
    kinds = set(report["segment_kind"].to_list())
    assert kinds == {"all", "demand", "abc_class", "category"}
    assert set(report.filter(pl.col("segment_kind") == "abc_class")["segment"]) == {"A", "B", "C"}


def test_quantiles_are_monotone_and_calibrated_on_regular_series(evaluated: pl.DataFrame) -> None:
    columns = ["units_q50", "units_q80", "units_q90", "units_q95", "units_q99"]
    for lower, upper in itertools.pairwise(columns):
        assert (evaluated[lower] <= evaluated[upper]).all()
    regular = evaluated.filter(~pl.col("intermittent") & (pl.col("model") != "category_pattern"))
    coverage = (regular["units"] <= regular["units_q90"]).mean()
    assert 0.85 <= coverage <= 0.97  # type: ignore[operator]


def test_intermittent_series_say_why_their_model_was_chosen(marketplace: Any) -> None:
    recent = marketplace.history.filter(pl.col("date") >= dt.date(2025, 6, 1))
    models = DemandForecaster(horizon_days=7, backtest_windows=1).fit(recent).models_
    intermittent = models.filter(
        pl.col("demand_pattern").is_in(["intermittent", "lumpy"])
        & (pl.col("model") != "category_pattern")
    )
    assert intermittent["reason"].str.starts_with("intermittent: ADI").all()
    assert set(intermittent["model"]) <= {
        "croston_sba",
        "tsb",
        "adida",
        "imapa",
        "category_pattern",
    }


def test_singles_day_uplift_is_learned_and_applied(marketplace: Any) -> None:
    forecaster = DemandForecaster(horizon_days=14, backtest_windows=1).fit(
        marketplace.history, marketplace.events, marketplace.skus
    )
    uplift = forecaster.uplifts_.filter(
        (pl.col("category_id") == "FAS-WOM") & (pl.col("event_type") == "singles_day")
    )["uplift"].item()
    assert uplift > 3.0
    women = marketplace.skus.filter(pl.col("category_id") == "FAS-WOM").select("sku_id")
    daily = (
        forecaster.predict()
        .join(women, on="sku_id")
        .group_by("date")
        .agg(pl.col("units_forecast").sum())
    )
    on_the_day = daily.filter(pl.col("date") == dt.date(2025, 11, 11))["units_forecast"].item()
    week_before = daily.filter(pl.col("date") == dt.date(2025, 11, 4))["units_forecast"].item()
    assert on_the_day > 3.0 * week_before


def test_a_past_event_does_not_inflate_the_following_weeks(marketplace: Any) -> None:
    cut = dt.date(2024, 11, 12)  # the day after Singles' Day 2024
    past = marketplace.history.filter(pl.col("date") < cut)
    after = marketplace.history.filter(
        (pl.col("date") >= cut) & (pl.col("date") < cut + dt.timedelta(days=14))
    )
    quiet = marketplace.events.filter(pl.col("start_date") < cut + dt.timedelta(days=14))
    settings = {"horizon_days": 14, "backtest_windows": 1}
    aware = DemandForecaster(**settings).fit(past, quiet, marketplace.skus).predict()
    blind = DemandForecaster(**settings).fit(past).predict()
    actual = after["units"].sum()
    assert 0.8 < aware["units_forecast"].sum() / actual < 1.25
    assert blind["units_forecast"].sum() > 1.1 * aware["units_forecast"].sum()
