"""How wrong the forecast of a total over ``h`` days turns out, from its own back-test.

Safety stock protects against the error of the demand *total* over the lead time, not of
one day. Forecast errors persist from day to day (a level that is off stays off for the whole
lead time), so summing daily variances understates it, and per-series spreads estimated
from a few weeks are noisy. Here the variance of the error of an ``h``-day total is read off
a back-test of the same forecaster, pooled over all series, as a function of the forecast
total ``F``::

    Var(A_h - F_h) = a_h + c_h F + φ_h F²

``a_h`` is demand that turns up where almost none was forecast, ``c_h`` the
Poisson-and-batch noise of order lines (``c = 1`` for unit Poisson demand), ``φ_h`` the
relative error of the level (squared). Each ``h`` is fitted by iteratively reweighted
non-negative least squares on the squared errors ``(A_h - F_h)²`` (weights ``1 / Var²``,
the variance of a squared normal error being ``2 Var²``).

:func:`widen_demand_sd` turns this into the daily sd each plan row needs: over its
protection interval ``P`` with rate ``μ``, ``σ_eff² = Var_P(μP) / P``, so the lead-time
demand variance :func:`~shopops.planning.policy.compute_lead_time_demand` builds,
``P σ_eff² + μ² σ_L²``, is the back-tested error variance plus the lead-time term.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import polars as pl
from scipy import optimize

from shopops.errors import DataError

FloatArray = npt.NDArray[np.float64]
HORIZONS = (7, 14, 28, 42, 56, 91)
PROFILE_COLUMNS = (
    "horizon_days",
    "series",
    "unforecast_units",
    "extra_units2",
    "noise_factor",
    "level_dispersion",
)
_ROUNDS = 5


def forecast_error_profile(
    backtest: pl.DataFrame,
    *,
    keys: Sequence[str] = ("sku_id", "warehouse_id"),
    horizons: Sequence[int] = HORIZONS,
) -> pl.DataFrame:
    """Variance of the error of ``h``-day forecast totals, per horizon (module notes).

    Parameters
    ----------
    backtest
        :func:`~shopops.planning.forecast.backtest` output: key columns, ``origin``,
        ``date``, ``units`` and ``units_forecast`` per day.
    horizons
        Days ``h`` to fit; those longer than the back-test windows are skipped.

    Returns
    -------
    polars.DataFrame
        ``horizon_days``, ``series`` (series x origins fitted), ``extra_units2`` (``a``),
        ``noise_factor`` (``c``) and ``level_dispersion`` (``φ``), by horizon.
    """
    series = [*keys, "origin"]
    totals = (
        backtest.sort([*series, "date"])
        .with_columns(
            pl.int_range(1, pl.len() + 1).over(series).alias("horizon_days"),
            pl.col("units").cast(pl.Float64).cum_sum().over(series).alias("actual"),
            pl.col("units_forecast").cast(pl.Float64).cum_sum().over(series).alias("forecast"),
        )
        .filter(pl.col("horizon_days").is_in(list(horizons)))
    )
    rows = []
    for (h,), group in totals.group_by("horizon_days"):
        forecast = group.get_column("forecast").to_numpy()
        actual = group.get_column("actual").to_numpy()
        rows.append((int(h), group.height, *_fit(forecast, actual)))
    if not rows:
        raise DataError("the back-test has no window as long as the shortest horizon")
    return pl.DataFrame(rows, schema=list(PROFILE_COLUMNS), orient="row").sort("horizon_days")


def _fit(forecast: FloatArray, actual: FloatArray) -> tuple[float, float, float, float]:
    """``b >= 0`` of ``E[A] = b + F`` and ``(a, c, φ) >= 0`` of ``Var = a + cF + φF²``.

    Alternating reweighted fits: ``b`` is the ``1 / Var``-weighted mean of ``A - F``, the
    variance parameters the ``1 / Var²``-weighted NNLS fit to ``(A - F - b)²``.
    """
    design = np.column_stack([np.ones_like(forecast), forecast, forecast * forecast])
    variance = np.maximum(forecast, 1.0)
    params, extra = np.zeros(3), 0.0
    for _ in range(_ROUNDS):
        weights = 1.0 / variance
        extra = max(float(np.sum(weights * (actual - forecast)) / np.sum(weights)), 0.0)
        squared = (actual - forecast - extra) ** 2
        scale = 1.0 / variance
        params, _ = optimize.nnls(design * scale[:, None], squared * scale)
        variance = np.maximum(design @ params, 1e-6 + 1e-3 * forecast)
    a, c, phi = (float(p) for p in params)
    return extra, a, c, phi


def _per_day(profile: pl.DataFrame, column: str, days: FloatArray) -> FloatArray:
    h = profile.get_column("horizon_days").cast(pl.Float64).to_numpy()
    return np.asarray(np.interp(days, h, profile.get_column(column).to_numpy() / h))


def _level(profile: pl.DataFrame, column: str, days: FloatArray) -> FloatArray:
    h = profile.get_column("horizon_days").cast(pl.Float64).to_numpy()
    return np.asarray(np.interp(days, h, profile.get_column(column).to_numpy()))


def total_error_variance(
    profile: pl.DataFrame, days: FloatArray, forecast_units: FloatArray
) -> FloatArray:
    """``Var_h(F)`` at ``h = days`` per row; parameters interpolated linearly in ``h``
    (``a`` per day), held at the end values outside the profile's horizons."""
    noise = _level(profile, "noise_factor", days)
    level = _level(profile, "level_dispersion", days)
    extra = _per_day(profile, "extra_units2", days) * days
    return np.asarray(extra + noise * forecast_units + level * forecast_units**2)


def widen_demand_sd(
    rows: pl.DataFrame, profile: pl.DataFrame, *, lag_days: float = 0.0
) -> pl.DataFrame:
    """Demand rate and sd of each row as the back-test says they turn out (module notes).

    Over each row's protection interval ``P`` (lead time + review period + ``lag_days``),
    the rate gains the unforecast demand ``b_P / P`` and the sd becomes
    ``sqrt(Var_P(μP) / P)``. The forecaster's values are kept as
    ``forecast_mean_units_per_day`` and ``forecast_sd_units_per_day``.
    """
    lead = rows.get_column("lead_time_mean_days").cast(pl.Float64).fill_null(0.0).to_numpy()
    review = rows.get_column("review_period_days").cast(pl.Float64).to_numpy()
    days = np.maximum(lead + review + lag_days, 1.0)
    forecast = rows.get_column("demand_mean_units_per_day").to_numpy()
    variance = total_error_variance(profile, days, forecast * days)
    mean = forecast + _per_day(profile, "unforecast_units", days)
    return rows.with_columns(
        pl.col("demand_mean_units_per_day").alias("forecast_mean_units_per_day"),
        pl.col("demand_sd_units_per_day").alias("forecast_sd_units_per_day"),
        pl.Series("demand_mean_units_per_day", mean),
        pl.Series("demand_sd_units_per_day", np.sqrt(np.maximum(variance, 0.0) / days)),
    )
