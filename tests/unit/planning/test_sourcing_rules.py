"""Each rule of the award binds: hand-built cases where lifting the rule changes the answer.

Prices are round so that every expected quantity and cost can be worked by hand. The share
cap is lifted (cap 1.0) wherever it is not the rule under test.
"""

from __future__ import annotations

import polars as pl
import pytest
from test_sourcing_frames import (
    ORDER_DATE,
    award,
    frames,
    lines_by_offer,
    offer,
    requirement,
    supplier,
)

from shopops.planning.sourcing import SourcingRules, solve_direct

NO_CAP = SourcingRules(category_share_cap=1.0, mip_gap=1e-9)


def test_weekly_capacity_forces_a_split_to_the_dearer_supplier() -> None:
    def case(capacity: int) -> dict[str, pl.DataFrame]:
        return frames(
            [requirement(1, 100)],
            [offer("O1", "S1", capacity=capacity), offer("O2", "S2")],
            [("O1", 1, 10.0), ("O2", 1, 12.0)],
        )

    limited = award(case(60), NO_CAP)
    assert lines_by_offer(limited) == {"O1": 60, "O2": 40}
    assert limited.stats.objective_usd == pytest.approx(60 * 10.0 + 40 * 12.0)
    assert lines_by_offer(award(case(1000), NO_CAP)) == {"O1": 100}


def test_requirements_in_one_week_share_the_capacity_and_other_weeks_do_not() -> None:
    def case(second_need_in_days: int) -> dict[str, pl.DataFrame]:
        return frames(
            [
                requirement(1, 50, need_in_days=30, warehouse_id="W1"),
                requirement(2, 50, need_in_days=second_need_in_days, warehouse_id="W2"),
            ],
            [offer("O1", "S1", capacity=60), offer("O2", "S2")],
            [("O1", 1, 10.0), ("O2", 1, 12.0)],
        )

    same_week = award(case(31), NO_CAP)
    assert lines_by_offer(same_week) == {"O1": 60, "O2": 40}
    assert same_week.stats.objective_usd == pytest.approx(60 * 10.0 + 40 * 12.0)
    assert lines_by_offer(award(case(40), NO_CAP)) == {"O1": 100}


def test_an_moq_forces_over_buying_when_that_is_still_cheapest() -> None:
    def case(moq: int) -> dict[str, pl.DataFrame]:
        return frames(
            [requirement(1, 30)],
            [offer("O1", "S1", moq=moq), offer("O2", "S2")],
            [("O1", 1, 10.0), ("O2", 1, 20.0)],
        )

    with_moq = award(case(50), NO_CAP)
    assert lines_by_offer(with_moq) == {"O1": 50}
    assert with_moq.stats.objective_usd == pytest.approx(500.0)
    assert lines_by_offer(award(case(0), NO_CAP)) == {"O1": 30}


def test_an_moq_that_costs_more_than_the_dearer_offer_sends_the_order_there() -> None:
    inputs = frames(
        [requirement(1, 30)],
        [offer("O1", "S1", moq=50), offer("O2", "S2")],
        [("O1", 1, 10.0), ("O2", 1, 13.0)],
    )
    assert lines_by_offer(award(inputs, NO_CAP)) == {"O2": 30}


def test_the_order_multiple_rounds_the_quantity_up() -> None:
    def case(multiple: int) -> dict[str, pl.DataFrame]:
        return frames(
            [requirement(1, 45)], [offer("O1", "S1", multiple=multiple)], [("O1", 1, 10.0)]
        )

    rounded = award(case(12), NO_CAP)
    assert lines_by_offer(rounded) == {"O1": 48}
    assert rounded.stats.objective_usd == pytest.approx(480.0)
    assert lines_by_offer(award(case(1), NO_CAP)) == {"O1": 45}


def test_a_tier_break_makes_buying_more_cheaper() -> None:
    def case(tiers: list[tuple[str, int, float]]) -> dict[str, pl.DataFrame]:
        return frames([requirement(1, 90)], [offer("O1", "S1")], tiers)

    discounted = award(case([("O1", 1, 10.0), ("O1", 100, 8.5)]), NO_CAP)
    assert lines_by_offer(discounted) == {"O1": 100}
    assert discounted.stats.objective_usd == pytest.approx(850.0)
    assert discounted.lines["tier_min_quantity_units"].to_list() == [100]
    assert lines_by_offer(award(case([("O1", 1, 10.0)]), NO_CAP)) == {"O1": 90}


