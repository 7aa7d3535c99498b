"""Daily demand rate and its uncertainty per SKU x warehouse, from a forecast.

The rate is the forecast's mean units per day over the planning window. Its standard
deviation per day is ``sqrt(mean(units_sd²))``: the forecaster's day-to-day spread, days
taken as independent, kept within ``μ + φ_max μ²`` (a negative binomial of dispersion at most
``φ_max``) so that a spread estimated from a few near-zero back-test forecasts cannot run
away. :mod:`.errors` gives a better, back-tested sd of demand totals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import polars as pl

from shopops.errors import DataError


def forecast_demand_rates(
    forecast: pl.DataFrame,
    *,
    keys: Sequence[str] = ("sku_id", "warehouse_id"),
    start: dt.date | None = None,
    days: int | None = None,
    max_dispersion: float = 10.0,
) -> pl.DataFrame:
    """Mean and sd of daily demand per series over ``[start, start + days)`` of a forecast.

    Parameters
    ----------
    forecast
        Key columns, ``date``, ``units_forecast`` and ``units_sd`` per day (as
        :meth:`~shopops.planning.forecast.DemandForecaster.predict` gives them).
    start, days
        The planning window; by default every date of the forecast.
    max_dispersion
        ``φ_max``: the largest variance ``μ + φ μ²`` a day's demand is given.

    Returns
    -------
    polars.DataFrame
        Key columns, ``forecast_days``, ``demand_mean_units_per_day`` and
        ``demand_sd_units_per_day``.
    """
    missing = {*keys, "date", "units_forecast", "units_sd"} - set(forecast.columns)
    if missing:
        raise DataError(f"the forecast lacks column(s) {', '.join(sorted(missing))}")
    window = forecast
    if start is not None:
        window = window.filter(pl.col("date") >= start)
        if days is not None:
            window = window.filter(pl.col("date") < start + dt.timedelta(days=days))
    return (
        window.group_by(list(keys))
        .agg(
            pl.len().alias("forecast_days"),
            pl.col("units_forecast").cast(pl.Float64).clip(lower_bound=0.0).mean(),
            pl.col("units_sd").cast(pl.Float64).pow(2).mean().sqrt(),
        )
        .select(
            *keys,
            "forecast_days",
            pl.col("units_forecast").alias("demand_mean_units_per_day"),
            pl.min_horizontal(
                pl.col("units_sd"),
                (
                    pl.col("units_forecast") * (1.0 + max_dispersion * pl.col("units_forecast"))
                ).sqrt(),
            ).alias("demand_sd_units_per_day"),
        )
        .sort(list(keys))
    )
