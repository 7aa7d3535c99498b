"""The returns disposition engine: values worked out by hand, and the argmax of a plain loop.

Default costs: restock handling 1.50 USD a unit, refurbishing 20 % of unit cost, liquidation
30 % of unit cost, disposal 0.75 USD a unit; open box 25 % off, refurbished at 60 % of price.
"""

from __future__ import annotations

import math

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factories import minimal_marketplace
from shopops.domain.orders import ConditionGrade, Disposition, ReturnReason
from shopops.domain.params import PlanParams
from shopops.planning.fulfillment.rates import RateTable
from shopops.planning.returns import (
    TYPICAL_GRADE_MIX,
    DispositionCosts,
    choose_dispositions,
    grade_mix_from_history,
    return_decisions,
    return_freight_usd,
)

COSTS = DispositionCosts()
EARBUDS = {"price_usd": 39.99, "unit_cost_usd": 11.2}  # SKU-001
LIP_GLOSS = {"price_usd": 9.9, "unit_cost_usd": 1.8}  # SKU-003


def _choose(item: dict[str, float], grade: str, quantity: int = 1, freight: float = 0.0) -> dict:
    frame = pl.DataFrame(
        [
            {
                **item,
                "condition_grade": grade,
                "quantity_units": quantity,
                "return_freight_usd": freight,
            }
        ]
    )
    return choose_dispositions(frame, COSTS).row(0, named=True)


def test_earbuds_each_grade_goes_where_it_recovers_most() -> None:
    # A: restock 39.99 - 1.50 = 38.49 beats liquidation 0.3 x 11.20 = 3.36
    a = _choose(EARBUDS, "A")
    assert (a["disposition"], a["restock_value_usd"]) == ("restock", pytest.approx(38.49))
    assert a["refurbish_value_usd"] is None
    # B: open box 39.99 x 0.75 - 1.50 = 28.4925 beats refurbished 39.99 x 0.6 - 0.2 x 11.2 = 21.754
    b = _choose(EARBUDS, "B")
    assert b["disposition"] == "restock"
    assert (b["restock_value_usd"], b["refurbish_value_usd"]) == (
        pytest.approx(28.4925),
        pytest.approx(21.754),
    )
    # C cannot be sold as new: refurbish 21.754
    c = _choose(EARBUDS, "C")
    assert (c["disposition"], c["restock_value_usd"]) == ("refurbish", None)
    # D is scrap: dispose at -0.75
    d = _choose(EARBUDS, "D")
    assert (d["disposition"], d["recovered_value_usd"]) == ("dispose", -0.75)


def test_recovered_value_counts_every_unit_and_subtracts_the_return_freight() -> None:
    # two grade C units refurbished: 2 x 21.754 - 5.71 freight = 37.798
    c = _choose(EARBUDS, "C", quantity=2, freight=5.71)
    assert c["recovered_value_usd"] == 37.8


def test_a_clearance_item_costing_more_than_it_sells_for_is_liquidated() -> None:
    clearance = {"price_usd": 5.0, "unit_cost_usd": 10.0}
    # B: open box 5 x 0.75 - 1.5 = 2.25, refurbished 3 - 2 = 1.0, liquidation 3.0
    assert _choose(clearance, "B")["disposition"] == "liquidate"
    # C: refurbished 1.0 < liquidation 3.0
    assert _choose(clearance, "C")["disposition"] == "liquidate"
    # A: restock 3.5 > 3.0
    assert _choose(clearance, "A")["disposition"] == "restock"


def test_a_grade_outside_a_to_d_is_refused() -> None:
    with pytest.raises(ValueError, match="condition_grade"):
        _choose(EARBUDS, "E")


def _decide(item: dict[str, float], reason: str, quantity: int, freight: float) -> dict:
    frame = pl.DataFrame(
        [{**item, "reason": reason, "quantity_units": quantity, "return_freight_usd": freight}]
    )
    return return_decisions(frame, COSTS).row(0, named=True)


def test_a_damaged_lip_gloss_is_not_worth_its_return_postage() -> None:
    # best per grade: A 8.40 restock, B 5.925 open box, C 5.58 refurbished, D -0.75;
    # damaged mix 5/15/45/35 %: 0.42 + 0.88875 + 2.511 - 0.2625 = 3.55725 < 5.712 postage
    one = _decide(LIP_GLOSS, "damaged", 1, 5.712)
    assert (one["expected_recovery_usd"], one["returnless"]) == (3.56, True)
    # two of them bring 7.11, more than one parcel costs
    two = _decide(LIP_GLOSS, "damaged", 2, 5.712)
    assert (two["expected_recovery_usd"], two["returnless"]) == (7.11, False)


def test_earbuds_sent_back_for_a_changed_mind_come_back() -> None:
    # A 38.49, B 28.4925, C 21.754: 26.943 + 7.1231 + 1.0877 = 35.1538 > 5.712 postage
    decision = _decide(EARBUDS, "changed_mind", 1, 5.712)
    assert (decision["expected_recovery_usd"], decision["returnless"]) == (35.15, False)


