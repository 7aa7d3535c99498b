"""Vectorised models of regular demand: seasonal naive, seasonal SES and Theta.

Each function takes a time-major ``(periods, series)`` array (``nan`` before a series'
first sale, no ``nan`` after it) and forecasts every series at once; time is the only
Python loop. This is the fast path: 100,000 daily series of two years take seconds,
where statsforecast's per-series AutoETS takes about 0.1 s a series.

Seasonality is multiplicative: a series is divided by its seasonal indices (weekday
profile for daily data, week of year for weekly data), smoothed, and multiplied back.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from shopops.planning.forecast.panel import FloatArray, IntArray

ALPHAS = (0.02, 0.05, 0.1, 0.2, 0.4)
"""Smoothing constants tried per series; the one with the least one-step squared error wins."""
PRIOR_UNITS = 50.0
"""Weight, in units, of the all-series profile in a series' seasonal indices."""


@dataclass(frozen=True)
class SmoothedLevel:
    """Simple exponential smoothing per series: final level and its smoothing constant."""

    level: FloatArray
    alpha: FloatArray
    observed: IntArray


def first_observed(values: FloatArray) -> IntArray:
    """Index of the first non-``nan`` row per column (the number of rows if none)."""
    seen = ~np.isnan(values)
    first: IntArray = np.where(seen.any(axis=0), seen.argmax(axis=0), values.shape[0])
    return first.astype(np.int64)


def smooth_level(values: FloatArray, alphas: tuple[float, ...] = ALPHAS) -> SmoothedLevel:
    r"""Simple exponential smoothing of every column, each with its best constant.

    :math:`\ell_t = \ell_{t-1} + \alpha (y_t - \ell_{t-1})`, started at the first observation
    (Brown 1959). For each series the :math:`\alpha` of ``alphas`` with the least sum of
    squared one-step errors :math:`\sum (y_t - \ell_{t-1})^2` is kept.

    Returns
    -------
    SmoothedLevel
        Level after the last period (``nan`` for a series never observed), its
        :math:`\alpha`, and the number of observed periods.
    """
    n_periods, n_series = values.shape
    start = first_observed(values)
    grid = np.asarray(alphas, dtype=np.float64)[:, None]
    first = values[np.minimum(start, n_periods - 1), np.arange(n_series)]
    level = np.broadcast_to(np.nan_to_num(first), (len(alphas), n_series)).copy()
    squared = np.zeros_like(level)
    for t in range(int(start.min(initial=n_periods)), n_periods):
        error = values[t] - level
        error = np.where(t > start, error, 0.0)
        squared += error * error
        level += grid * error
    best = squared.argmin(axis=0)
    columns = np.arange(n_series)
    chosen = np.where(start < n_periods, level[best, columns], np.nan)
    return SmoothedLevel(chosen, grid[best, 0], (n_periods - start).astype(np.int64))


def seasonal_indices(
    values: FloatArray, season_length: int, *, window: int, prior_units: float = PRIOR_UNITS
) -> FloatArray:
    """Multiplicative seasonal index of each position ``t mod season_length`` per series.

    Ratio to moving average over the last ``window`` periods: each observed value is
    divided by the mean of the full season around it (centred where the data allow), and
    ``index_k = sum(y at k) / sum(moving average at k)``. Each series' index is shrunk
    towards the all-series profile with a weight of ``prior_units`` units, so slow movers
    get the common weekday profile and fast movers their own. Indices average 1.

    Returns
    -------
    numpy.ndarray
        ``(season_length, series)``; all ones for ``season_length`` 1 or too short data.
    """
    n_periods, n_series = values.shape
    m = season_length
    if m <= 1 or n_periods < 2 * m:
        return np.ones((max(m, 1), n_series))
    first = max(0, n_periods - window)
    recent = values[first:]
    average = _season_average(recent, m)
    valid = ~np.isnan(recent) & ~np.isnan(average)
    y = np.where(valid, recent, 0.0)
    base = np.where(valid, average, 0.0)
    position = (np.arange(first, n_periods) % m)[:, None] == np.arange(m)[None, :]
    own_units = position.T.astype(np.float64) @ y
    own_base = position.T.astype(np.float64) @ base
    with np.errstate(divide="ignore", invalid="ignore"):
        pooled = own_units.sum(axis=1) / own_base.sum(axis=1)
    pooled = _normalised(np.where(np.isfinite(pooled) & (pooled > 0), pooled, 1.0)[:, None])
    index = (own_units + prior_units * pooled) / (own_base + prior_units)
    return _normalised(np.clip(index, 0.05, 20.0))


