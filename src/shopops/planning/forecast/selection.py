"""Model choice per series by a rolling-origin back-test.

The history is cut at ``W`` origins, ``B`` periods apart from the end (``T - B``,
``T - 2B``, ...). At each origin every candidate forecasts the next ``B`` periods from the
data before it, and its absolute errors are summed per series over all windows. Each
series gets the candidate with the least total absolute error, i.e. the lowest back-test
WAPE (Tashman 2000 on rolling-origin evaluation). A reference model (seasonal naive) runs
in the same back-test so every choice can be explained against it. The back-test errors of
the chosen model also give the spread of the forecast quantiles.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from shopops.planning.forecast.models import forecast_models
from shopops.planning.forecast.panel import FloatArray, IntArray
from shopops.planning.forecast.smoothing import first_observed

REFERENCE_MODEL = "seasonal_naive"


@dataclass(frozen=True)
class Selection:
    """Chosen model, forecast and back-test record of each series of one family."""

    names: tuple[str, ...]
    chosen: IntArray
    forecast: FloatArray
    wape: FloatArray
    """``(models, series)`` back-test WAPE; ``nan`` without back-test demand."""
    squared_error: FloatArray
    forecast_sum: FloatArray
    forecast_squares: FloatArray
    windows: int

    def wape_of(self, name: str) -> FloatArray:
        """Back-test WAPE of model ``name`` per series."""
        return np.asarray(self.wape[self.names.index(name)])

    @property
    def chosen_wape(self) -> FloatArray:
        """Back-test WAPE of each series' chosen model."""
        return np.asarray(self.wape[self.chosen, np.arange(self.chosen.size)])


@dataclass
class _Totals:
    absolute: FloatArray
    squared: FloatArray
    forecast: FloatArray
    forecast_squares: FloatArray
    actual: FloatArray


def select_models(
    values: FloatArray,
    candidates: Sequence[str],
    *,
    horizon: int,
    season_length: int,
    window: int,
    backtest_periods: int,
    backtest_windows: int,
) -> Selection:
    """Back-test ``candidates`` on every column of ``values``, keep the best, forecast with it.

    Returns
    -------
    Selection
        With ``forecast`` of shape ``(horizon, series)`` from each series' chosen model
        fitted on the whole history.
    """
    names = tuple(dict.fromkeys([*candidates, REFERENCE_MODEL]))
    settings = {"season_length": season_length, "window": window}
    n_periods, n_series = values.shape
    shape = (len(names), n_series)
    totals = _Totals(
        np.zeros(shape), np.zeros(shape), np.zeros(shape), np.zeros(shape), np.zeros(n_series)
    )
    origins = _origins(n_periods, season_length, backtest_periods, backtest_windows)
    for origin in origins:
        actual = values[origin : origin + backtest_periods]
        forecasts = forecast_models(values[:origin], names, horizon=actual.shape[0], **settings)
        _add_window(
            totals,
            [forecasts[name] for name in names],
            actual,
            first_observed(values[:origin]),
            origin,
        )
    chosen = _choose(totals.absolute, len(candidates), bool(origins))
    forecast = _final_forecast(values, names, chosen, horizon=horizon, **settings)
    columns = np.arange(n_series)
    with np.errstate(divide="ignore", invalid="ignore"):
        wape = np.where(totals.actual > 0, totals.absolute / totals.actual, np.nan)
    return Selection(
        names,
        chosen,
        forecast,
        wape,
        totals.squared[chosen, columns],
        totals.forecast[chosen, columns],
        totals.forecast_squares[chosen, columns],
        len(origins),
    )


def _origins(n_periods: int, season_length: int, length: int, windows: int) -> list[int]:
    """Back-test origins with two full seasons of history before them, else one."""
    origins = [n_periods - w * length for w in range(1, windows + 1)]
    two_seasons = [o for o in origins if o >= 2 * season_length]
    return two_seasons or [o for o in origins if o >= season_length + 2]


def _add_window(
    totals: _Totals, forecasts: list[FloatArray], actual: FloatArray, start: IntArray, origin: int
) -> None:
    """Add one window's errors; a model without a forecast for an observed series loses it."""
    seen = ~np.isnan(actual)
    y = np.where(seen, actual, 0.0)
    observed = start < origin
    for i, forecast in enumerate(forecasts):
        missing = np.isnan(forecast).any(axis=0) & observed
        f = np.where(seen, np.nan_to_num(forecast), 0.0)
        error = y - f
        totals.absolute[i] += np.where(missing, np.inf, np.abs(error).sum(axis=0))
        totals.squared[i] += (error * error).sum(axis=0)
        totals.forecast[i] += f.sum(axis=0)
        totals.forecast_squares[i] += (f * f).sum(axis=0)
    totals.actual += y.sum(axis=0)


def _choose(absolute: FloatArray, n_candidates: int, tested: bool) -> IntArray:
    """Index of the candidate with the least back-test error (the first one untested)."""
    if not tested:
        return np.zeros(absolute.shape[1], dtype=np.int64)
    return np.asarray(absolute[:n_candidates].argmin(axis=0), dtype=np.int64)


def _final_forecast(
    values: FloatArray,
    names: tuple[str, ...],
    chosen: IntArray,
    *,
    horizon: int,
    season_length: int,
    window: int,
) -> FloatArray:
    """Forecast each series with its chosen model, fitted on the whole history."""
    forecast = np.full((horizon, values.shape[1]), np.nan)
    for i in np.unique(chosen):
        columns = np.flatnonzero(chosen == i)
        name = names[int(i)]
        result = forecast_models(
            values[:, columns], [name], horizon=horizon, season_length=season_length, window=window
        )[name]
        if np.isnan(result).any() and name != names[0]:
            fallback = forecast_models(
                values[:, columns], [names[0]], horizon=horizon, season_length=season_length,
                window=window,
            )[names[0]]  # fmt: skip
            result = np.where(np.isnan(result), fallback, result)
        forecast[:, columns] = result
    return forecast
