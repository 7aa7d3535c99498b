"""Transfer proposals on networks small enough to work by hand, and against a brute force.

The hand-worked network: WH-E and WH-W on the equator 1,000 km apart (great circle), so
1,200 road km. Region EAST is zone 1 from WH-E and zone 8 from WH-W, region WEST the other
way round; the one service (no fuel surcharge) charges 5.00 in zone 1 and 9.00 in zone 8.
A unit moved saves 4.00 of postage and costs 0.50 handling + rate x kg x 12 (per 100 km).
Each line (SKU x from x to) costs 5.00 and the lane WH-E -> WH-W 150.00 a week by default;
the tests of the per-unit figures set both to zero (``PER_UNIT``) to look at them alone.
"""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import polars as pl
import pytest

from shopops.planning.fulfillment.rates import RateTable
from shopops.planning.placement import (
    Placement,
    PlacementNetwork,
    PlacementRules,
    great_circle_km,
    propose_transfers,
)
from shopops.planning.solvers import SolveStatus

THOUSAND_KM_DEGREES = float(np.degrees(1000.0 / 6371.0))
PER_UNIT = PlacementRules(handling_usd_per_line=0.0, dispatch_usd_per_lane=0.0)


def _rates(prices: dict[int, float]) -> RateTable:
    services = pl.DataFrame(
        {
            "service_id": ["GND"],
            "fuel_surcharge_rate": [0.0],
            "dim_divisor_cm3_per_kg": [5000.0],
            "max_weight_kg": [30.0],
            "daily_pickup_capacity_parcels": [1000],
        }
    )
    cards = pl.DataFrame(
        {
            "service_id": ["GND"] * len(prices),
            "zone": list(prices),
            "max_weight_kg": [30.0] * len(prices),
            "rate_usd": list(prices.values()),
        }
    )
    transit = pl.DataFrame(
        {
            "service_id": ["GND"] * len(prices),
            "zone": list(prices),
            "transit_days": [2] * len(prices),
        }
    )
    return RateTable.from_frames(services, cards, transit)


def _network(
    warehouses: list[tuple[str, float, float]],
    zones: list[tuple[str, str, int]],
    prices: dict[int, float],
) -> PlacementNetwork:
    return PlacementNetwork.from_frames(
        warehouses=pl.DataFrame(
            warehouses, schema=["warehouse_id", "latitude", "longitude"], orient="row"
        ),
        shipping_zones=pl.DataFrame(
            zones, schema=["warehouse_id", "region_id", "zone"], orient="row"
        ),
        rates=_rates(prices),
    )


def _two_warehouses() -> PlacementNetwork:
    return _network(
        [("WH-E", 0.0, 0.0), ("WH-W", 0.0, THOUSAND_KM_DEGREES)],
        [("WH-E", "EAST", 1), ("WH-E", "WEST", 8), ("WH-W", "EAST", 8), ("WH-W", "WEST", 1)],
        {1: 5.0, 8: 9.0},
    )


def _skus(*rows: tuple[str, float]) -> pl.DataFrame:
    return pl.DataFrame(
        [(sku, kg, 10.0, 10.0, 10.0) for sku, kg in rows],
        schema=["sku_id", "weight_kg", "length_cm", "width_cm", "height_cm"],
        orient="row",
    )


def _demand(*rows: tuple[str, str, float]) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema=["sku_id", "region_id", "units"], orient="row")


def _stock(*rows: tuple[str, str, int]) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema=["sku_id", "warehouse_id", "stock_units"], orient="row")


def _moves(
    stock_e: int, stock_w: int, rules: PlacementRules = PER_UNIT
) -> list[tuple[object, ...]]:
    placement = propose_transfers(
        _demand(("S1", "WEST", 30.0), ("S1", "EAST", 20.0)),
        _stock(("S1", "WH-E", stock_e), ("S1", "WH-W", stock_w)),
        _skus(("S1", 1.0)),
        _two_warehouses(),
        rules,
    )
    return placement.transfers.select(
        "from_warehouse_id",
        "to_warehouse_id",
        "quantity_units",
        "transfer_cost_usd",
        "shipping_saved_usd",
    ).rows()


def test_road_distance_is_great_circle_times_the_road_factor() -> None:
    assert _two_warehouses().road_km[0, 1] == pytest.approx(1200.0)
    paris_london = great_circle_km(np.array([48.8566, 51.5074]), np.array([2.3522, -0.1278]))
    assert paris_london[0, 1] == pytest.approx(343.5, abs=1.0)


def test_surplus_moves_to_the_short_warehouse_when_the_saving_exceeds_the_cost() -> None:
    # WH-E covers EAST (20) and holds 100: 80 spare. WH-W covers WEST (30), holds 10: 20 short.
    # Per unit: saves 9 - 5 = 4.00, costs 0.50 + 0.05 x 1 kg x 12 = 1.10
    assert _moves(100, 10) == [("WH-E", "WH-W", 20, 22.0, 80.0)]


