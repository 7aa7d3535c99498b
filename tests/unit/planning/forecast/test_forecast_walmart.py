"""Walmart weekly department sales: train on 117 weeks, forecast the last 26."""

from __future__ import annotations

import numpy as np
import polars as pl

from shopops.planning.forecast import DemandForecaster, accuracy_report, backtest

WEEKLY = {
    "horizon_days": 182,
    "season_length": 52,
    "period_days": 7,
    "keys": ("series_id",),
    "backtest_days": 91,
}


def test_walmart_history_is_143_weeks_of_7_departments(walmart: pl.DataFrame) -> None:
    assert walmart.height == 1001
    assert walmart["date"].n_unique() == 143


def test_forecast_beats_seasonal_naive_on_the_last_26_weeks(walmart: pl.DataFrame) -> None:
    result = backtest(walmart, forecaster=DemandForecaster(**WEEKLY))
    assert result["date"].n_unique() == 26
    assert result["origin"].min() == sorted(walmart["date"].unique())[117]
    overall = accuracy_report(result).filter(pl.col("segment_kind") == "all").row(0, named=True)
    assert overall["wape"] < overall["wape_naive"]
    assert overall["mase"] < overall["mase_naive"]


def test_weekly_mase_is_scaled_by_the_in_sample_seasonal_naive(walmart: pl.DataFrame) -> None:
    result = backtest(walmart, forecaster=DemandForecaster(**WEEKLY))
    series = walmart.filter(pl.col("series_id") == "1_1").sort("date")["units"].to_numpy()
    train = series[:117]
    scale = np.mean(np.abs(train[52:] - train[:-52]))
    naive_mae = result.filter(pl.col("series_id") == "1_1")["naive_mae"].unique().to_list()
    assert naive_mae == [scale]


def test_every_weekly_series_gets_a_model_and_a_reason(walmart: pl.DataFrame) -> None:
    models = DemandForecaster(**WEEKLY).fit(walmart).models_
    assert models.height == 7
    assert models["reason"].str.contains("back-test WAPE").all()
    assert models["model"].is_not_null().all()
