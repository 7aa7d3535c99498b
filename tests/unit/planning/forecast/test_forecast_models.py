"""The building blocks against hand-worked numbers and against statsforecast."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest
from scipy import stats
from statsforecast.models import TSB, CrostonClassic, SeasonalNaive, SimpleExponentialSmoothing

from shopops.planning.forecast import classify_demand, demand_patterns
from shopops.planning.forecast.intermittent import croston, tsb
from shopops.planning.forecast.quantiles import negative_binomial_quantiles
from shopops.planning.forecast.smoothing import seasonal_naive, smooth_level


def _daily(units: list[float], sku: str = "A") -> pl.DataFrame:
    days = [dt.date(2025, 1, 1) + dt.timedelta(days=i) for i in range(len(units))]
    return pl.DataFrame({"sku_id": sku, "region_id": "NYC", "date": days, "units": units})


def test_adi_and_cv2_of_a_hand_worked_series() -> None:
    # From the first sale: 10 days observed, demand on 4 of them: ADI = 10 / 4 = 2.5.
    # Sizes 3, 1, 5, 3: mean 3, population variance (0 + 4 + 4 + 0) / 4 = 2, CV² = 2/9.
    units = [0, 0, 3, 0, 0, 1, 0, 5, 0, 0, 0, 3]
    row = classify_demand(_daily(units)).row(0, named=True)
    assert row["adi"] == pytest.approx(2.5)
    assert row["cv2"] == pytest.approx(2 / 9)
    assert row["demand_pattern"] == "intermittent"
    assert row["intermittent"]


def test_the_four_syntetos_boylan_patterns() -> None:
    columns = {
        "smooth": [5, 6, 5, 4, 6, 5],
        "erratic": [1, 9, 1, 12, 1, 10],
        "intermittent": [4, 0, 0, 5, 0, 4],
        "lumpy": [1, 0, 0, 12, 0, 1],
    }
    values = np.array(list(columns.values()), dtype=np.float64).T
    assert demand_patterns(values).pattern.tolist() == list(columns)


def test_a_series_without_demand_has_no_pattern() -> None:
    patterns = demand_patterns(np.full((5, 1), np.nan))
    assert patterns.pattern.tolist() == ["no_demand"]


@pytest.fixture(scope="module")
def sparse() -> np.ndarray:
    rng = np.random.default_rng(3)
    values = (rng.random((300, 40)) < 0.2) * (1 + rng.poisson(2, (300, 40)))
    values[0] = rng.integers(1, 4, 40)
    return values.astype(np.float64)


def _reference(model: object, values: np.ndarray, horizon: int = 1) -> np.ndarray:
    return np.array(
        [model.forecast(y=values[:, j], h=horizon)["mean"] for j in range(values.shape[1])]  # type: ignore[attr-defined]
    ).T


def test_croston_matches_statsforecast(sparse: np.ndarray) -> None:
    ours = croston(sparse, debiased=False)
    np.testing.assert_allclose(ours, _reference(CrostonClassic(), sparse)[0], rtol=1e-12)


def test_croston_sba_is_croston_times_one_minus_half_alpha(sparse: np.ndarray) -> None:
    np.testing.assert_allclose(croston(sparse), 0.95 * croston(sparse, debiased=False))


def test_tsb_matches_statsforecast(sparse: np.ndarray) -> None:
    ours = tsb(sparse, demand_alpha=0.1, probability_alphas=(0.2,))
    reference = _reference(TSB(alpha_d=0.1, alpha_p=0.2), sparse)[0]
    np.testing.assert_allclose(ours, reference, rtol=1e-12)


def test_ses_and_seasonal_naive_match_statsforecast(sparse: np.ndarray) -> None:
    level = smooth_level(sparse, (0.3,)).level
    reference = _reference(SimpleExponentialSmoothing(alpha=0.3), sparse)[0]
    np.testing.assert_allclose(level, reference, rtol=1e-12)
    naive = seasonal_naive(sparse, 7, 10)
    np.testing.assert_array_equal(naive, _reference(SeasonalNaive(season_length=7), sparse, 10))


def test_negative_binomial_quantiles_match_scipy() -> None:
    rng = np.random.default_rng(5)
    mean = rng.lognormal(0.0, 1.5, 2000)
    phi = rng.uniform(0.0, 1.0, 2000)
    levels = [0.5, 0.9, 0.99]
    ours = negative_binomial_quantiles(mean, phi, levels)
    small = mean <= 40
    for level, values in zip(levels, ours, strict=True):
        size = 1 / np.maximum(phi, 1e-9)
        exact = stats.nbinom.ppf(level, size, size / (size + mean))
        np.testing.assert_array_equal(values[small], exact[small])
        np.testing.assert_allclose(values[~small], exact[~small], rtol=0.05)
