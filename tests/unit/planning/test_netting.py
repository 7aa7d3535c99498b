"""Net requirements: hand-worked single SKUs, and the vectorised walk against a plain loop."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import numpy as np
import polars as pl
import pytest

from shopops.errors import DataError
from shopops.planning.netting import NetRequirements, net_requirements

AS_OF = dt.date(2026, 3, 2)  # a Monday
DAY = dt.timedelta(days=1)
SUPPLY_SCHEMA = {
    "sku_id": pl.String,
    "warehouse_id": pl.String,
    "expected_date": pl.Date,
    "open_units": pl.Int64,
}


def _policy(sku: str = "A", **values: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "sku_id": sku,
        "warehouse_id": "W1",
        "policy_status": "planned",
        "safety_stock_units": 30.0,
        "reorder_point_units": 100.0,
        "order_up_to_level_units": 300.0,
        "order_quantity_units": 50.0,
        "lead_time_mean_days": 7.0,
    }
    return row | values


def _policies(*rows: dict[str, Any]) -> pl.DataFrame:
    schema = {"sku_id": pl.String, "warehouse_id": pl.String, "policy_status": pl.String}
    floats = {name: pl.Float64 for name in _policy() if name not in schema}
    return pl.DataFrame(list(rows), schema=schema | floats)


def _stock(on_hand: int, reserved: int = 0, sku: str = "A") -> pl.DataFrame:
    return pl.DataFrame(
        {
            "sku_id": [sku],
            "warehouse_id": ["W1"],
            "on_hand_units": [on_hand],
            "reserved_units": [reserved],
        }
    )


def _supply(*lines: tuple[dt.date, int]) -> pl.DataFrame:
    rows = [
        {"sku_id": "A", "warehouse_id": "W1", "expected_date": d, "open_units": u} for d, u in lines
    ]
    return pl.DataFrame(rows, schema=SUPPLY_SCHEMA)


def _forecast(weekly_units: float, weeks: int, sku: str = "A") -> pl.DataFrame:
    return pl.DataFrame(
        {
            "sku_id": [sku] * weeks,
            "warehouse_id": ["W1"] * weeks,
            "week_start": [AS_OF + 7 * k * DAY for k in range(weeks)],
            "units": [weekly_units] * weeks,
        }
    )


def _net(
    policies: pl.DataFrame,
    stock: pl.DataFrame,
    supply: pl.DataFrame,
    *,
    horizon_days: int,
    weeks: int = 10,
) -> NetRequirements:
    return net_requirements(
        policies, stock, supply, _forecast(70.0, weeks), as_of=AS_OF, horizon_days=horizon_days
    )


def test_constant_demand_orders_when_the_position_reaches_the_reorder_point() -> None:
    # 70 a week = 10 a day. IP(t) = 200 - 10 (t + 1) <= 100 first at t = 9 (IP 100): 2026-03-11.
    # Quantity max(300 - 100, 50) = 200. Need-by 9 + 7 = day 16 (2026-03-18); on hand there
    # 200 - 170 = 30, not below the safety stock 30. After it IP = 400 - 10 (t + 1) > 100
    # for the rest of the 14 days: one requirement.
    result = _net(_policies(_policy()), _stock(200), _supply(), horizon_days=14)
    (row,) = result.requirements.to_dicts()
    assert row == {
        "requirement_id": 1,
        "sku_id": "A",
        "warehouse_id": "W1",
        "order_by_date": dt.date(2026, 3, 11),
        "need_by_date": dt.date(2026, 3, 18),
        "quantity_units": 200,
        "projected_position_units": 100.0,
        "projected_on_hand_units": 30.0,
        "urgent": False,
        "explanation": "stock position 100 falls to the reorder point 100 on 2026-03-11; "
        "ordering 200 up to 300; needed by 2026-03-18 (lead time 7 days)",
    }
    assert result.skipped.height == 0


def test_projection_shows_on_hand_and_position_with_the_requirement_in() -> None:
    # Position: 190 on day 0, 100 + 200 = 300 on day 9 (the order), 250 on day 13.
    # On hand: 200 - 10 (t + 1) until day 15 (40), then 30 + 200 = 230 on day 16.
    result = _net(_policies(_policy()), _stock(200), _supply(), horizon_days=20)
    projection = result.projection
    assert projection.height == 20
    assert projection.get_column("date").to_list() == [AS_OF + k * DAY for k in range(20)]
    position = projection.get_column("position_units").to_list()
    on_hand = projection.get_column("on_hand_units").to_list()
    assert (position[0], position[8], position[9], position[13]) == (190.0, 110.0, 300.0, 260.0)
    assert (on_hand[0], on_hand[15], on_hand[16], on_hand[19]) == (190.0, 40.0, 230.0, 200.0)


def test_an_open_purchase_order_postpones_the_requirement() -> None:
    # A PO of 100 due 2026-03-09 (day 7) joins the position at once: IP(t) = 300 - 10 (t + 1)
    # <= 100 first at t = 19 (2026-03-21) instead of day 9. Quantity 300 - 100 = 200,
    # need-by day 26 (2026-03-28), on hand there 200 + 100 - 270 = 30.
    result = _net(
        _policies(_policy()), _stock(200), _supply((AS_OF + 7 * DAY, 100)), horizon_days=28
    )
    (row,) = result.requirements.to_dicts()
    assert row["order_by_date"] == dt.date(2026, 3, 21)
    assert row["need_by_date"] == dt.date(2026, 3, 28)
    assert row["quantity_units"] == 200
    assert row["projected_on_hand_units"] == pytest.approx(30.0)
    on_hand = result.projection.get_column("on_hand_units").to_list()
    assert (on_hand[6], on_hand[7]) == (130.0, 220.0)  # 200 - 70; 200 + 100 - 80


def test_supply_due_after_the_horizon_counts_in_the_position_only() -> None:
    # A PO of 100 due on day 40, horizon 14: IP(t) = 300 - 10 (t + 1) stays above 100 (no
    # requirement), while on hand falls 200 - 10 (t + 1) to 60 on day 13.
    result = _net(
        _policies(_policy()), _stock(200), _supply((AS_OF + 40 * DAY, 100)), horizon_days=14
    )
    assert result.requirements.height == 0
    assert result.projection.get_column("on_hand_units")[13] == 60.0
    assert result.projection.get_column("position_units")[13] == 160.0


def test_an_overdue_purchase_order_counts_as_arriving_today() -> None:
    # On hand 20 with a PO of 100 due 2026-02-20 (overdue): received on 2026-03-02, on hand
    # 120 - 10 = 110 at its end. IP(t) = 120 - 10 (t + 1) <= 100 first at t = 1 (2026-03-03),
    # quantity 300 - 100 = 200. On hand 110 - 10 s stays at or above 30 through day 8:
    # need-by 1 + 7 = day 8 (2026-03-10), on hand there 30, not urgent.
    result = _net(
        _policies(_policy()), _stock(20), _supply((AS_OF - 10 * DAY, 100)), horizon_days=10
    )
    (row,) = result.requirements.to_dicts()
    assert row["order_by_date"] == dt.date(2026, 3, 3)
    assert row["need_by_date"] == dt.date(2026, 3, 10)
    assert row["quantity_units"] == 200
    assert row["urgent"] is False
    assert row["explanation"] == (
        "stock position 100 falls to the reorder point 100 on 2026-03-03; ordering 200 up to "
        "300; needed by 2026-03-10 (lead time 7 days); counting 100 overdue units as received "
        "on 2026-03-02"
    )
    assert result.projection.get_column("on_hand_units")[0] == 110.0


def test_reserved_stock_is_not_available() -> None:
    # On hand 250 with 50 reserved is the 200 of the constant-demand case: order on day 9.
    result = _net(_policies(_policy()), _stock(250, reserved=50), _supply(), horizon_days=14)
    (row,) = result.requirements.to_dicts()
    assert row["order_by_date"] == dt.date(2026, 3, 11)
    assert row["quantity_units"] == 200
    assert result.projection.get_column("on_hand_units")[0] == 190.0


def test_a_long_horizon_gets_a_requirement_every_cycle() -> None:
    # No order-up-to level: order 150 each time. IP(t) = 200 + 150 k - 10 (t + 1) reaches 100
    # on days 9, 24, 39 and 54 (every 150 / 10 = 15 days); each needed 7 days later with
    # on hand exactly 30 then. A 56-day horizon holds four.
    policy = _policy(order_up_to_level_units=None, order_quantity_units=150.0)
    result = _net(_policies(policy), _stock(200), _supply(), horizon_days=56)
    frame = result.requirements
    assert frame.get_column("requirement_id").to_list() == [1, 2, 3, 4]
    assert frame.get_column("order_by_date").to_list() == [
        dt.date(2026, 3, 11),
        dt.date(2026, 3, 26),
        dt.date(2026, 4, 10),
        dt.date(2026, 4, 25),
    ]
    assert frame.get_column("need_by_date").to_list() == [
        dt.date(2026, 3, 18),
        dt.date(2026, 4, 2),
        dt.date(2026, 4, 17),
        dt.date(2026, 5, 2),
    ]
    assert frame.get_column("quantity_units").to_list() == [150] * 4
    assert frame.get_column("projected_on_hand_units").to_list() == pytest.approx([30.0] * 4)
    assert frame.get_column("explanation")[1] == (
        "stock position 100 falls to the reorder point 100 on 2026-03-26; ordering 150 "
        "(order quantity), position 250; needed by 2026-04-02 (lead time 7 days)"
    )


def test_an_order_quantity_alone_is_ordered_in_multiples_that_clear_the_reorder_point() -> None:
    # IP(0) = 20 - 10 = 10, 90 below the reorder point 100: one lot of 50 leaves 60, two leave
    # 110 > 100, so 100 units.
    policy = _policy(order_up_to_level_units=None, order_quantity_units=50.0)
    result = _net(_policies(policy), _stock(20), _supply(), horizon_days=1)
    assert result.requirements.get_column("quantity_units").to_list() == [100]


def test_stock_already_below_safety_stock_is_needed_today_and_urgent() -> None:
    # On hand 20 < safety stock 30. IP(0) = 20 - 10 = 10 <= 100: order 300 - 10 = 290 today,
    # needed today (on hand 10 < 30), before the 7-day lead time ends: urgent.
    result = _net(_policies(_policy()), _stock(20), _supply(), horizon_days=14)
    (row,) = result.requirements.to_dicts()
    assert row["order_by_date"] == AS_OF
    assert row["need_by_date"] == AS_OF
    assert row["quantity_units"] == 290
    assert row["projected_on_hand_units"] == 10.0
    assert row["urgent"] is True
    assert row["explanation"] == (
        "stock position 10 is already at or below the reorder point 100 on 2026-03-02; "
        "ordering 290 up to 300; needed by 2026-03-02, when on hand 10 falls below the "
        "safety stock 30, inside the 7-day lead time: urgent"
    )
    assert result.projection.get_column("on_hand_units")[0] == 300.0


def test_a_shortfall_inside_the_lead_time_brings_the_need_by_date_forward() -> None:
    # On hand 60: IP(0) = 50 <= 100, order 250 today. On hand 60 - 10 (s + 1) falls below 30
    # on day 3 (20), four days before the lead time ends: needed 2026-03-05, urgent.
    result = _net(_policies(_policy()), _stock(60), _supply(), horizon_days=5)
    (row,) = result.requirements.to_dicts()
    assert (row["need_by_date"], row["projected_on_hand_units"]) == (dt.date(2026, 3, 5), 20.0)
    assert (row["quantity_units"], row["urgent"]) == (250, True)


def test_rows_without_a_planned_policy_are_skipped_with_the_reason() -> None:
    policies = _policies(
        _policy("A"),
        _policy("B", policy_status="no_usable_offer", reorder_point_units=None),
        _policy("C", reorder_point_units=None),
        _policy("D", lead_time_mean_days=None),
        _policy("E", order_up_to_level_units=None, order_quantity_units=None),
    )
    stock = pl.concat([_stock(0, sku=s) for s in "ABCDE"])
    result = _net(policies, stock, _supply(), horizon_days=7)
    assert result.skipped.rows() == [
        ("B", "W1", "no_usable_offer"),
        ("C", "W1", "no_reorder_point"),
        ("D", "W1", "no_lead_time"),
        ("E", "W1", "no_order_quantity"),
    ]
    assert result.requirements.get_column("sku_id").to_list() == ["A"]
    assert set(result.projection.get_column("sku_id")) == {"A"}


def test_projection_can_be_limited_to_chosen_skus() -> None:
    policies = _policies(_policy("A"), _policy("B"))
    stock = pl.concat([_stock(200, sku="A"), _stock(200, sku="B")])
    result = net_requirements(
        policies,
        stock,
        _supply(),
        pl.concat([_forecast(70.0, 3, "A"), _forecast(70.0, 3, "B")]),
        as_of=AS_OF,
        horizon_days=14,
        projection_skus=["B"],
    )
    assert result.requirements.get_column("sku_id").to_list() == ["A", "B"]
    assert result.projection.height == 14
    assert set(result.projection.get_column("sku_id")) == {"B"}


def test_bad_inputs_are_refused() -> None:
    stock, supply = _stock(10), _supply()
    with pytest.raises(DataError, match="lead_time_mean_days"):
        _net(_policies(_policy()).drop("lead_time_mean_days"), stock, supply, horizon_days=7)
    with pytest.raises(DataError, match="more than one row"):
        _net(_policies(_policy(), _policy()), stock, supply, horizon_days=7)
    with pytest.raises(DataError, match="horizon"):
        _net(_policies(_policy()), stock, supply, horizon_days=0)


# --- the same rules, one row and one day at a time -------------------------------------------

EPS = 1e-9


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value))


def _reference(
    policies: pl.DataFrame,
    stock: pl.DataFrame,
    supply: pl.DataFrame,
    forecast: pl.DataFrame,
    as_of: dt.date,
    horizon: int,
) -> tuple[list[dict[str, Any]], dict[tuple[str, str, dt.date], tuple[float, float]]]:
    """Requirements (sorted by key and day) and the daily projection, written out plainly."""
    daily: dict[tuple[str, str], dict[dt.date, float]] = defaultdict(lambda: defaultdict(float))
    for f in forecast.iter_rows(named=True):
        for k in range(7):
            daily[f["sku_id"], f["warehouse_id"]][f["week_start"] + k * DAY] += f["units"] / 7
    available: dict[tuple[str, str], float] = defaultdict(float)
    for s in stock.iter_rows(named=True):
        available[s["sku_id"], s["warehouse_id"]] += s["on_hand_units"] - s["reserved_units"]
    lines: dict[tuple[str, str], list[tuple[int, float]]] = defaultdict(list)
    for line in supply.iter_rows(named=True):
        day = max((line["expected_date"] - as_of).days, 0)
        lines[line["sku_id"], line["warehouse_id"]].append((day, float(line["open_units"])))
    requirements: list[dict[str, Any]] = []
    projection: dict[tuple[str, str, dt.date], tuple[float, float]] = {}
    for p in policies.sort("sku_id", "warehouse_id").iter_rows(named=True):
        fields = ("reorder_point_units", "lead_time_mean_days")
        if p["policy_status"] != "planned" or any(_missing(p[f]) for f in fields):
            continue
        if _missing(p["order_up_to_level_units"]) and _missing(p["order_quantity_units"]):
            continue
        key = (p["sku_id"], p["warehouse_id"])
        found = _reference_row(p, available[key], lines[key], daily[key], as_of, horizon)
        requirements += found[0]
        projection |= {(*key, as_of + t * DAY): v for t, v in enumerate(found[1])}
    return requirements, projection


def _reference_row(
    p: dict[str, Any],
    available: float,
    lines: list[tuple[int, float]],
    daily: dict[dt.date, float],
    as_of: dt.date,
    horizon: int,
) -> tuple[list[dict[str, Any]], list[tuple[float, float]]]:
    lead = round(p["lead_time_mean_days"])
    safety = 0.0 if _missing(p["safety_stock_units"]) else p["safety_stock_units"]
    rop, up_to = p["reorder_point_units"], p["order_up_to_level_units"]
    lot = 0.0 if _missing(p["order_quantity_units"]) else p["order_quantity_units"]
    demand_through: list[float] = []
    total = 0.0
    for t in range(horizon + lead + 1):
        total += daily.get(as_of + t * DAY, 0.0)
        demand_through.append(total)
    arrivals: list[tuple[int, int]] = []

    def on_hand(s: int) -> float:
        got = sum(u for d, u in lines if d <= s) + sum(q for n, q in arrivals if n <= s)
        return available + got - demand_through[s]

    position = available + sum(u for _, u in lines)
    found: list[dict[str, Any]] = []
    positions: list[float] = []
    for t in range(horizon):
        ip = position - demand_through[t]
        if ip <= rop + EPS:
            if _missing(up_to):
                lots = 1
                while ip + lots * lot <= rop + EPS:
                    lots += 1
                raw = lots * lot
            else:
                raw = max(up_to - ip, lot)
            quantity = max(int(np.ceil(raw - EPS)), 1)
            need, urgent = t + lead, False
            for s in range(t, t + lead):
                if on_hand(s) < safety - EPS:
                    need, urgent = s, True
                    break
            found.append(
                {
                    "sku_id": p["sku_id"],
                    "warehouse_id": p["warehouse_id"],
                    "order_by_date": as_of + t * DAY,
                    "need_by_date": as_of + need * DAY,
                    "quantity_units": quantity,
                    "projected_position_units": ip,
                    "projected_on_hand_units": on_hand(need),
                    "urgent": urgent,
                }
            )
            arrivals.append((need, quantity))
            position += quantity
        positions.append(position - demand_through[t])
    return found, [(on_hand(t), pos) for t, pos in enumerate(positions)]


def _random_case(seed: int) -> tuple[pl.DataFrame, ...]:
    rng = np.random.default_rng(seed)
    keys = [(f"S{i}", f"W{j}") for i in range(6) for j in (1, 2)]
    n = len(keys)
    rate = rng.uniform(0.0, 12.0, n)
    lead = rng.uniform(0.0, 20.0, n)
    safety = rng.uniform(0.0, 40.0, n)
    rop = safety + rate * lead * rng.uniform(0.5, 1.5, n)
    lot = rng.uniform(1.0, 80.0, n)
    up_to = rop + rng.uniform(0.0, 150.0, n)
    policies = pl.DataFrame(
        {
            "sku_id": [k[0] for k in keys],
            "warehouse_id": [k[1] for k in keys],
            "policy_status": rng.choice(["planned"] * 8 + ["no_usable_offer"], n),
            "safety_stock_units": np.where(rng.random(n) < 0.15, np.nan, safety),
            "reorder_point_units": np.where(rng.random(n) < 0.08, np.nan, rop),
            "order_up_to_level_units": np.where(rng.random(n) < 0.5, np.nan, up_to),
            "order_quantity_units": np.where(rng.random(n) < 0.2, np.nan, lot),
            "lead_time_mean_days": lead,
        }
    ).with_columns(pl.col(pl.Float64).fill_nan(None))
    stocked = [k for k in keys if rng.random() < 0.85] + [keys[0]]
    stock = pl.DataFrame(
        {
            "sku_id": [k[0] for k in stocked],
            "warehouse_id": [k[1] for k in stocked],
            "on_hand_units": rng.integers(0, 250, len(stocked)),
            "reserved_units": rng.integers(0, 20, len(stocked)),
        }
    )
    return policies, stock, _random_supply(rng, keys), _random_forecast(rng, keys, rate)


def _random_supply(rng: np.random.Generator, keys: list[tuple[str, str]]) -> pl.DataFrame:
    picked = [keys[i] for i in rng.integers(0, len(keys), 10)] + [("X", "W1")]
    rows = [
        {
            "sku_id": s,
            "warehouse_id": w,
            "expected_date": AS_OF + int(rng.integers(-15, 80)) * DAY,
            "open_units": int(rng.integers(1, 150)),
        }
        for s, w in picked
    ]
    return pl.DataFrame(rows, schema=SUPPLY_SCHEMA)


def _random_forecast(
    rng: np.random.Generator, keys: list[tuple[str, str]], rate: np.ndarray[Any, Any]
) -> pl.DataFrame:
    """Weeks from Mondays, and from Wednesdays for every fifth key (a shifted calendar)."""
    rows = [
        {
            "sku_id": s,
            "warehouse_id": w,
            "week_start": AS_OF + (7 * week - 7 + (2 if i % 5 == 0 else 0)) * DAY,
            "units": float(rng.gamma(2.0, rate[i] * 3.5)),
        }
        for i, (s, w) in enumerate(keys)
        for week in range(20)
        if rng.random() < 0.85
    ]
    return pl.DataFrame(rows)


@pytest.mark.parametrize("seed", range(40))
def test_vectorised_walk_equals_a_plain_day_by_day_loop(seed: int) -> None:
    policies, stock, supply, forecast = _random_case(seed)
    as_of = AS_OF + (seed % 7) * DAY
    horizon = 20 + (3 * seed) % 72
    result = net_requirements(policies, stock, supply, forecast, as_of=as_of, horizon_days=horizon)
    expected, projection = _reference(policies, stock, supply, forecast, as_of, horizon)
    got = result.requirements
    assert got.get_column("requirement_id").to_list() == list(range(1, len(expected) + 1))
    exact = ["sku_id", "warehouse_id", "order_by_date", "need_by_date", "quantity_units"]
    assert got.select(*exact, "urgent").to_dicts() == [
        {k: e[k] for k in [*exact, "urgent"]} for e in expected
    ]
    for column in ("projected_position_units", "projected_on_hand_units"):
        assert got.get_column(column).to_list() == pytest.approx([e[column] for e in expected])
    shown = {
        (r["sku_id"], r["warehouse_id"], r["date"]): (r["on_hand_units"], r["position_units"])
        for r in result.projection.iter_rows(named=True)
    }
    assert shown.keys() == projection.keys()
    for part in (0, 1):
        got_values = [shown[k][part] for k in projection]
        assert got_values == pytest.approx([v[part] for v in projection.values()])