def test_lead_time_forces_an_expedite_or_rejects_the_slower_cheaper_offer() -> None:
    def case(expedite: bool) -> dict[str, pl.DataFrame]:
        slow = offer(
            "O1",
            "S1",
            lead_days=10,
            expedite_days=4 if expedite else None,
            expedite_cost=2.0 if expedite else None,
        )
        return frames(
            [requirement(1, 100, need_in_days=5, shortfall_cost=100.0)],
            [slow, offer("O2", "S2", lead_days=3)],
            [("O1", 1, 10.0), ("O2", 1, 13.0)],
        )

    expedited = award(case(True), NO_CAP)
    line = expedited.lines.row(0, named=True)
    assert (line["offer_id"], line["expedited"], line["late_days"]) == ("O1", True, 0)
    assert line["landed_cost_usd_per_unit"] == pytest.approx(12.0)
    assert (line["arrival_date"] - ORDER_DATE).days == 4
    late = award(case(False), NO_CAP)
    assert lines_by_offer(late) == {"O2": 100}
    rejected = late.alternatives.filter(pl.col("offer_id") == "O1").row(0, named=True)
    assert rejected["status"] == "eligible"
    assert "arrives 5 days late (late penalty USD 10.00 a unit)" in rejected["reason"]


def test_a_late_offer_is_used_when_it_is_still_cheapest_and_the_lateness_is_reported() -> None:
    inputs = frames(
        [requirement(1, 100, need_in_days=8, shortfall_cost=50.0)],
        [offer("O1", "S1", lead_days=10), offer("O2", "S2", lead_days=3)],
        [("O1", 1, 10.0), ("O2", 1, 13.0)],
    )
    line = award(inputs, NO_CAP).lines.row(0, named=True)
    assert (line["offer_id"], line["late_days"]) == ("O1", 2)
    assert line["late_penalty_usd"] == pytest.approx(100 * 2 * 0.02 * 50.0)
    assert "2 days after the need-by date" in line["explanation"]


def test_the_share_cap_moves_spend_to_the_second_supplier() -> None:
    inputs = frames(
        [requirement(1, 100)],
        [offer("O1", "S1"), offer("O2", "S2")],
        [("O1", 1, 7.0), ("O2", 1, 9.0)],
    )
    capped = award(inputs, SourcingRules(category_share_cap=0.7, mip_gap=1e-9))
    assert lines_by_offer(capped) == {"O1": 75, "O2": 25}
    spend = capped.lines.select(pl.col("quantity_units") * pl.col("unit_price_usd"))
    assert spend.to_series().to_list() == [75 * 7.0, 25 * 9.0]
    assert spend.to_series()[0] / spend.to_series().sum() == pytest.approx(0.7)
    assert capped.share_violations.is_empty()
    assert lines_by_offer(award(inputs, NO_CAP)) == {"O1": 100}


def test_a_share_cap_that_cannot_be_kept_is_relaxed_and_reported() -> None:
    inputs = frames(
        [requirement(1, 100)],
        [offer("O1", "S1"), offer("O2", "S2", capacity=10)],
        [("O1", 1, 7.0), ("O2", 1, 9.0)],
    )
    result = award(inputs, SourcingRules(category_share_cap=0.7, mip_gap=1e-9))
    assert lines_by_offer(result) == {"O1": 90, "O2": 10}
    violation = result.share_violations.row(0, named=True)
    assert violation["supplier_id"] == "S1"
    assert violation["share"] == pytest.approx(630.0 / 720.0)
    assert violation["cap"] == pytest.approx(0.7)


def test_a_share_cap_applies_only_when_enough_suppliers_offer_the_category() -> None:
    inputs = frames([requirement(1, 100)], [offer("O1", "S1")], [("O1", 1, 7.0)])
    result = award(inputs, SourcingRules(category_share_cap=0.7, mip_gap=1e-9))
    assert lines_by_offer(result) == {"O1": 100}
    assert result.share_violations.is_empty()


def test_dual_sourcing_splits_an_a_class_sku_between_two_suppliers() -> None:
    def case(abc: str) -> dict[str, pl.DataFrame]:
        return frames(
            [requirement(1, 100, abc_class=abc)],
            [offer("O1", "S1"), offer("O2", "S2")],
            [("O1", 1, 10.0), ("O2", 1, 11.0)],
        )

    dual = award(case("A"), NO_CAP)
    assert lines_by_offer(dual) == {"O1": 80, "O2": 20}
    assert dual.stats.objective_usd == pytest.approx(80 * 10.0 + 20 * 11.0)
    assert dual.dual_source_violations.is_empty()
    assert lines_by_offer(award(case("C"), NO_CAP)) == {"O1": 100}


