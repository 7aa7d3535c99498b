"""``DemandForecaster``: event-aware demand forecasts with quantiles for a whole catalogue.

What ``fit`` does, in order:

1. pivots the history into a ``(periods, series)`` panel (:mod:`.panel`);
2. lays the sales events over it and replaces past event periods by the base level around
   them, then learns each category's uplift per event type (:mod:`.events`);
3. classifies each series (Syntetos–Boylan, :mod:`.classification`): *new* when observed
   for fewer than ``min_history_days``, else *intermittent* (ADI > 1.32) or *regular*;
4. chooses a model per series by rolling-origin back-test (:mod:`.selection`). Regular
   series try the fast vectorised SES / Theta / seasonal naive (:mod:`.smoothing`) and,
   when there are at most ``statistical_max_series`` of them, statsforecast's AutoETS and
   OptimizedTheta too (:mod:`.statistical`: ~0.1-0.4 s a series, so only where that is
   cheap). Intermittent series try Croston-SBA, TSB, ADIDA and IMAPA (:mod:`.intermittent`);
5. forecasts new series from their peers (:mod:`.newcomers`), multiplies future event
   periods by the learned uplift, and sizes each series' spread from its back-test errors
   (:mod:`.quantiles`).

The fast path is NumPy over all series at once and is what makes 100,000 daily series a
matter of minutes; the statistical path is the per-series statsforecast models.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import polars as pl

from shopops.errors import DataError
from shopops.planning.forecast import events as event_tools
from shopops.planning.forecast.classification import demand_patterns
from shopops.planning.forecast.models import INTERMITTENT_MODELS, REGULAR_MODELS
from shopops.planning.forecast.newcomers import newcomer_forecast
from shopops.planning.forecast.panel import FloatArray, build_panel, panel_to_frame
from shopops.planning.forecast.quantiles import demand_sd, dispersion, negative_binomial_quantiles
from shopops.planning.forecast.reasons import describe_choices
from shopops.planning.forecast.selection import Selection, select_models
from shopops.planning.forecast.smoothing import seasonal_indices
from shopops.planning.forecast.statistical import STATISTICAL_MODELS


def quantile_column(level: float) -> str:
    """Output column of quantile ``level``: ``units_q90`` for 0.9, ``units_q97_5`` for 0.975."""
    text = f"{level * 100:.10g}".replace(".", "_")
    return f"units_q{text}"


class DemandForecaster:
    """Forecast demand per series, with event uplift and quantiles.

    Parameters
    ----------
    horizon_days:
        Days ahead to forecast (26 weeks at most is the intended use).
    season_length:
        Periods per season: 7 for daily demand with a weekly cycle, 52 for weekly demand.
    period_days:
        Days per period of the history: 1 (daily) or 7 (weekly).
    quantiles:
        Levels of the quantile columns, each in (0, 1).
    keys:
        Columns that identify a series.
    backtest_days, backtest_windows:
        Length of each back-test window and how many windows the model choice uses.
    min_history_days:
        Series observed for less are *new* and take their peers' pattern.
    event_window_days:
        Days each side of a past event whose quiet periods give its base level.
    statistical_max_series:
        Regular series up to which statsforecast's models are also tried (0: never).

    Attributes
    ----------
    models_ : polars.DataFrame
        Per series: key columns, ``category_id``, ``demand_pattern``, ``adi``, ``cv2``,
        ``model``, ``backtest_wape``, ``naive_backtest_wape``, ``dispersion`` and ``reason``.
    uplifts_ : polars.DataFrame
        Learned uplift per category and event type (see :func:`.events.learn_uplift`).
    forecast_ : numpy.ndarray
        ``(periods, series)`` point forecasts in the order of ``models_``.

    Examples
    --------
    >>> import datetime as dt
    >>> days = [dt.date(2025, 1, 1) + dt.timedelta(days=i) for i in range(120)]
    >>> history = pl.DataFrame({"sku_id": "A", "region_id": "NYC", "date": days,
    ...                         "units": [5 + i % 7 for i in range(120)]})
    >>> forecaster = DemandForecaster(horizon_days=14).fit(history)
    >>> forecaster.predict().columns[:5]
    ['sku_id', 'region_id', 'date', 'units_forecast', 'units_sd']
    """

    def __init__(
        self,
        *,
        horizon_days: int = 91,
        season_length: int = 7,
        period_days: int = 1,
        quantiles: Sequence[float] = (0.5, 0.8, 0.9, 0.95, 0.99),
        keys: Sequence[str] = ("sku_id", "region_id"),
        backtest_days: int = 28,
        backtest_windows: int = 2,
        min_history_days: int = 28,
        event_window_days: int = 14,
        statistical_max_series: int = 25,
    ) -> None:
        self.horizon_days = horizon_days
        self.season_length = season_length
        self.period_days = period_days
        self.quantiles = quantiles
        self.keys = keys
        self.backtest_days = backtest_days
        self.backtest_windows = backtest_windows
        self.min_history_days = min_history_days
        self.event_window_days = event_window_days
        self.statistical_max_series = statistical_max_series

    def get_params(self) -> dict[str, Any]:
        """Constructor arguments, for building an unfitted copy."""
        names = [
            "horizon_days",
            "season_length",
            "period_days",
            "quantiles",
            "keys",
            "backtest_days",
            "backtest_windows",
            "min_history_days",
            "event_window_days",
            "statistical_max_series",
        ]
        return {name: getattr(self, name) for name in names}

    def set_params(self, **params: Any) -> DemandForecaster:
        """Change constructor arguments; returns ``self``."""
        for name, value in params.items():
            if name not in self.get_params():
                raise ValueError(f"unknown parameter {name!r}")
            setattr(self, name, value)
        return self

    def _periods(self, days: int) -> int:
        return max(1, math.ceil(days / self.period_days))

    def fit(
        self,
        history: pl.DataFrame,
        events: pl.DataFrame | None = None,
        categories: pl.DataFrame | None = None,
    ) -> DemandForecaster:
        """Learn models, uplifts and spreads from ``history``.

        Parameters
        ----------
        history:
            Key columns, ``date`` (a period's first day) and ``units``; a period without a
            row is zero demand once the series has sold.
        events:
            Sales events: ``event_type``, ``start_date``, ``end_date``, ``category_id``
            (null: marketplace-wide), past and upcoming.
        categories:
            ``sku_id`` and ``category_id`` of each SKU (the ``skus`` table will do); needs
            ``sku_id`` among the keys.

        Returns
        -------
        DemandForecaster
            ``self``, fitted.
        """
        self._check_params()
        panel = build_panel(history, keys=self.keys, period_days=self.period_days)
        horizon, m = self._periods(self.horizon_days), self.season_length
        window = max(8 * m, self._periods(365))
        category = _series_category(panel.keys, categories)
        calendar = event_tools.event_calendar(
            events, category, first_date=panel.first_date, period_days=self.period_days,
            n_periods=panel.n_periods + horizon,
        )  # fmt: skip
        cleaned = _clean(panel.values, calendar, m, window, self._periods(self.event_window_days))
        self.uplifts_ = event_tools.learn_uplift(panel.values, cleaned, calendar)
        patterns = demand_patterns(cleaned)
        history_periods = panel.n_periods - panel.start
        established = history_periods >= self._periods(self.min_history_days)
        intermittent = established & patterns.intermittent
        regular = established & ~patterns.intermittent
        families = self._select(cleaned, regular, intermittent, horizon, window)
        forecast = np.zeros((horizon, panel.n_series))
        phi = np.full(panel.n_series, np.nan)
        for columns, selection in families:
            forecast[:, columns] = np.nan_to_num(selection.forecast)
            phi[columns] = dispersion(
                selection.squared_error, selection.forecast_sum, selection.forecast_squares
            )
        groups = _peer_groups(panel.keys, category)
        forecast = newcomer_forecast(
            cleaned, forecast, established, groups, recent=self._periods(self.min_history_days)
        )
        forecast *= event_tools.uplift_factors(calendar, self.uplifts_, panel.n_periods, horizon)
        self.dispersion_ = np.where(
            np.isnan(phi), np.nanmedian(phi) if np.isfinite(phi).any() else 0.0, phi
        )
        self.forecast_ = forecast
        self.dates_ = panel.dates(panel.n_periods, horizon)
        self.models_ = describe_choices(
            panel.keys, category, patterns, families, established, history_periods,
            self.dispersion_, period_days=self.period_days,
        )  # fmt: skip
        return self

    def _check_params(self) -> None:
        if self.period_days < 1 or self.season_length < 1 or self.horizon_days < 1:
            raise DataError("period_days, season_length and horizon_days must be at least 1")
        if not all(0.0 < q < 1.0 for q in self.quantiles):
            raise DataError("quantiles must lie strictly between 0 and 1")

    def _select(
        self,
        cleaned: FloatArray,
        regular: np.ndarray,
        intermittent: np.ndarray,
        horizon: int,
        window: int,
    ) -> list[tuple[np.ndarray, Selection]]:
        """Back-test and forecast the regular and the intermittent series."""
        statistical = 0 < regular.sum() <= self.statistical_max_series
        plans = [
            (regular, (*REGULAR_MODELS, *(STATISTICAL_MODELS if statistical else ()))),
            (intermittent, INTERMITTENT_MODELS),
        ]
        families = []
        for mask, candidates in plans:
            columns = np.flatnonzero(mask)
            if columns.size == 0:
                continue
            selection = select_models(
                cleaned[:, columns], candidates, horizon=horizon, season_length=self.season_length,
                window=window, backtest_periods=self._periods(self.backtest_days),
                backtest_windows=self.backtest_windows,
            )  # fmt: skip
            families.append((columns, selection))
        return families

    def predict(self) -> pl.DataFrame:
        """Forecast frame: one row per series and future period.

        Returns
        -------
        polars.DataFrame
            Key columns, ``date``, ``units_forecast`` (expected units in the period, event
            uplift included), ``units_sd`` and one ``units_q<level>`` column per quantile,
            non-decreasing in the level.
        """
        if not hasattr(self, "forecast_"):
            raise DataError("DemandForecaster.predict() needs fit() first")
        levels = sorted(float(q) for q in self.quantiles)
        mean = self.forecast_
        phi = self.dispersion_[None, :]
        columns = {"units_forecast": mean, "units_sd": demand_sd(mean, phi)}
        previous = np.zeros_like(mean)
        for level, values in zip(
            levels, negative_binomial_quantiles(mean, phi, levels), strict=True
        ):
            previous = np.maximum(previous, values)
            columns[quantile_column(level)] = previous
        return panel_to_frame(self.models_.select(list(self.keys)), self.dates_, columns)


def _series_category(keys: pl.DataFrame, categories: pl.DataFrame | None) -> pl.Series:
    """Category of each series' SKU (null where unknown)."""
    if categories is None or "sku_id" not in keys.columns:
        return pl.Series("category_id", [None] * keys.height, dtype=pl.String)
    mapping = categories.select("sku_id", pl.col("category_id").cast(pl.String)).unique("sku_id")
    return keys.join(mapping, on="sku_id", how="left", maintain_order="left")["category_id"]


def _clean(
    values: FloatArray, calendar: event_tools.EventCalendar, m: int, window: int, around: int
) -> FloatArray:
    """History with past event periods replaced by their base (a copy)."""
    if not calendar.windows:
        return values
    event = calendar.code[: values.shape[0]] >= 0
    index = seasonal_indices(np.where(event, np.nan, values), m, window=window)
    return event_tools.clean_events(values, calendar, index, window=around)


def _peer_groups(keys: pl.DataFrame, category: pl.Series) -> list[np.ndarray]:
    """Peer-group ids: category with the other keys (e.g. region), category alone, all."""
    frame = keys.with_columns(category.alias("_category"))
    others = [c for c in keys.columns if c != "sku_id"]
    narrow = frame.select(pl.struct(["_category", *others]).rank("dense")).to_series()
    wide = frame.select(pl.col("_category").rank("dense")).to_series().fill_null(0)
    return [
        narrow.to_numpy().astype(np.int64) - 1,
        wide.to_numpy().astype(np.int64),
        np.zeros(keys.height, dtype=np.int64),
    ]