def test_no_transfer_when_it_costs_more_than_it_saves() -> None:
    dearer = dataclasses.replace(PER_UNIT, cost_usd_per_kg_100km=0.30)
    assert _moves(100, 10, dearer) == []  # 0.5 + 3.6 > 4
    cheaper = dataclasses.replace(PER_UNIT, cost_usd_per_kg_100km=0.29)
    assert _moves(100, 10, cheaper)[0][2] == 20  # 3.98 < 4


def test_quantities_never_exceed_the_surplus_over_the_sources_cover() -> None:
    assert _moves(25, 0) == [("WH-E", "WH-W", 5, 5.5, 20.0)]
    assert _moves(20, 0) == []


def test_the_explanation_quotes_demand_positions_and_per_unit_figures() -> None:
    placement = propose_transfers(
        _demand(("S1", "WEST", 30.0), ("S1", "EAST", 20.0)),
        _stock(("S1", "WH-E", 100), ("S1", "WH-W", 10)),
        _skus(("S1", 1.0)),
        _two_warehouses(),
        PER_UNIT,
    )
    text = placement.transfers["explanation"][0]
    assert "20 units of S1 to WH-W" in text
    assert "WEST: 30 units expected, postage 9.00 USD from WH-E vs 5.00 from WH-W" in text
    assert "WH-W holds 10 for a cover of 30; WH-E holds 100 for a cover of 20" in text
    assert "1.10 USD a unit (0.50 handling + 1 kg x 1,200 km)" in text
    assert "net 58.00 USD" in text
    assert placement.net_saving_usd == pytest.approx(58.0)


def _lane_case(*skus: tuple[str, int], rules: PlacementRules | None = None) -> Placement:
    """SKUs of 1 kg, each with ``units`` wanted in WEST beyond what WH-W holds (10) and 20 in
    EAST; WH-E holds 100 of each. Each unit sent nets 4.00 - 1.10 = 2.90 before fixed costs."""
    return propose_transfers(
        _demand(
            *[(sku, "WEST", 10.0 + units) for sku, units in skus],
            *[(sku, "EAST", 20.0) for sku, _ in skus],
        ),
        _stock(*[(sku, "WH-E", 100) for sku, _ in skus], *[(sku, "WH-W", 10) for sku, _ in skus]),
        _skus(*[(sku, 1.0) for sku, _ in skus]),
        _two_warehouses(),
        rules,
    )


def _sent(placement: Placement) -> list[tuple[object, ...]]:
    return placement.transfers.select("sku_id", "quantity_units", "transfer_cost_usd").rows()


def test_none_proposed_when_the_saving_does_not_cover_the_fixed_costs() -> None:
    # 20 units net 20 x 2.90 = 58.00: not enough for 5.00 of handling and 150.00 of dispatch
    assert _sent(_lane_case(("S1", 20))) == []
    # 58.00 - 5.00 - 52.99 = 0.01 pays; 58.00 - 5.00 - 53.01 does not
    assert _sent(_lane_case(("S1", 20), rules=PlacementRules(dispatch_usd_per_lane=53.01))) == []
    cheap = _lane_case(("S1", 20), rules=PlacementRules(dispatch_usd_per_lane=52.99))
    assert _sent(cheap) == [("S1", 20, 79.99)]  # 22.00 + 5.00 + 52.99
    assert cheap.net_saving_usd == pytest.approx(0.01)


def test_a_lane_is_opened_only_when_enough_lines_share_its_dispatch() -> None:
    # each line nets 58.00 - 5.00 = 53.00: two lines (106.00) do not pay the 150.00 dispatch
    assert _sent(_lane_case(("A", 20), ("B", 20))) == []
    # three do (159.00): each carries a third of the dispatch, 50.00, with its 22.00 + 5.00
    three = _lane_case(("A", 20), ("B", 20), ("C", 20))
    assert _sent(three) == [("A", 20, 77.0), ("B", 20, 77.0), ("C", 20, 77.0)]
    assert three.net_saving_usd == pytest.approx(159.0 - 150.0)
    assert (three.lanes, three.units) == (1, 60)


def test_the_dispatch_is_shared_by_units_and_explained() -> None:
    # A: 20 units, 58.00 - 5.00 = 53.00; C: 40 units, 116.00 - 5.00 = 111.00; 164.00 > 150.00
    placement = _lane_case(("A", 20), ("C", 40))
    assert _sent(placement) == [("A", 20, 22.0 + 5.0 + 50.0), ("C", 40, 44.0 + 5.0 + 100.0)]
    assert placement.net_saving_usd == pytest.approx(164.0 - 150.0)
    text = placement.transfers["explanation"][1]
    assert (
        "1.10 USD a unit (0.50 handling + 1 kg x 1,200 km), 5.00 USD for the line and "
        "100.00 USD, its share by units of the 150.00 USD dispatch WH-E -> WH-W "
        "(2 lines, 60 units); saves 160.00 USD postage for 149.00 USD, net 11.00 USD."
    ) in text


