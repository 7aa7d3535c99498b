"""Demand forecasting per series (SKU x region), event-aware, with quantiles.

Part of the planning layer: pure functions and estimators over Polars frames and NumPy
arrays; no database, files or settings. Two paths: the fast path (:mod:`.smoothing`,
:mod:`.intermittent`) forecasts every series at once with NumPy and carries catalogues of
100,000 series; the statistical path (:mod:`.statistical`) adds statsforecast's per-series
AutoETS and Theta where there are few regular series. :class:`DemandForecaster` chooses
between them per series by back-test; :func:`backtest` and :func:`accuracy_report` measure
the result against seasonal naive.
"""

from shopops.planning.forecast.accuracy import accuracy_report
from shopops.planning.forecast.backtest import backtest
from shopops.planning.forecast.classification import classify_demand, demand_patterns
from shopops.planning.forecast.forecaster import DemandForecaster, quantile_column

__all__ = [
    "DemandForecaster",
    "accuracy_report",
    "backtest",
    "classify_demand",
    "demand_patterns",
    "quantile_column",
]
