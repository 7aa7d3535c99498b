"""Weighted scores and standings, on warehouse metrics worked by hand.

Warehouse scorecard: on_time_dispatch scores as is, damage_rate as 1 - rate; the cost and
units per order are reported, not scored. Thresholds: warn below 0.8, block below 0.6.

======  =======  ========  ======  =================  ==============  ========
wh      period   on time   damage  scores             equal weights   standing
======  =======  ========  ======  =================  ==============  ========
W1      Jan      0.9       0.1     0.9, 0.9           0.9             good
W1      Feb      0.7       0.2     0.7, 0.8           0.75            warn
W2      Jan      0.5       none    0.5, left out      0.5             block
W2      Feb      none      none    -                  none            none
======  =======  ========  ======  =================  ==============  ========

With weights 3 (on time) and 1 (damage): W1 Jan (2.7 + 0.9) / 4 = 0.9, W1 Feb
(2.1 + 0.8) / 4 = 0.725, W2 Jan renormalised to on time alone = 0.5.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from shopops.analytics.scorecards import (
    SUPPLIER_METRICS,
    describe_metrics,
    metric_weights,
    score,
)
from shopops.errors import DataError

JAN, FEB = dt.date(2025, 1, 1), dt.date(2025, 2, 1)
THRESHOLDS = {"warn_below": 0.8, "block_below": 0.6}


def _warehouse_metrics() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "warehouse_id": ["W1", "W1", "W2", "W2"],
            "period_start": [JAN, FEB, JAN, FEB],
            "on_time_dispatch": [0.9, 0.7, 0.5, None],
            "damage_rate": [0.1, 0.2, None, None],
            "cost_per_order_usd": [3.0, 2.5, 4.0, None],
            "units_per_order": [1.5, 2.0, 1.0, None],
        }
    )


def _weights(rows: list[tuple[str, str, float]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=["scorecard", "metric", "weight"], orient="row")


def test_equal_weights_without_rows_and_metrics_without_data_left_out() -> None:
    scored = score(_warehouse_metrics(), None, "warehouse", **THRESHOLDS)
    assert scored["on_time_dispatch_score"].to_list() == pytest.approx([0.9, 0.7, 0.5, None])
    assert scored["damage_rate_score"].to_list() == pytest.approx([0.9, 0.8, None, None])
    assert scored["score"].to_list() == pytest.approx([0.9, 0.75, 0.5, None])
    assert scored["standing"].to_list() == ["good", "warn", "block", None]
    assert "cost_per_order_usd_score" not in scored.columns


def test_user_weights_and_renormalisation() -> None:
    weights = _weights([("warehouse", "on_time_dispatch", 3.0), ("warehouse", "damage_rate", 1.0)])
    scored = score(_warehouse_metrics(), weights, "warehouse", **THRESHOLDS)
    assert scored["score"].to_list() == pytest.approx([0.9, 0.725, 0.5, None])
    assert scored["standing"].to_list() == ["good", "warn", "block", None]


def test_a_metric_without_a_weight_gets_the_mean_of_those_set() -> None:
    one_set = _weights([("warehouse", "on_time_dispatch", 3.0), ("carrier", "exception_rate", 9.0)])
    assert metric_weights(one_set, "warehouse") == {"on_time_dispatch": 3.0, "damage_rate": 3.0}
    scored = score(_warehouse_metrics(), one_set, "warehouse", **THRESHOLDS)
    assert scored["score"].to_list() == pytest.approx([0.9, 0.75, 0.5, None])


def test_zero_weight_leaves_a_metric_out_of_the_score() -> None:
    weights = _weights([("warehouse", "on_time_dispatch", 0.0), ("warehouse", "damage_rate", 1.0)])
    scored = score(_warehouse_metrics(), weights, "warehouse", **THRESHOLDS)
    # W2 Jan has data only for the zero-weighted metric: no score at all.
    assert scored["score"].to_list() == pytest.approx([0.9, 0.8, None, None])


def test_standing_thresholds_are_strictly_below() -> None:
    frame = _warehouse_metrics().with_columns(
        on_time_dispatch=pl.Series([0.8, 0.6, 0.59999, 1.0]), damage_rate=pl.lit(None)
    )
    scored = score(frame, None, "warehouse", warn_below=0.8, block_below=0.6)
    assert scored["standing"].to_list() == ["good", "warn", "block", "good"]


def _supplier_row(**values: float | None) -> pl.DataFrame:
    row: dict[str, float | None] = {m.name: None for m in SUPPLIER_METRICS}
    row.update(values)
    return pl.DataFrame([row], schema=dict.fromkeys(row, pl.Float64))


def test_tolerance_rules() -> None:
    frame = pl.concat(
        [
            _supplier_row(lead_time_deviation_days=-3.5, lead_time_sd_days=14.0),
            _supplier_row(price_variance_to_contract=0.05, defect_rate=0.02),
            _supplier_row(price_variance_to_contract=-0.05, invoice_accuracy=0.75),
        ]
    )
    scored = score(frame, None, "supplier", **THRESHOLDS)
    # |-3.5| / 7 -> 0.5; sd 14 >= 7 -> 0; (0.5 + 0) / 2
    assert scored["lead_time_deviation_days_score"][0] == pytest.approx(0.5)
    assert scored["lead_time_sd_days_score"][0] == pytest.approx(0.0)
    assert scored["score"][0] == pytest.approx(0.25)
    # overpaying 5 % of a 10 % tolerance -> 0.5; underpaying -> 1
    assert scored["price_variance_to_contract_score"].to_list()[1:] == pytest.approx([0.5, 1.0])
    assert scored["score"].to_list()[1:] == pytest.approx([(0.5 + 0.98) / 2, (1 + 0.75) / 2])
    tighter = score(
        frame, None, "supplier", tolerances={"lead_time_deviation_days": 3.5}, **THRESHOLDS
    )
    assert tighter["lead_time_deviation_days_score"][0] == pytest.approx(0.0)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([("warehouse", "speed", 1.0)], "no scored metric 'speed'"),
        ([("warehouse", "cost_per_order_usd", 1.0)], "no scored metric 'cost_per_order_usd'"),
        ([("warehouse", "damage_rate", -1.0)], "must be >= 0"),
    ],
)
def test_bad_weights_are_refused(rows: list[tuple[str, str, float]], message: str) -> None:
    with pytest.raises(DataError, match=message):
        score(_warehouse_metrics(), _weights(rows), "warehouse", **THRESHOLDS)


def test_bad_calls_are_refused() -> None:
    with pytest.raises(ValueError, match="block_below <= warn_below"):
        score(_warehouse_metrics(), None, "warehouse", warn_below=0.5, block_below=0.6)
    with pytest.raises(DataError, match="lacks the metric columns damage_rate"):
        score(_warehouse_metrics().drop("damage_rate"), None, "warehouse", **THRESHOLDS)
    with pytest.raises(ValueError, match="no scorecard 'shop'"):
        score(_warehouse_metrics(), None, "shop", **THRESHOLDS)
    with pytest.raises(ValueError, match="tolerance for"):
        score(_warehouse_metrics(), None, "warehouse", tolerances={"speed": 1.0}, **THRESHOLDS)


def test_registry_renders_every_metric_with_its_scoring() -> None:
    table = describe_metrics("carrier")
    assert table["metric"].to_list() == [
        "on_time_delivery",
        "exception_rate",
        "cost_per_parcel_usd",
        "contract_cost_per_parcel_usd",
        "cost_variance_to_contract",
    ]
    assert table["scoring"].to_list() == [
        "score = value",
        "score = 1 - value",
        "reported, not scored",
        "reported, not scored",
        "score = 1 - clip(value / 0.1, 0, 1)",
    ]
    assert table["direction"][0] == "higher is better"
    assert describe_metrics("supplier").height == 9