def test_a_line_too_small_for_its_handling_stays_out_of_an_open_lane() -> None:
    # A, B, C open the lane; D's 1 unit nets 2.90, less than its line's 5.00 of handling
    lane = [("A", 20), ("B", 20), ("C", 20)]
    assert [row[0] for row in _sent(_lane_case(*lane, ("D", 1)))] == ["A", "B", "C"]
    # 2 units net 5.80 > 5.00: D joins, the dispatch now shared over 62 units
    with_d = _lane_case(*lane, ("D", 2))
    assert [row[:2] for row in _sent(with_d)] == [("A", 20), ("B", 20), ("C", 20), ("D", 2)]
    assert with_d.transfers["transfer_cost_usd"][3] == 12.04  # 2.20 + 5.00 + 150.00 x 2 / 62
    assert with_d.net_saving_usd == pytest.approx(9.0 + 0.8)


def test_a_solve_stopped_by_its_time_limit_keeps_the_starting_proposal_and_says_so() -> None:
    # no time at all: the flow LP, less the lines and lanes that do not pay there, stands
    stopped = _lane_case(
        ("A", 20), ("B", 20), ("C", 20), rules=PlacementRules(time_limit_seconds=0.0)
    )
    assert (stopped.status, stopped.gap) == (SolveStatus.FEASIBLE, float("inf"))
    assert [row[:2] for row in _sent(stopped)] == [("A", 20), ("B", 20), ("C", 20)]
    assert stopped.net_saving_usd == pytest.approx(9.0)


def test_the_nearer_source_is_chosen_when_both_have_surplus() -> None:
    network = _network(
        [
            ("WH-A", 0.0, 0.0),
            ("WH-B", 0.0, THOUSAND_KM_DEGREES),
            ("WH-C", 0.0, 2 * THOUSAND_KM_DEGREES),
        ],
        [
            ("WH-A", "RA", 1), ("WH-A", "RB", 8), ("WH-A", "RC", 8),
            ("WH-B", "RA", 8), ("WH-B", "RB", 1), ("WH-B", "RC", 8),
            ("WH-C", "RA", 8), ("WH-C", "RB", 8), ("WH-C", "RC", 1),
        ],
        {1: 5.0, 8: 9.0},
    )  # fmt: skip
    placement = propose_transfers(
        _demand(("S1", "RC", 10.0)),
        _stock(("S1", "WH-A", 10), ("S1", "WH-B", 6)),
        _skus(("S1", 2.0)),
        network,
        PER_UNIT,
    )
    # from WH-B (1,200 km): 0.50 + 0.05 x 2 x 12 = 1.70 a unit; from WH-A (2,400 km): 2.90
    rows = placement.transfers.select(
        "from_warehouse_id", "to_warehouse_id", "quantity_units"
    ).rows()
    assert rows == [("WH-A", "WH-C", 4), ("WH-B", "WH-C", 6)]


Lines = frozenset[tuple[int, int]]


def _one_sku_by_lines(
    postage: np.ndarray, demand: np.ndarray, stock: np.ndarray, cost: np.ndarray
) -> dict[Lines, float]:
    """Best per-unit value of one SKU for each set of lines (from, to) it uses: every
    whole-unit move tried, a plain loop."""
    n_w, n_r = postage.shape
    home = [int(np.argmin(postage[:, r])) for r in range(n_r)]
    cover = [sum(demand[r] for r in range(n_r) if home[r] == w) for w in range(n_w)]
    surplus = [max(stock[w] - cover[w], 0) for w in range(n_w)]
    deficit = [max(cover[w] - stock[w], 0) for w in range(n_w)]
    pairs = [(u, r) for u in range(n_w) for r in range(n_r) if u != home[r] and demand[r] > 0]
    best: dict[Lines, float] = {frozenset(): 0.0}
    for x in itertools.product(*[range(min(surplus[u], demand[r]) + 1) for u, r in pairs]):
        sent = [0] * n_w
        served = [0] * n_r
        received = [0] * n_w
        value = 0.0
        for (u, r), units in zip(pairs, x, strict=True):
            sent[u] += units
            served[r] += units
            received[home[r]] += units
            value += units * (postage[u, r] - postage[home[r], r] - cost[u, home[r]])
        feasible = all(
            sent[w] <= surplus[w] and received[w] <= deficit[w] for w in range(n_w)
        ) and all(served[r] <= demand[r] for r in range(n_r))
        lines = frozenset((u, home[r]) for (u, r), units in zip(pairs, x, strict=True) if units)
        if feasible and value > best.get(lines, -np.inf):
            best[lines] = value
    return best