def test_the_grade_mix_learns_from_inspections_and_leans_on_the_typical_one() -> None:
    graded = pl.DataFrame(
        {
            "reason": ["damaged", "damaged", "changed_mind"],
            "condition_grade": ["A", "D", "A"],
            "quantity_units": [10, 10, 980],
        }
    )
    mix = grade_mix_from_history(graded)
    # damaged: 20 typical units 1/3/9/7 plus 10 A and 10 D = 11/3/9/17 of 40
    assert mix[ReturnReason.DAMAGED] == pytest.approx((11 / 40, 3 / 40, 9 / 40, 17 / 40))
    # changed mind: 14/5/1/0 plus 980 A = 994/5/1/0 of 1,000
    assert mix[ReturnReason.CHANGED_MIND] == pytest.approx((0.994, 0.005, 0.001, 0.0))
    # no inspections of a reason: its typical mix
    assert mix[ReturnReason.DEFECTIVE] == pytest.approx(TYPICAL_GRADE_MIX[ReturnReason.DEFECTIVE])
    empty = grade_mix_from_history(graded.clear())
    for reason, typical in TYPICAL_GRADE_MIX.items():
        assert empty[reason] == pytest.approx(typical)


def test_a_parcel_no_carrier_prices_comes_back() -> None:
    assert _decide(LIP_GLOSS, "damaged", 1, math.nan)["returnless"] is False


def _rates() -> RateTable:
    tables = minimal_marketplace()
    return RateTable.from_frames(
        tables["carrier_services"], tables["rate_cards"], tables["transit_times"]
    )


def test_return_postage_comes_from_the_outbound_lane_and_service() -> None:
    rates = _rates()
    # UPS Ground, zone 1, 0.15 kg: band up to 1 kg 5.10 plus 12 % fuel = 5.712
    assert return_freight_usd(rates, "UPS-GND", 1, 0.15, 384.0) == pytest.approx(5.712)
    # 3 kg is beyond Colis Privé's 2 kg band: UPS Ground's 5 kg band 7.40 x 1.12 = 8.288
    assert return_freight_usd(rates, "COL-ECO", 1, 3.0, 1_000.0) == pytest.approx(8.288)
    # 6 kg: no service takes it in zone 1
    assert math.isnan(return_freight_usd(rates, "UPS-GND", 1, 6.0, 1_000.0))


def test_costs_come_from_the_planning_parameters() -> None:
    params = PlanParams(restock_handling_usd_per_unit=2.0, liquidation_recovery_share=0.5)
    costs = DispositionCosts.from_params(params)
    assert (costs.restock_handling_usd_per_unit, costs.liquidation_recovery_share) == (2.0, 0.5)


def _by_hand(price: float, cost: float, grade: str, costs: DispositionCosts) -> dict[str, float]:
    """Each option open to the grade and its value per unit, written out one by one."""
    values: dict[str, float] = {}
    if grade == "A":
        values["restock"] = price - costs.restock_handling_usd_per_unit
    if grade == "B":
        values["restock"] = price * (1 - costs.open_box_discount) - (
            costs.restock_handling_usd_per_unit
        )
    if grade in ("B", "C"):
        values["refurbish"] = (
            price * costs.refurbished_price_share - costs.refurbish_cost_share * cost
        )
    if grade != "D":
        values["liquidate"] = costs.liquidation_recovery_share * cost
    values["dispose"] = -costs.disposal_cost_usd_per_unit
    return values


money = st.floats(0.01, 500.0, allow_nan=False)
share = st.floats(0.0, 1.0, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(
    items=st.lists(
        st.tuples(money, money, st.sampled_from("ABCD"), st.integers(1, 5)),
        min_size=1,
        max_size=8,
    ),
    handling=st.floats(0.0, 5.0),
    refurbish=share,
    liquidation=share,
    disposal=st.floats(0.0, 5.0),
)
def test_the_chosen_disposition_is_the_best_of_a_plain_loop(
    items: list[tuple[float, float, str, int]],
    handling: float,
    refurbish: float,
    liquidation: float,
    disposal: float,
) -> None:
    costs = DispositionCosts(
        restock_handling_usd_per_unit=handling,
        refurbish_cost_share=refurbish,
        liquidation_recovery_share=liquidation,
        disposal_cost_usd_per_unit=disposal,
    )
    frame = pl.DataFrame(
        items,
        schema=["price_usd", "unit_cost_usd", "condition_grade", "quantity_units"],
        orient="row",
    )
    chosen = choose_dispositions(frame, costs)
    for (price, cost, grade, quantity), row in zip(
        items, chosen.iter_rows(named=True), strict=True
    ):
        values = _by_hand(price, cost, grade, costs)
        best = max(values.values())
        assert row["disposition"] in values
        assert values[row["disposition"]] == pytest.approx(best, abs=1e-9)
        assert row["recovered_value_usd"] == pytest.approx(quantity * best, abs=0.006)


@settings(max_examples=100, deadline=None)
@given(
    price=money, cost=money, reason=st.sampled_from(list(ReturnReason)), quantity=st.integers(1, 4)
)
def test_expected_recovery_is_the_grade_mix_average_of_the_best_values(
    price: float, cost: float, reason: ReturnReason, quantity: int
) -> None:
    mix = dict(zip("ABCD", TYPICAL_GRADE_MIX[reason], strict=True))
    by_hand = sum(
        share * max(_by_hand(price, cost, grade, COSTS).values()) for grade, share in mix.items()
    )
    decision = _decide({"price_usd": price, "unit_cost_usd": cost}, reason.value, quantity, 10.0)
    assert decision["expected_recovery_usd"] == pytest.approx(quantity * by_hand, abs=0.006)
    if abs(quantity * by_hand - 10.0) > 1e-6:
        assert decision["returnless"] is (quantity * by_hand < 10.0)


def test_every_grade_and_option_is_named_in_the_domain() -> None:
    assert [g.value for g in ConditionGrade] == ["A", "B", "C", "D"]
    assert [d.value for d in Disposition] == ["restock", "refurbish", "liquidate", "dispose"]
