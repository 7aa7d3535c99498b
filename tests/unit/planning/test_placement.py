"""Transfer proposals on networks small enough to work by hand, and against a brute force.

The hand-worked network: WH-E and WH-W on the equator 1,000 km apart (great circle), so
1,200 road km. Region EAST is zone 1 from WH-E and zone 8 from WH-W, region WEST the other
way round; the one service (no fuel surcharge) charges 5.00 in zone 1 and 9.00 in zone 8.
A unit moved saves 4.00 of postage and costs 0.50 handling + rate x kg x 12 (per 100 km).
"""

from __future__ import annotations

import itertools

import numpy as np
import polars as pl
import pytest

from shopops.planning.fulfillment.rates import RateTable
from shopops.planning.placement import (
    PlacementNetwork,
    PlacementRules,
    great_circle_km,
    propose_transfers,
)

THOUSAND_KM_DEGREES = float(np.degrees(1000.0 / 6371.0))


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
    stock_e: int, stock_w: int, rules: PlacementRules | None = None
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
    assert _moves(100, 10, PlacementRules(cost_usd_per_kg_100km=0.30)) == []  # 0.5 + 3.6 > 4
    assert _moves(100, 10, PlacementRules(cost_usd_per_kg_100km=0.29))[0][2] == 20  # 3.98 < 4


def test_quantities_never_exceed_the_surplus_over_the_sources_cover() -> None:
    assert _moves(25, 0) == [("WH-E", "WH-W", 5, 5.5, 20.0)]
    assert _moves(20, 0) == []


def test_the_explanation_quotes_demand_positions_and_per_unit_figures() -> None:
    placement = propose_transfers(
        _demand(("S1", "WEST", 30.0), ("S1", "EAST", 20.0)),
        _stock(("S1", "WH-E", 100), ("S1", "WH-W", 10)),
        _skus(("S1", 1.0)),
        _two_warehouses(),
    )
    text = placement.transfers["explanation"][0]
    assert "20 units of S1 to WH-W" in text
    assert "WEST: 30 units expected, postage 9.00 USD from WH-E vs 5.00 from WH-W" in text
    assert "WH-W holds 10 for a cover of 30; WH-E holds 100 for a cover of 20" in text
    assert "1.10 USD a unit (0.50 handling + 1 kg x 1,200 km)" in text
    assert "net 58.00 USD" in text
    assert placement.net_saving_usd == pytest.approx(58.0)


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
    )
    # from WH-B (1,200 km): 0.50 + 0.05 x 2 x 12 = 1.70 a unit; from WH-A (2,400 km): 2.90
    rows = placement.transfers.select(
        "from_warehouse_id", "to_warehouse_id", "quantity_units"
    ).rows()
    assert rows == [("WH-A", "WH-C", 4), ("WH-B", "WH-C", 6)]


def _brute_force(
    postage: np.ndarray, demand: np.ndarray, stock: np.ndarray, cost: np.ndarray
) -> float:
    """Best net saving of one SKU by trying every whole-unit move; a plain loop."""
    n_w, n_r = postage.shape
    home = [int(np.argmin(postage[:, r])) for r in range(n_r)]
    cover = [sum(demand[r] for r in range(n_r) if home[r] == w) for w in range(n_w)]
    surplus = [max(stock[w] - cover[w], 0) for w in range(n_w)]
    deficit = [max(cover[w] - stock[w], 0) for w in range(n_w)]
    pairs = [(u, r) for u in range(n_w) for r in range(n_r) if u != home[r] and demand[r] > 0]
    best = 0.0
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
        if (
            all(sent[w] <= surplus[w] and received[w] <= deficit[w] for w in range(n_w))
            and all(served[r] <= demand[r] for r in range(n_r))
            and value > best
        ):
            best = value
    return best


@pytest.mark.parametrize("seed", range(25))
def test_the_proposal_is_as_good_as_every_whole_unit_alternative(seed: int) -> None:
    """Random 3 x 3 networks; 17 of the 25 have a transfer that pays."""
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
    demand = rng.integers(0, 4, size=3)
    stock = rng.integers(0, 5, size=3)
    placement = propose_transfers(
        _demand(*[("S", regions[r], float(demand[r])) for r in range(3)]),
        _stock(*[("S", ids[w], int(stock[w])) for w in range(3)]),
        _skus(("S", 1.5)),
        network,
    )
    postage = np.vectorize(prices.get)(zones).astype(float)
    cost = 0.5 + 0.05 * 1.5 * network.road_km / 100
    assert placement.net_saving_usd == pytest.approx(
        _brute_force(postage, demand, stock, cost), abs=0.011
    )
    sent = placement.transfers.group_by("from_warehouse_id").agg(pl.col("quantity_units").sum())
    for warehouse, units in sent.iter_rows():
        home_demand = sum(
            demand[r] for r in range(3) if np.argmin(postage[:, r]) == ids.index(warehouse)
        )
        assert units <= stock[ids.index(warehouse)] - home_demand


def test_several_skus_are_planned_together_and_each_on_its_own_figures() -> None:
    placement = propose_transfers(
        _demand(("LIGHT", "WEST", 10.0), ("HEAVY", "WEST", 10.0)),
        _stock(("LIGHT", "WH-E", 50), ("HEAVY", "WH-E", 50)),
        _skus(("LIGHT", 1.0), ("HEAVY", 6.0)),
        _two_warehouses(),
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
