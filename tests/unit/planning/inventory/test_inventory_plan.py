"""From forecast, offers and targets to one explained policy per SKU x warehouse."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

from shopops.errors import DataError
from shopops.planning.inventory import (
    assign_service_targets,
    choose_offers,
    forecast_error_profile,
    plan_inventory,
)
from shopops.planning.inventory.discrete import (
    DailyDemand,
    reorder_point_for_fill_rate,
    rq_shortage_per_day,
)

AS_OF = dt.date(2025, 6, 2)
D = dt.date


def _offers() -> pl.DataFrame:
    rows = [
        # offer, supplier, sku, currency, moq, multiple, lead, sd, from, to, freight, duty, fixed
        ("O1", "S-OK", "A", "CNY", 24, 12, 30.0, 5.0, D(2024, 1, 1), None, 0.5, 0.1, 250.0),
        ("O2", "S-PROB", "A", "USD", 10, 1, 7.0, 1.0, D(2024, 1, 1), None, 0.0, 0.0, 40.0),
        ("O3", "S-BLOCK", "A", "USD", 1, 1, 5.0, 1.0, D(2024, 1, 1), None, 0.0, 0.0, 10.0),
        ("O4", "S-OK", "B", "USD", 6, 6, 10.0, 2.0, D(2024, 1, 1), D(2025, 5, 31), 0.0, 0.0, 50.0),
        ("O5", "S-OK", "B", "USD", 6, 6, 12.0, 2.0, D(2025, 7, 1), None, 0.0, 0.0, 50.0),
        ("O6", "S-OK", "C", "USD", 1, 1, 8.0, 2.0, D(2025, 1, 1), D(2025, 6, 2), 0.2, 0.0, 30.0),
    ]
    columns = ["offer_id", "supplier_id", "sku_id", "currency_code", "moq_units",
               "order_multiple_units", "lead_time_mean_days", "lead_time_sd_days", "valid_from",
               "valid_to", "freight_usd_per_unit", "duty_rate", "fixed_order_cost_usd"]  # fmt: skip
    return pl.DataFrame(rows, schema=columns, orient="row")


def _tiers() -> pl.DataFrame:
    rows = [("O1", 24, 50.0), ("O1", 240, 45.0), ("O2", 10, 8.0), ("O3", 1, 1.0)]
    rows += [("O4", 6, 2.0), ("O5", 6, 2.0), ("O6", 1, 3.0)]
    return pl.DataFrame(rows, schema=["offer_id", "min_quantity_units", "unit_price"], orient="row")


def _currencies() -> pl.DataFrame:
    return pl.DataFrame({"currency_code": ["USD", "CNY"], "usd_per_unit": [1.0, 0.14]})


def _suppliers() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "supplier_id": ["S-OK", "S-PROB", "S-BLOCK"],
            "status": ["approved", "probation", "blocked"],
        }
    )


def test_the_cheapest_landed_offer_valid_today_of_a_supplier_not_blocked_is_chosen() -> None:
    chosen = choose_offers(_offers(), _tiers(), _currencies(), _suppliers(), as_of=AS_OF)
    by_sku = {row["sku_id"]: row for row in chosen.iter_rows(named=True)}
    assert set(by_sku) == {"A", "C"}  # B has no offer valid on the day
    a = by_sku["A"]
    # O1 landed: 50 CNY x 0.14 x 1.1 + 0.5 = 8.20 per unit; O2: 8.00; O3 is blocked
    assert a["offer_id"] == "O2"
    assert a["supplier_status"] == "probation"
    assert a["landed_unit_cost_usd"] == pytest.approx(8.0)
    assert a["usable_offers"] == 2
    assert by_sku["C"]["tier_unit_price_usd"] == pytest.approx([3.2])


def test_landed_tiers_convert_currency_and_add_duty_and_freight() -> None:
    offers = _offers().filter(pl.col("offer_id") == "O1")
    chosen = choose_offers(offers, _tiers(), _currencies(), _suppliers(), as_of=AS_OF)
    assert chosen["tier_min_quantity_units"][0].to_list() == [24.0, 240.0]
    assert chosen["tier_unit_price_usd"][0].to_list() == pytest.approx(
        [50 * 0.14 * 1.1 + 0.5, 45 * 0.14 * 1.1 + 0.5]
    )


def _targets() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "abc_class": ["A", "A", None, None],
            "xyz_class": ["X", None, "Z", None],
            "measure": ["fill_rate", "fill_rate", "cycle_service_level", "fill_rate"],
            "target": [0.99, 0.97, 0.8, 0.9],
        }
    )


def test_the_most_specific_service_target_applies() -> None:
    rows = pl.DataFrame(
        {"abc_class": ["A", "A", "B", "B", None], "xyz_class": ["X", "Y", "Z", "X", None]}
    )
    assigned = assign_service_targets(rows, _targets())
    assert assigned["service_target"].to_list() == [0.99, 0.97, 0.8, 0.9, 0.9]
    assert assigned["service_measure"][2] == "cycle_service_level"


def test_bad_service_targets_are_refused() -> None:
    rows = pl.DataFrame({"abc_class": ["A"], "xyz_class": ["X"]})
    for bad in (_targets().with_columns(pl.lit(1.0).alias("target")),
                _targets().with_columns(pl.lit("speed").alias("measure"))):  # fmt: skip
        with pytest.raises(DataError):
            assign_service_targets(rows, bad)


def _forecast(rates: dict[tuple[str, str], float], days: int = 28) -> pl.DataFrame:
    rows = [
        (sku, warehouse, AS_OF + dt.timedelta(days=d), rate, (rate + 0.5 * rate * rate) ** 0.5)
        for (sku, warehouse), rate in rates.items()
        for d in range(days)
    ]
    columns = ["sku_id", "warehouse_id", "date", "units_forecast", "units_sd"]
    return pl.DataFrame(rows, schema=columns, orient="row")


def _classes() -> pl.DataFrame:
    return pl.DataFrame({"sku_id": ["A", "B", "C"], "abc_class": ["A", "B", "C"],
                         "xyz_class": ["X", "Y", "Z"]})  # fmt: skip


def _plan(**options: object) -> pl.DataFrame:
    forecast = _forecast({("A", "W1"): 40.0, ("A", "W2"): 0.3, ("B", "W1"): 2.0, ("C", "W2"): 1.0})
    return plan_inventory(
        forecast, _offers(), _tiers(), _currencies(), _suppliers(), _classes(), _targets(),
        as_of=AS_OF, **options,  # type: ignore[arg-type]
    )  # fmt: skip


def test_every_forecast_row_is_planned_or_says_why_not() -> None:
    plan = _plan()
    assert plan.select("sku_id", "warehouse_id").rows() == [
        ("A", "W1"), ("A", "W2"), ("B", "W1"), ("C", "W2")
    ]  # fmt: skip
    status = dict(zip(plan["sku_id"] + plan["warehouse_id"], plan["policy_status"], strict=True))
    assert status == {"AW1": "planned", "AW2": "planned", "BW1": "no_usable_offer",
                      "CW2": "planned"}  # fmt: skip
    b = plan.filter(pl.col("sku_id") == "B").row(0, named=True)
    assert b["reorder_point_units"] is None
    assert "no offer" in b["explanation"]


def test_a_planned_row_keeps_its_inputs_and_explains_itself() -> None:
    a = _plan().filter(pl.col("warehouse_id") == "W1").row(0, named=True)
    assert a["offer_id"] == "O2"
    assert a["demand_mean_units_per_day"] == pytest.approx(40.0)
    assert a["service_measure"] == "fill_rate"
    assert a["fill_rate"] == 0.99
    assert a["lead_time_mean_days"] == 7.0  # the offer's; half a day of nightly review on top
    assert a["lead_time_demand_mean_units"] == pytest.approx(40.0 * 7.5)
    assert a["order_quantity_units"] % 1 == 0
    assert a["order_quantity_units"] >= 10
    assert a["order_up_to_level_units"] == pytest.approx(
        a["reorder_point_units"] + a["order_quantity_units"]
    )
    assert a["fill_rate_achieved"] >= 0.99 - 1e-9
    assert a["explanation"].startswith("A/X fill rate 0.99: 40.0 units/day (sd ")
    assert "O2 (S-PROB, probation)" in a["explanation"]


def test_cycle_service_rows_meet_their_target_and_no_level_is_negative_with_lost_sales() -> None:
    plan = _plan(discrete_below_units=np.inf)
    c = plan.filter(pl.col("sku_id") == "C").row(0, named=True)
    assert c["service_measure"] == "cycle_service_level"
    assert c["cycle_service_level_achieved"] >= 0.8
    planned = plan.filter(pl.col("policy_status") == "planned")
    assert (planned["reorder_point_units"] >= 0).all()
    assert set(planned["policy_model"]) == {"discrete"}


def test_periodic_review_sets_an_order_up_to_level_and_no_reorder_point() -> None:
    plan = _plan(review_period_days=7).filter(pl.col("policy_status") == "planned")
    assert plan["reorder_point_units"].is_nan().all()
    assert (plan["order_up_to_level_units"] > 0).all()
    assert plan["explanation"].str.contains("review every 7").all()


def test_back_tested_errors_widen_the_spread_and_add_unforecast_demand() -> None:
    profile = pl.DataFrame(
        {"horizon_days": [7, 28], "series": [10, 10], "unforecast_units": [0.7, 2.8],
         "extra_units2": [1.4, 5.6], "noise_factor": [2.0, 2.0],
         "level_dispersion": [0.04, 0.04]}
    )  # fmt: skip
    a = _plan(forecast_errors=profile).filter(pl.col("warehouse_id") == "W1").row(0, named=True)
    days = 7.5  # protection interval of the row: lead time and half a day
    assert a["forecast_mean_units_per_day"] == pytest.approx(40.0)
    assert a["demand_mean_units_per_day"] == pytest.approx(40.1)
    variance = 0.2 * days + 2.0 * 40 * days + 0.04 * (40 * days) ** 2
    assert a["demand_sd_units_per_day"] == pytest.approx((variance / days) ** 0.5)


def test_the_error_profile_recovers_a_known_level_error() -> None:
    rng = np.random.default_rng(1)
    series, days = 3000, 28
    rate = rng.gamma(1.0, 5.0, series)
    level = rng.normal(1.0, 0.2, series)  # each series' level is 20 % off for the whole window
    actual = rng.poisson(np.clip(rate * level, 0, None)[:, None], (series, days))
    frame = pl.DataFrame(
        {
            "sku_id": np.repeat(np.arange(series), days).astype(str),
            "warehouse_id": "W",
            "origin": AS_OF,
            "date": np.tile(np.arange(days), series),
            "units": actual.reshape(-1).astype(float),
            "units_forecast": np.repeat(rate, days),
        }
    )
    profile = forecast_error_profile(frame, horizons=(7, 28))
    row = profile.filter(pl.col("horizon_days") == 28).row(0, named=True)
    assert row["level_dispersion"] == pytest.approx(0.04, rel=0.2)
    assert row["noise_factor"] == pytest.approx(1.0, abs=0.3)
    assert row["unforecast_units"] == pytest.approx(0.0, abs=0.5)


def test_discrete_reorder_point_is_the_smallest_that_meets_the_fill_rate() -> None:
    demand = DailyDemand(np.full(3, 0.4), np.full(3, 0.9), np.full(3, 20.0), np.full(3, 3.0))
    q, beta = np.array([5.0, 20.0, 60.0]), np.array([0.95, 0.95, 0.9])
    r = reorder_point_for_fill_rate(demand, q, beta, np.zeros(3))

    def fill(level: np.ndarray) -> np.ndarray:
        return 1.0 - rq_shortage_per_day(level, q, demand) / 0.4

    assert (fill(r) >= beta).all()
    assert ((fill(r - 1.0) < beta) | (r == 0)).all()
    assert r[0] >= r[1] >= r[2]  # larger orders leave fewer cycles to stock out in


@pytest.mark.parametrize("centre", [-50.0, 0.0, 3.0, 40.0, np.nan])
def test_a_guess_narrows_the_search_without_changing_the_answer(centre: float) -> None:
    demand = DailyDemand(np.full(3, 0.4), np.full(3, 0.9), np.full(3, 20.0), np.full(3, 3.0))
    q, beta, lowest = np.array([5.0, 20.0, 60.0]), np.array([0.95, 0.95, 0.9]), np.zeros(3)
    plain = reorder_point_for_fill_rate(demand, q, beta, lowest)
    guess = (np.full(3, centre), np.full(3, 2.0))
    assert reorder_point_for_fill_rate(demand, q, beta, lowest, guess).tolist() == plain.tolist()
