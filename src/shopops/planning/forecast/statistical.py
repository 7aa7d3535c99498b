"""statsforecast's models, one series at a time: the statistical path for small problems.

AutoETS (Hyndman et al. 2002, state-space ETS with model selection by AICc) and the
Optimized Theta method fit each series with numerical optimisation: about 0.1-0.4 s
(AutoETS) and 20 ms (Theta) per daily series of two years on this kind of machine, far too
slow for a catalogue of 100,000 series but worth trying when there are only a few regular
series (a store, a category, weekly totals). They enter the same back-test as the fast
models and win only where they forecast better.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from shopops.planning.forecast.panel import FloatArray
from shopops.planning.forecast.smoothing import first_observed

STATISTICAL_MODELS = ("auto_ets", "optimized_theta")


def _model(name: str, season_length: int) -> Any:
    from statsforecast.models import AutoETS, OptimizedTheta  # slow import, needed rarely

    # ETS cannot hold a season longer than 24 periods; it then fits without one.
    ets_season = season_length if season_length <= 24 else 1
    if name == "auto_ets":
        return AutoETS(season_length=ets_season)
    if name == "optimized_theta":
        return OptimizedTheta(season_length=season_length)
    raise ValueError(f"unknown statistical model {name!r}")


def statistical_forecast(
    values: FloatArray, name: str, *, season_length: int, horizon: int
) -> FloatArray:
    """Forecast each column with statsforecast's model ``name`` from its first sale.

    Returns
    -------
    numpy.ndarray
        ``(horizon, series)``; ``nan`` for a series the model cannot fit (too short,
        failed optimisation), which the back-test then never chooses.
    """
    model = _model(name, season_length)
    start = first_observed(values)
    result = np.full((horizon, values.shape[1]), np.nan)
    for column in range(values.shape[1]):
        y = values[start[column] :, column]
        if y.size < 2 * max(season_length, 2) + 2:
            continue
        with warnings.catch_warnings():
            # The optimisers probe extreme parameters; their overflow warnings are benign.
            warnings.simplefilter("ignore", RuntimeWarning)
            try:
                mean = model.forecast(y=y, h=horizon)["mean"]
            except (ValueError, NotImplementedError, np.linalg.LinAlgError):
                continue
        result[:, column] = np.maximum(np.asarray(mean, dtype=np.float64), 0.0)
    return result
