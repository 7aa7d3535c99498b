"""ABC by consumption value and XYZ by weekly variability, on a catalogue worked by hand.

Four weeks (28 days from Monday 6 January 2025) of demand:

=====  ======================  =========  ==========  =====  ======  ====  =====
SKU    units per week          unit cost  value 4 wk  share  cum.    ABC   XYZ
=====  ======================  =========  ==========  =====  ======  ====  =====
S1     10, 10, 10, 10          7.50       300         0.60   0.60    A     X (cv 0)
S2     0, 20, 0, 20            3.75       150         0.30   0.90    A     Y (cv 1)
S3     5, 5, 10, 0             2.00        40         0.08   0.98    B     Y (cv 0.707)
S4     0, 0, 0, 8              1.25        10         0.02   1.00    C     Z (cv 1.732)
S5     none                    3.00         0         0      1.00    C     Z (no demand)
=====  ======================  =========  ==========  =====  ======  ====  =====

S2 crosses 80 % and so still belongs to A (the SKUs above it make up 60 %); S3 crosses
95 % from 90 %, so it is B. Annual figures scale four weeks to 365 days.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from shopops.errors import DataError
from shopops.planning.classification import classify_abc_xyz

MONDAY = dt.date(2025, 1, 6)


def _week(n: int, day: int = 0) -> dt.date:
    return MONDAY + dt.timedelta(days=7 * n + day)


def _demand() -> pl.DataFrame:
    rows = [("S1", _week(w), 10) for w in range(4)]
    rows += [("S2", _week(1, 2), 12), ("S2", _week(1, 5), 8), ("S2", _week(3), 20)]
    rows += [("S3", _week(0), 5), ("S3", _week(1), 5), ("S3", _week(2, 3), 10)]
    rows += [("S4", _week(3, 6), 8)]  # Sunday 2 February: the last day of the span
    return pl.DataFrame(rows, schema=["sku_id", "date", "units"], orient="row")


def _skus() -> pl.DataFrame:
    return pl.DataFrame(
        {"sku_id": ["S1", "S2", "S3", "S4", "S5"], "unit_cost_usd": [7.5, 3.75, 2.0, 1.25, 3.0]}
    )


def test_classes_shares_and_variability_match_the_hand_worked_table() -> None:
    table = classify_abc_xyz(_demand(), _skus())
    assert table["sku_id"].to_list() == ["S1", "S2", "S3", "S4", "S5"]
    assert table["abc_class"].to_list() == ["A", "A", "B", "C", "C"]
    assert table["xyz_class"].to_list() == ["X", "Y", "Y", "Z", "Z"]
    assert table["value_share"].to_list() == pytest.approx([0.6, 0.3, 0.08, 0.02, 0.0])
    assert table["cumulative_value_share"].to_list() == pytest.approx([0.6, 0.9, 0.98, 1, 1])
    assert table["weekly_cv"].to_list()[:4] == pytest.approx([0.0, 1.0, 0.5**0.5, 3**0.5])
    assert table["weekly_cv"][4] is None


def test_annual_figures_scale_the_span_to_a_year() -> None:
    table = classify_abc_xyz(_demand(), _skus())
    s1 = table.row(0, named=True)
    assert s1["annual_units"] == pytest.approx(40 * 365 / 28)
    assert s1["annual_value_usd"] == pytest.approx(300 * 365 / 28)
    assert s1["weekly_mean_units"] == 10.0
    assert s1["weekly_sd_units"] == 0.0


def test_thresholds_are_parameters() -> None:
    table = classify_abc_xyz(_demand(), _skus(), a_share=0.5, b_share=0.99, x_cv=1.0, y_cv=2.0)
    assert table["abc_class"].to_list() == ["A", "B", "B", "B", "C"]
    assert table["xyz_class"].to_list() == ["X", "X", "X", "Y", "Z"]


def test_value_column_and_units_column_can_be_named() -> None:
    demand = _demand().rename({"units": "quantity_units"})
    skus = _skus().rename({"unit_cost_usd": "price_usd"})
    table = classify_abc_xyz(demand, skus, value_column="price_usd", units_column="quantity_units")
    assert table["abc_class"].to_list() == ["A", "A", "B", "C", "C"]


def test_inconsistent_thresholds_are_refused() -> None:
    with pytest.raises(DataError):
        classify_abc_xyz(_demand(), _skus(), a_share=0.9, b_share=0.8)
