"""Batches small enough to work out by hand: the optimum, splits, capacities, left lines.

Network: warehouses WA (handling 2.00 per order) and WB (1.00), both 0.50 per extra unit;
region R1 is zone 1 from WA and zone 3 from WB, R2 zone 4 from WA and zone 1 from WB.
Ground (GRD): 5 + zone USD up to 1 kg, 8 + zone up to 10 kg, fuel 10 %, 1-4 business days.
Express (EXP): 10 + zone up to 1 kg, 14 + zone up to 10 kg, no fuel, 1 day. Dim divisor
5000 and packing factor 1.2 everywhere. The batch ships on Monday 2 March 2026.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from fulfillment_cases import MONDAY, Case, Service

from shopops.planning.fulfillment import AllocationRules, allocate_orders, compare_methods

TUESDAY, WEDNESDAY, FRIDAY = (MONDAY + dt.timedelta(days=d) for d in (1, 2, 4))
ZONES = (1, 2, 3, 4, 5, 6, 7, 8)
GROUND = Service(
    "GRD",
    ((1.0, tuple(5.0 + z for z in ZONES)), (10.0, tuple(8.0 + z for z in ZONES))),
    (1, 1, 2, 2, 3, 3, 4, 4),
    fuel=0.1,
)
EXPRESS = Service(
    "EXP",
    ((1.0, tuple(10.0 + z for z in ZONES)), (10.0, tuple(14.0 + z for z in ZONES))),
    (1, 1, 1, 1, 1, 1, 1, 1),
)
RULES = AllocationRules(
    ship_date=MONDAY,
    split_penalty_usd_per_parcel=2.0,
    late_penalty_usd_per_day=5.0,
    unallocated_penalty_usd_per_unit=1000.0,
)


def network(**changes: object) -> Case:
    case = Case(
        services=[GROUND, EXPRESS],
        warehouses=[("WA", 10, 2.0, 0.5), ("WB", 10, 1.0, 0.5)],
        zones=[("WA", "R1", 1, 100.0), ("WA", "R2", 4, 900.0), ("WB", "R1", 3, 600.0),
               ("WB", "R2", 1, 80.0)],
        skus=[("A", 0.5, 10.0, 10.0, 10.0), ("B", 2.0, 20.0, 20.0, 10.0)],
        stock=[("A", "WA", 5), ("A", "WB", 5), ("B", "WB", 5)],
        orders=[],
        lines=[],
    )  # fmt: skip
    for name, value in changes.items():
        setattr(case, name, value)
    return case


def allocate(case: Case, rules: AllocationRules = RULES):  # type: ignore[no-untyped-def]
    return allocate_orders(**case.inputs(), rules=rules)


def shipped(result) -> set[tuple[int, int, str, str]]:  # type: ignore[no-untyped-def]
    return {tuple(row) for row in result.assignments.iter_rows()}


def test_four_orders_worked_by_hand() -> None:
    # 1: A to R1 by Wed. WA ground zone 1: 6 x 1.1 = 6.60 + 2.00 = 8.60, arrives Tue.
    #    (WB ground zone 3: 8.80 + 1.00 = 9.80; WA express 11.00 + 2.00 = 13.00.)
    # 2: A to R2 by Tue. WB ground zone 1: 6.60 + 1.00 = 7.60, arrives Tue. (WA ground
    #    zone 4 arrives Wed: 9.90 + 2.00 + 5.00 late.)
    # 3: A + B to R1 by Fri; only WB holds B. One parcel of 2.5 kg (dim 1.2 kg) from WB:
    #    ground zone 3 band 10 kg 11 x 1.1 = 12.10 + 1.00 + 0.50 = 13.60. The split (A from
    #    WA 8.60 + B from WB 12.10 + 1.00 + 2.00 penalty = 23.70) does not pay.
    # 4: 2 x B to R2 by Wed: 4 kg from WB, ground zone 1: 9 x 1.1 = 9.90 + 1.00 + 0.50.
    case = network(
        orders=[(1, "R1", MONDAY, WEDNESDAY), (2, "R2", MONDAY, TUESDAY),
                (3, "R1", MONDAY, FRIDAY), (4, "R2", MONDAY, WEDNESDAY)],
        lines=[(1, 1, "A", 1), (2, 1, "A", 1), (3, 1, "A", 1), (3, 2, "B", 1), (4, 1, "B", 2)],
    )  # fmt: skip
    result = allocate(case)
    assert shipped(result) == {
        (1, 1, "WA", "GRD"),
        (2, 1, "WB", "GRD"),
        (3, 1, "WB", "GRD"),
        (3, 2, "WB", "GRD"),
        (4, 1, "WB", "GRD"),
    }
    summary = result.summary.row(0, named=True)
    assert summary["total_cost_usd"] == pytest.approx(8.60 + 7.60 + 13.60 + 11.40)
    assert summary["shipping_cost_usd"] == pytest.approx(6.60 + 6.60 + 12.10 + 9.90)
    assert summary["handling_cost_usd"] == pytest.approx(2.00 + 1.00 + 1.50 + 1.50)
    assert summary["parcels"] == 4
    assert summary["split_orders"] == 0
    assert summary["on_time_share"] == 1.0
    assert summary["gap"] == 0.0
    parcel = result.parcels.filter(pl.col("order_id") == 3).row(0, named=True)
    assert parcel["units"] == 2
    assert parcel["weight_kg"] == pytest.approx(2.5)
    assert parcel["billable_weight_kg"] == pytest.approx(2.5)
    assert parcel["zone"] == 3
    assert parcel["arrival_date"] == WEDNESDAY
    assert result.unallocated.height == 0


def test_the_rules_cost_more_where_the_nearest_warehouse_is_dearer() -> None:
    # 2 x A to R1 by Wed. Nearest is WA (100 km): ground 6.60 + 2.00 + 0.50 = 9.10.
    # That is also the cheapest, so all three methods agree.
    case = network(orders=[(1, "R1", MONDAY, WEDNESDAY)], lines=[(1, 1, "A", 2)])
    summary = compare_methods(**case.inputs(), rules=RULES)
    assert summary["method"].to_list() == ["optimised", "nearest", "cheapest_single"]
    assert summary["total_cost_usd"].to_list() == pytest.approx([9.10, 9.10, 9.10])


def split_case(split_penalty_usd: float) -> tuple[Case, AllocationRules]:
    # C and D weigh 0.6 kg each: alone, a ground parcel to zone 1 is 6 x 1.1 = 6.60 + 1.00;
    # together they weigh 1.2 kg, band 10 kg priced here at 21 x 1.1 = 23.10 + 1.00 + 0.50.
    ground = Service(
        "GRD",
        ((1.0, tuple(5.0 + z for z in ZONES)), (10.0, tuple(20.0 + z for z in ZONES))),
        (1, 1, 2, 2, 3, 3, 4, 4),
        fuel=0.1,
    )
    case = network(
        services=[ground],
        warehouses=[("WA", 10, 1.0, 0.5), ("WB", 10, 1.0, 0.5)],
        zones=[("WA", "R1", 1, 100.0), ("WB", "R1", 1, 200.0)],
        skus=[("C", 0.6, 10.0, 10.0, 10.0), ("D", 0.6, 10.0, 10.0, 10.0)],
        stock=[("C", "WA", 1), ("D", "WA", 1), ("D", "WB", 1)],
        orders=[(1, "R1", MONDAY, FRIDAY)],
        lines=[(1, 1, "C", 1), (1, 2, "D", 1)],
    )
    rules = AllocationRules(ship_date=MONDAY, split_penalty_usd_per_parcel=split_penalty_usd)
    return case, rules


def test_a_split_is_chosen_when_it_saves_more_than_its_penalty() -> None:
    # Split: 7.60 + 7.60 + 2.00 = 17.20 against 24.60 whole.
    case, rules = split_case(2.0)
    result = allocate(case, rules)
    assert shipped(result) == {(1, 1, "WA", "GRD"), (1, 2, "WB", "GRD")}
    assert result.summary["total_cost_usd"][0] == pytest.approx(17.20)
    assert result.summary["split_orders"][0] == 1


def test_no_split_when_the_penalty_eats_the_saving() -> None:
    # Split: 7.60 + 7.60 + 12.00 = 27.20 against 24.60 whole from WA.
    case, rules = split_case(12.0)
    result = allocate(case, rules)
    assert shipped(result) == {(1, 1, "WA", "GRD"), (1, 2, "WA", "GRD")}
    assert result.summary["total_cost_usd"][0] == pytest.approx(24.60)
    assert result.summary["split_orders"][0] == 0


def two_orders_of_a() -> dict[str, object]:
    return {
        "orders": [(1, "R1", MONDAY, WEDNESDAY), (2, "R1", MONDAY, WEDNESDAY)],
        "lines": [(1, 1, "A", 1), (2, 1, "A", 1)],
    }


def test_outbound_capacity_sends_the_second_order_from_the_next_warehouse() -> None:
    # WA can dispatch one parcel: the other goes from WB by ground, 8.80 + 1.00 = 9.80.
    free = allocate(network(**two_orders_of_a()))
    assert free.summary["total_cost_usd"][0] == pytest.approx(2 * 8.60)
    bound = allocate(
        network(warehouses=[("WA", 1, 2.0, 0.5), ("WB", 10, 1.0, 0.5)], **two_orders_of_a())
    )
    assert bound.summary["total_cost_usd"][0] == pytest.approx(8.60 + 9.80)
    assert sorted(bound.parcels["warehouse_id"].to_list()) == ["WA", "WB"]


def test_pickup_capacity_moves_the_second_parcel_to_express() -> None:
    # Ground collects one parcel per warehouse and only WA holds A: the other goes express,
    # 11.00 + 2.00 = 13.00.
    ground = Service(GROUND.service_id, GROUND.bands, GROUND.transit_days, fuel=0.1, pickup=1)
    case = network(services=[ground, EXPRESS], stock=[("A", "WA", 5)], **two_orders_of_a())
    result = allocate(case)
    assert result.summary["total_cost_usd"][0] == pytest.approx(8.60 + 13.00)
    assert sorted(result.parcels["service_id"].to_list()) == ["EXP", "GRD"]


def test_lines_that_cannot_ship_are_reported_with_their_reason() -> None:
    # Order 1: A ships, Z is not in the catalogue. Order 2: E is stocked nowhere.
    # Order 3: H weighs 40 kg, more than any service takes. Orders 4 and 5 want the one B
    # left at WB; one of them gets it.
    case = network(
        skus=[("A", 0.5, 10.0, 10.0, 10.0), ("B", 2.0, 20.0, 20.0, 10.0),
              ("E", 1.0, 10.0, 10.0, 10.0), ("H", 40.0, 50.0, 50.0, 50.0)],
        stock=[("A", "WA", 5), ("B", "WB", 1), ("H", "WA", 3)],
        orders=[(k, "R1", MONDAY, FRIDAY) for k in range(1, 6)],
        lines=[(1, 1, "A", 1), (1, 2, "Z", 1), (2, 1, "E", 1), (3, 1, "H", 1),
               (4, 1, "B", 1), (5, 1, "B", 1)],
    )  # fmt: skip
    result = allocate(case)
    left = {(o, line): reason for o, line, _, _, reason in result.unallocated.iter_rows()}
    taken = [key for key in ((4, 1), (5, 1)) if key in left]
    assert len(taken) == 1
    assert left.pop(taken[0]) == "stock_or_capacity_used"
    assert left == {(1, 2): "unknown_sku", (2, 1): "no_stock", (3, 1): "no_service"}
    assert (1, 1, "WA", "GRD") in shipped(result)
    summary = result.summary.row(0, named=True)
    assert summary["orders_allocated"] == 1
    assert summary["total_cost_usd"] == pytest.approx(8.60 + 13.10 + 4 * 1000.0)
