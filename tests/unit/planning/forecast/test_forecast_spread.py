"""The spread of the forecast stays sane where the back-test forecast was almost nothing."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from shopops.planning.forecast import DemandForecaster
from shopops.planning.forecast.quantiles import dispersion


def test_dispersion_is_unknown_where_the_forecast_added_up_to_almost_nothing() -> None:
    phi = dispersion(np.array([9.0, 9.0]), np.array([1e-9, 4.0]), np.array([1e-20, 2.0]))
    assert np.isnan(phi[0])
    assert phi[1] == (9.0 - 4.0) / 2.0


def test_a_series_that_wakes_up_after_a_silent_back_test_gets_a_bounded_sd() -> None:
    rng = np.random.default_rng(3)
    days = pl.date_range(dt.date(2025, 1, 1), dt.date(2025, 12, 31), eager=True)
    steady = rng.poisson(4.0, days.len())
    waking = np.zeros(days.len(), dtype=np.int64)
    waking[[10, 40, 90]] = 1
    waking[-3] = 6
    history = pl.DataFrame(
        {
            "sku_id": ["STEADY"] * days.len() + ["WAKING"] * days.len(),
            "date": pl.concat([days, days]),
            "units": np.concatenate([steady, waking]),
        }
    )
    forecast = DemandForecaster(horizon_days=28, keys=("sku_id",)).fit(history).predict()
    worst = forecast.group_by("sku_id").agg(pl.col("units_sd").max())
    assert worst["units_sd"].max() < 10.0  # type: ignore[operator]