def _brute_force(per_sku: list[dict[Lines, float]], line_usd: float, lane_usd: float) -> float:
    """Best net saving over every choice of line set per SKU: lanes are the union of lines."""
    best = 0.0
    for choice in itertools.product(*[list(options.items()) for options in per_sku]):
        lanes = frozenset().union(*[lines for lines, _ in choice])
        lines_used = sum(len(lines) for lines, _ in choice)
        value = sum(v for _, v in choice) - line_usd * lines_used - lane_usd * len(lanes)
        best = max(best, value)
    return best


@pytest.mark.parametrize("seed", range(25))
def test_the_proposal_is_as_good_as_every_whole_unit_alternative(seed: int) -> None:
    """Random 3 x 3 networks with two SKUs, 1.00 a line and 3.00 a lane: 16 of the 25 have
    transfers that pay, 5 send both SKUs, 4 of them on a shared lane; in 13 the fixed costs
    leave out lines that pay per unit (in 6 every one)."""
    rng = np.random.default_rng(seed)
    ids, regions = ["W0", "W1", "W2"], ["R0", "R1", "R2"]
    zones = rng.integers(1, 9, size=(3, 3))
    prices = {z: 4.0 + 0.9 * z for z in range(1, 9)}
    coords = rng.uniform(-8.0, 8.0, size=(3, 2))
    network = _network(
        [(w, float(lat), float(lon)) for w, (lat, lon) in zip(ids, coords, strict=True)],
        [(ids[w], regions[r], int(zones[w, r])) for w in range(3) for r in range(3)],
        prices,
    )
    weights = {"S": 1.5, "T": 0.5}
    demand = {sku: rng.integers(0, 4, size=3) for sku in weights}
    stock = {sku: rng.integers(0, 5, size=3) for sku in weights}
    rules = PlacementRules(handling_usd_per_line=1.0, dispatch_usd_per_lane=3.0, mip_gap=0.0)
    placement = propose_transfers(
        _demand(*[(k, regions[r], float(demand[k][r])) for k in weights for r in range(3)]),
        _stock(*[(k, ids[w], int(stock[k][w])) for k in weights for w in range(3)]),
        _skus(*weights.items()),
        network,
        rules,
    )
    postage = np.vectorize(prices.get)(zones).astype(float)
    per_sku = [
        _one_sku_by_lines(postage, demand[k], stock[k], 0.5 + 0.05 * kg * network.road_km / 100)
        for k, kg in weights.items()
    ]
    assert placement.net_saving_usd == pytest.approx(_brute_force(per_sku, 1.0, 3.0), abs=0.011)
    rows = placement.transfers
    assert float(rows["shipping_saved_usd"].sum() - rows["transfer_cost_usd"].sum()) == (
        pytest.approx(placement.net_saving_usd, abs=0.011)
    )
    sent = rows.group_by("sku_id", "from_warehouse_id").agg(pl.col("quantity_units").sum())
    for sku, warehouse, units in sent.iter_rows():
        w = ids.index(warehouse)
        home_demand = sum(demand[sku][r] for r in range(3) if np.argmin(postage[:, r]) == w)
        assert units <= stock[sku][w] - home_demand


def test_several_skus_are_planned_together_and_each_on_its_own_figures() -> None:
    placement = propose_transfers(
        _demand(("LIGHT", "WEST", 10.0), ("HEAVY", "WEST", 10.0)),
        _stock(("LIGHT", "WH-E", 50), ("HEAVY", "WH-E", 50)),
        _skus(("LIGHT", 1.0), ("HEAVY", 6.0)),
        _two_warehouses(),
        PER_UNIT,
    )
    # HEAVY: 0.50 + 0.05 x 6 x 12 = 4.10 a unit, more than the 4.00 it saves
    assert placement.transfers.select("sku_id", "quantity_units").rows() == [("LIGHT", 10)]
    assert placement.units == 10


def test_no_demand_or_no_lane_proposes_nothing() -> None:
    empty = propose_transfers(
        _demand(), _stock(("S1", "WH-E", 5)), _skus(("S1", 1.0)), _two_warehouses()
    )
    assert empty.transfers.is_empty()
    assert empty.net_saving_usd == 0.0
    assert empty.lanes == 0


@pytest.mark.parametrize(
    "field", ["handling_usd_per_line", "dispatch_usd_per_lane", "handling_usd_per_unit"]
)
def test_a_negative_cost_is_refused_by_name(field: str) -> None:
    with pytest.raises(ValueError, match=f"{field} must be a number >= 0, got -1.0"):
        PlacementRules(**{field: -1.0})
