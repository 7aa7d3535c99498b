"""Honest evaluation: fit at past origins, forecast, compare with what happened.

``backtest`` refits a copy of the forecaster on the history before each origin (events and
categories included, so uplift and cleaning are learned only from the past) and lays its
forecast beside the actual units and the seasonal naive forecast from the same data.
Series that first sold after an origin are not part of that origin's evaluation.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from shopops.errors import DataError
from shopops.planning.forecast.forecaster import DemandForecaster
from shopops.planning.forecast.panel import DemandPanel, build_panel, panel_to_frame
from shopops.planning.forecast.smoothing import seasonal_naive


def backtest(
    history: pl.DataFrame,
    *,
    forecaster: DemandForecaster | None = None,
    events: pl.DataFrame | None = None,
    categories: pl.DataFrame | None = None,
    windows: int = 1,
) -> pl.DataFrame:
    """Forecasts of the last ``windows`` horizons from the data before each, with actuals.

    The horizons are the forecaster's ``horizon_days``, back to back from the end of the
    history (the last origin first).

    Returns
    -------
    polars.DataFrame
        Key columns, ``origin``, ``date``, ``units`` (actual), ``units_forecast``,
        ``units_sd`` and the quantile columns, ``units_naive`` (seasonal naive),
        ``naive_mae`` (in-sample seasonal naive MAE before the origin: the MASE scale),
        ``model``, ``demand_pattern``, ``intermittent`` and ``category_id``.

    Raises
    ------
    DataError
        If the history is too short for the windows asked for.
    """
    template = forecaster or DemandForecaster()
    keys = list(template.keys)
    full = build_panel(history, keys=keys, period_days=template.period_days)
    horizon = -(-template.horizon_days // template.period_days)
    frames = []
    for w in range(1, windows + 1):
        origin = full.n_periods - w * horizon
        if origin <= template.season_length:
            raise DataError(f"history too short for {windows} back-test windows")
        origin_date = full.first_date + dt.timedelta(days=origin * template.period_days)
        fitted = DemandForecaster(**template.get_params()).fit(
            history.filter(pl.col("date") < origin_date), events, categories
        )
        frames.append(_window(full, origin, horizon, fitted, template.season_length))
    return pl.concat(frames, how="vertical")


def _window(
    full: DemandPanel, origin: int, horizon: int, fitted: DemandForecaster, season_length: int
) -> pl.DataFrame:
    """One origin's forecasts joined to actuals, naive forecasts and the MASE scale."""
    keys = full.keys.columns
    past, actual = full.values[:origin], full.values[origin : origin + horizon]
    dates = full.dates(origin, actual.shape[0])
    naive = seasonal_naive(past, season_length, actual.shape[0])
    truth = panel_to_frame(full.keys, dates, {"units": actual, "units_naive": naive})
    truth = truth.filter(pl.col("units").is_not_nan())
    scale = full.keys.with_columns(pl.Series("naive_mae", _naive_mae(past, season_length)))
    series = fitted.models_.select(
        *keys,
        "model",
        "demand_pattern",
        pl.col("demand_pattern").is_in(["intermittent", "lumpy"]).alias("intermittent"),
        "category_id",
    )
    return (
        fitted.predict()
        .join(truth, on=[*keys, "date"], how="inner")
        .join(scale, on=keys, how="left")
        .join(series, on=keys, how="left")
        .with_columns(pl.lit(dates[0]).alias("origin"))
    )


def _naive_mae(values: np.ndarray, season_length: int) -> np.ndarray:
    """Mean absolute one-season difference over the observed history (Hyndman & Koehler 2006)."""
    m = max(season_length, 1)
    if values.shape[0] <= m:
        return np.full(values.shape[1], np.nan)
    difference = np.abs(values[m:] - values[:-m])
    count = (~np.isnan(difference)).sum(axis=0)
    total = np.nansum(difference, axis=0)
    return np.where(count > 0, total / np.maximum(count, 1), np.nan)
