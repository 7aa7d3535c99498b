"""The candidate models by name, and their forecasts for a set of series.

Intermittent rates are spread over the season with the (mostly shared) seasonal profile.

===================  ==============================================  =====================
name                 what it is                                      path
===================  ==============================================  =====================
``seasonal_naive``   the value one season before                     fast (NumPy)
``ses``              SES of the deseasonalised series, reseasonalised  fast (NumPy)
``theta``            Theta method (SES with drift), same seasonality  fast (NumPy)
``croston_sba``      Croston with the Syntetos–Boylan correction     fast, intermittent
``tsb``              Teunter–Syntetos–Babai                          fast, intermittent
``adida``            SES of demand aggregated over ADI periods       fast, intermittent
``imapa``            mean of ADIDA over aggregation levels 1..ADI     fast, intermittent
``auto_ets``         statsforecast AutoETS                           statistical, per series
``optimized_theta``  statsforecast OptimizedTheta                    statistical, per series
===================  ==============================================  =====================
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from shopops.planning.forecast import intermittent, smoothing
from shopops.planning.forecast.classification import demand_patterns
from shopops.planning.forecast.panel import FloatArray
from shopops.planning.forecast.statistical import STATISTICAL_MODELS, statistical_forecast

REGULAR_MODELS = ("ses", "theta", "seasonal_naive")
INTERMITTENT_MODELS = ("croston_sba", "tsb", "adida", "imapa")
ALL_MODELS = (*REGULAR_MODELS, *INTERMITTENT_MODELS, *STATISTICAL_MODELS)


def forecast_models(
    values: FloatArray,
    names: Sequence[str],
    *,
    horizon: int,
    season_length: int,
    window: int,
) -> dict[str, FloatArray]:
    """Forecast every column of ``values`` with each model of ``names``.

    Parameters
    ----------
    values:
        ``(periods, series)`` history, ``nan`` before each series' first sale.
    names:
        Models to run (see the module table).
    horizon:
        Periods to forecast.
    season_length:
        Periods per season (7 for daily data with a weekly cycle, 52 for weekly data).
    window:
        Periods of recent history the seasonal indices are estimated from.

    Returns
    -------
    dict
        Model name to a ``(horizon, series)`` array; ``nan`` where a model has no forecast.
    """
    result: dict[str, FloatArray] = {}
    seasonal: smoothing.SeasonalFit | None = None
    adi: FloatArray | None = None
    profile = np.ones((horizon, values.shape[1]))
    if any(name in INTERMITTENT_MODELS for name in names):
        profile = _future_profile(values, season_length, window=window, horizon=horizon)
    for name in names:
        if name in ("ses", "theta"):
            if seasonal is None:
                seasonal = smoothing.fit_seasonal(values, season_length, window=window)
            fast = smoothing.seasonal_ses_forecast if name == "ses" else smoothing.theta_forecast
            result[name] = fast(seasonal, horizon)
        elif name == "seasonal_naive":
            result[name] = smoothing.seasonal_naive(values, season_length, horizon)
        elif name in ("croston_sba", "tsb"):
            rate = (
                intermittent.croston(values) if name == "croston_sba" else intermittent.tsb(values)
            )
            result[name] = rate[None, :] * profile
        elif name in ("adida", "imapa"):
            if adi is None:
                adi = demand_patterns(values).adi
            method = intermittent.adida if name == "adida" else intermittent.imapa
            result[name] = method(values, adi)[None, :] * profile
        elif name in STATISTICAL_MODELS:
            result[name] = statistical_forecast(
                values, name, season_length=season_length, horizon=horizon
            )
        else:
            raise ValueError(f"unknown model {name!r}; known: {', '.join(ALL_MODELS)}")
    return result


def _future_profile(
    values: FloatArray, season_length: int, *, window: int, horizon: int
) -> FloatArray:
    """Seasonal index of each future period: intermittent rates follow the weekly profile.

    The indices of slow movers are shrunk almost wholly to the all-series profile (see
    :func:`~shopops.planning.forecast.smoothing.seasonal_indices`), so a rate keeps its
    mean and is spread over the week like demand in general.
    """
    index = smoothing.seasonal_indices(values, season_length, window=window)
    positions = smoothing.season_positions(values.shape[0], horizon, season_length)
    return np.asarray(index[positions])