def test_dual_sourcing_counts_units_over_all_the_skus_requirements() -> None:
    inputs = frames(
        [
            requirement(1, 80, abc_class="A", warehouse_id="W1"),
            requirement(2, 20, abc_class="A", warehouse_id="W2", need_in_days=45),
        ],
        [offer("O1", "S1", fixed=50.0), offer("O2", "S2", fixed=50.0)],
        [("O1", 1, 10.0), ("O2", 1, 11.0)],
    )
    result = award(inputs, NO_CAP)
    by_requirement = dict(
        zip(result.lines["requirement_id"], result.lines["offer_id"], strict=True)
    )
    assert by_requirement == {1: "O1", 2: "O2"}
    assert result.stats.objective_usd == pytest.approx(800 + 50 + 220 + 50)


def test_dual_sourcing_that_cannot_be_kept_is_relaxed_and_reported() -> None:
    inputs = frames(
        [requirement(1, 100, abc_class="A")],
        [offer("O1", "S1"), offer("O2", "S2", capacity=5)],
        [("O1", 1, 10.0), ("O2", 1, 11.0)],
    )
    result = award(inputs, NO_CAP)
    assert lines_by_offer(result) == {"O1": 95, "O2": 5}
    reason = result.dual_source_violations.row(0, named=True)["reason"]
    assert "S1 95%" in reason
    assert "S2 5%" in reason


def test_an_excluded_supplier_is_never_chosen_and_is_listed_with_its_reason() -> None:
    inputs = frames(
        [requirement(1, 100)],
        [offer("O1", "S1"), offer("O2", "S2")],
        [("O1", 1, 5.0), ("O2", 1, 10.0)],
        [supplier("S1", excluded="blocked: certification expired"), supplier("S2")],
    )
    result = award(inputs, NO_CAP)
    assert lines_by_offer(result) == {"O2": 100}
    excluded = result.alternatives.filter(pl.col("offer_id") == "O1").row(0, named=True)
    assert excluded["status"] == "excluded"
    assert excluded["reason"] == "blocked: certification expired"
    assert excluded["landed_cost_usd"] is None


def test_a_shortfall_is_reported_with_its_reason() -> None:
    no_offer = frames(
        [requirement(1, 10, sku_id="K1"), requirement(2, 20, sku_id="K2")],
        [offer("O1", "S1", sku_id="K1")],
        [("O1", 1, 5.0)],
    )
    result = award(no_offer, NO_CAP)
    short = result.shortfalls.row(0, named=True)
    assert (short["requirement_id"], short["quantity_units"]) == (2, 20)
    assert short["reason"] == "no offer for the SKU"
    blocked = frames(
        [requirement(1, 10)],
        [offer("O1", "S1")],
        [("O1", 1, 5.0)],
        [supplier("S1", excluded="blocked")],
    )
    reason = award(blocked, NO_CAP).shortfalls.row(0, named=True)["reason"]
    assert reason == "all offers excluded: O1 (S1: blocked)"


def test_a_shortfall_when_capacity_runs_out_says_so() -> None:
    inputs = frames([requirement(1, 100)], [offer("O1", "S1", capacity=40)], [("O1", 1, 5.0)])
    result = award(inputs, NO_CAP)
    assert lines_by_offer(result) == {"O1": 40}
    short = result.shortfalls.row(0, named=True)
    assert short["quantity_units"] == 60
    assert short["reason"] == "weekly capacity exhausted or too small: O1"


def test_units_are_left_short_when_buying_them_costs_more_than_the_shortfall() -> None:
    inputs = frames([requirement(1, 10, shortfall_cost=4.0)], [offer("O1", "S1")], [("O1", 1, 5.0)])
    result = award(inputs, NO_CAP)
    assert result.lines.is_empty()
    assert result.shortfalls["reason"][0].startswith("cheaper to leave short")
    assert result.stats.objective_usd == pytest.approx(40.0)


def test_the_direct_model_gives_the_same_awards() -> None:
    inputs = frames(
        [requirement(1, 100, abc_class="A"), requirement(2, 45, sku_id="K2")],
        [
            offer("O1", "S1", capacity=70),
            offer("O2", "S2", moq=30),
            offer("O3", "S1", sku_id="K2", multiple=12),
        ],
        [("O1", 1, 10.0), ("O2", 1, 11.0), ("O3", 1, 4.0), ("O3", 48, 3.5)],
    )
    rules = SourcingRules(mip_gap=1e-9)
    decomposed = award(inputs, rules)
    direct = solve_direct(**inputs, order_date=ORDER_DATE, rules=rules)
    assert decomposed.stats.objective_usd == pytest.approx(direct.stats.objective_usd, rel=1e-9)
    assert lines_by_offer(decomposed) == lines_by_offer(direct)