def _season_average(values: FloatArray, m: int) -> FloatArray:
    """Mean of the full season around each period, shifted inside the data at the edges."""
    n = values.shape[0]
    filled = np.nan_to_num(values)
    total = np.vstack([np.zeros((1, values.shape[1])), np.cumsum(filled, axis=0)])
    observed = np.vstack([np.zeros((1, values.shape[1])), np.cumsum(~np.isnan(values), axis=0)])
    lo = np.clip(np.arange(n) - m // 2, 0, n - m)
    hi = lo + m
    full = (observed[hi] - observed[lo]) == m
    return np.where(full, (total[hi] - total[lo]) / m, np.nan)


def _normalised(index: FloatArray) -> FloatArray:
    return np.asarray(index / index.mean(axis=0, keepdims=True))


def season_positions(first_period: int, count: int, season_length: int) -> IntArray:
    """Seasonal position ``t mod season_length`` of ``count`` periods from ``first_period``."""
    return np.asarray((first_period + np.arange(count)) % max(season_length, 1), dtype=np.int64)


def seasonal_naive(values: FloatArray, season_length: int, horizon: int) -> FloatArray:
    """Seasonal naive forecast: the value one season before (Hyndman & Athanasopoulos 2021).

    ``yhat[T + h] = y[T + h - m * ceil(h / m)]``. A series observed for less than a season
    gets its observed mean; one never observed gets ``nan``.

    Returns
    -------
    numpy.ndarray
        ``(horizon, series)``.
    """
    n_periods = values.shape[0]
    m = max(season_length, 1)
    if n_periods < m:
        return np.repeat(_observed_mean(values)[None, :], horizon, axis=0)
    last = values[n_periods - m :]
    forecast = last[np.arange(horizon) % m]
    fallback = _observed_mean(values)[None, :]
    return np.asarray(np.where(np.isnan(forecast), fallback, forecast))


def _observed_mean(values: FloatArray) -> FloatArray:
    count = (~np.isnan(values)).sum(axis=0)
    total = np.nansum(values, axis=0)
    return np.where(count > 0, total / np.maximum(count, 1), np.nan)


@dataclass(frozen=True)
class SeasonalFit:
    """Deseasonalised level, trend and indices shared by the seasonal SES and Theta forecasts."""

    level: SmoothedLevel
    slope: FloatArray
    index: FloatArray
    n_periods: int
    season_length: int

    def future_index(self, horizon: int) -> FloatArray:
        """Seasonal index of each future period, ``(horizon, series)``."""
        return self.index[season_positions(self.n_periods, horizon, self.season_length)]


def fit_seasonal(values: FloatArray, season_length: int, *, window: int) -> SeasonalFit:
    """Seasonal indices, then SES level and least-squares slope of the deseasonalised series."""
    index = seasonal_indices(values, season_length, window=window)
    positions = season_positions(0, values.shape[0], season_length)
    adjusted = values / index[positions]
    level = smooth_level(adjusted)
    return SeasonalFit(level, _trend_slope(adjusted), index, values.shape[0], season_length)


def _trend_slope(values: FloatArray) -> FloatArray:
    """Ordinary least-squares slope of each column against time over its observed rows."""
    seen = ~np.isnan(values)
    t = np.arange(values.shape[0], dtype=np.float64)[:, None]
    n = seen.sum(axis=0).astype(np.float64)
    y = np.where(seen, values, 0.0)
    t_sum, y_sum = (t * seen).sum(axis=0), y.sum(axis=0)
    tt = (t * t * seen).sum(axis=0)
    ty = (t * y).sum(axis=0)
    denominator = n * tt - t_sum * t_sum
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = (n * ty - t_sum * y_sum) / denominator
    return np.where(denominator > 0, slope, 0.0)


def seasonal_ses_forecast(fit: SeasonalFit, horizon: int) -> FloatArray:
    """Flat SES level times the seasonal index of each future period."""
    return np.asarray(fit.level.level[None, :] * fit.future_index(horizon))


def theta_forecast(fit: SeasonalFit, horizon: int) -> FloatArray:
    r"""Theta method on the deseasonalised series, reseasonalised.

    The standard Theta method (Assimakopoulos & Nikolopoulos 2000) equals SES with drift
    (Hyndman & Billah 2003): :math:`\hat y_{T+h} = \ell_T + \tfrac{b}{2}\,
    \big(h - 1 + 1/\alpha - (1-\alpha)^n/\alpha\big)`, with :math:`b` the least-squares
    slope of the series and :math:`n` its observed length. Negative values become 0.
    """
    alpha, n = fit.level.alpha, fit.level.observed.astype(np.float64)
    h = np.arange(1, horizon + 1, dtype=np.float64)[:, None]
    drift = h - 1.0 + 1.0 / alpha - np.power(1.0 - alpha, n) / alpha
    adjusted = fit.level.level[None, :] + 0.5 * fit.slope[None, :] * drift
    return np.asarray(np.maximum(adjusted, 0.0) * fit.future_index(horizon))
