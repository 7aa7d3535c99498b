"""The explanations and the alternatives quote the same numbers as the award's lines."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import polars as pl
import pytest
from test_sourcing_frames import ORDER_DATE, award, frames, offer, requirement, supplier

from shopops.planning.sourcing import SourcingRules, award_suppliers

BUY = re.compile(
    r"Buy (?P<units>[\d,]+) units? from (?P<supplier>\S+) \(offer (?P<offer>\S+)\) at USD "
    r"(?P<price>[\d,.]+) a unit, the tier from (?P<tier>[\d,]+) units?"
)
RUNNER_UP = re.compile(
    r"Runner-up (?P<offer>\S+) \((?P<supplier>\S+)\) would cost USD (?P<usd>[\d,.]+) "
    r"(?P<sign>more|less) and arrive (?:the same day|(?P<days>[\d.]+) days? "
    r"(?P<when>later|sooner))"
)


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def marketplace(seed: int) -> dict[str, pl.DataFrame]:
    """Twelve SKUs, three offers each from six suppliers (one blocked, one on probation),
    tiers, MOQs, multiples, capacities, expedites; two requirements per SKU."""
    rng = np.random.default_rng(seed)
    reqs, offers, tiers = [], [], []
    for sku in range(12):
        for w in range(2):
            reqs.append(
                requirement(
                    len(reqs) + 1,
                    int(rng.integers(20, 300)),
                    sku_id=f"K{sku}",
                    need_in_days=int(rng.integers(3, 40)),
                    category_id=f"C{sku % 3}",
                    warehouse_id=f"W{w}",
                    abc_class=str(rng.choice(["A", "B", "C"])),
                    shortfall_cost=float(rng.uniform(30, 60)),
                )
            )
        for k, sup in enumerate(rng.choice(6, 3, replace=False)):
            name = f"O{sku}-{k}"
            expedite = bool(rng.uniform() < 0.5)
            offers.append(
                offer(
                    name,
                    f"S{sup}",
                    sku_id=f"K{sku}",
                    moq=int(rng.choice([0, 25, 60])),
                    multiple=int(rng.choice([1, 6, 10])),
                    lead_days=float(rng.integers(2, 30)),
                    capacity=int(rng.integers(100, 600)),
                    freight=float(rng.uniform(0.5, 2)),
                    duty=float(rng.choice([0.0, 0.1])),
                    fixed=float(rng.uniform(5, 40)),
                    expedite_days=2.0 if expedite else None,
                    expedite_cost=float(rng.uniform(1, 3)) if expedite else None,
                )
            )
            price = float(rng.uniform(15, 25))
            tiers += [(name, 1, price), (name, 150, round(price * 0.93, 2))]
    suppliers = [
        supplier("S0", risk=0.3),
        supplier("S1", excluded="blocked: failed audit"),
        supplier("S2", warning="probation"),
        *[supplier(f"S{k}", risk=float(rng.uniform(0, 0.5))) for k in range(3, 6)],
    ]
    return frames(reqs, offers, tiers, suppliers)


@pytest.fixture(scope="module", params=[1, 2, 3])
def result(request: pytest.FixtureRequest) -> tuple[Any, dict[str, pl.DataFrame]]:
    inputs = marketplace(request.param)
    return award(inputs, SourcingRules(mip_gap=1e-9)), inputs


def test_each_explanation_states_the_line_it_explains(result: Any) -> None:
    award_result, _ = result
    for line in award_result.lines.iter_rows(named=True):
        match = BUY.search(line["explanation"])
        assert match, line["explanation"]
        assert _number(match["units"]) == line["quantity_units"]
        assert (match["supplier"], match["offer"]) == (line["supplier_id"], line["offer_id"])
        assert _number(match["price"]) == pytest.approx(line["unit_price_usd"], abs=0.005)
        assert _number(match["tier"]) == line["tier_min_quantity_units"]


def test_the_runner_up_quoted_matches_its_alternative_row(result: Any) -> None:
    award_result, _ = result
    alternatives = award_result.alternatives
    quoted = 0
    for line in award_result.lines.iter_rows(named=True):
        match = RUNNER_UP.search(line["explanation"])
        if match is None:
            assert "No other eligible offer." in line["explanation"]
            continue
        row = alternatives.filter(
            (pl.col("requirement_id") == line["requirement_id"])
            & (pl.col("offer_id") == match["offer"])
        ).row(0, named=True)
        assert row["status"] == "eligible"
        sign = 1 if match["sign"] == "more" else -1
        assert sign * _number(match["usd"]) == pytest.approx(row["cost_difference_usd"], abs=0.006)
        days = 0.0 if match["days"] is None else _number(match["days"])
        days *= 1 if match["when"] in (None, "later") else -1
        assert days == pytest.approx(row["lead_time_difference_days"])
        quoted += 1
    assert quoted > 0


def test_alternatives_differences_are_measured_against_the_chosen_lines(result: Any) -> None:
    award_result, inputs = result
    chosen = award_result.lines.group_by("requirement_id").agg(
        pl.col("total_cost_usd").sum().alias("cost"), pl.col("lead_time_days").max().alias("lead")
    )
    rows = award_result.alternatives.join(chosen, on="requirement_id").join(
        inputs["offers"].select("offer_id", "lead_time_days", "expedite_lead_time_days"),
        on="offer_id",
    )
    priced = rows.filter(pl.col("landed_cost_usd").is_not_null())
    assert (
        priced["cost_difference_usd"] - (priced["landed_cost_usd"] - priced["cost"])
    ).abs().max() < 1e-6
    plain = rows.filter(pl.col("expedite_lead_time_days").is_null())
    lead = plain["lead_time_days"] - plain["lead"]
    assert (plain["lead_time_difference_days"] - lead).abs().max() < 1e-9


def test_every_offer_of_the_sku_is_listed_once_with_the_right_status(result: Any) -> None:
    award_result, inputs = result
    per_sku = inputs["offers"].group_by("sku_id").len()
    expected = inputs["requirements"].join(per_sku, on="sku_id")["len"].sum()
    alternatives = award_result.alternatives
    assert alternatives.height == expected
    assert alternatives.select("requirement_id", "offer_id").is_unique().all()
    chosen = alternatives.filter(pl.col("status") == "chosen").select("requirement_id", "offer_id")
    assert chosen.sort(pl.all()).equals(
        award_result.lines.select("requirement_id", "offer_id").sort(pl.all())
    )
    blocked = alternatives.join(
        inputs["offers"].filter(pl.col("supplier_id") == "S1"), on="offer_id", how="semi"
    )
    assert set(blocked["status"]) <= {"excluded"}
    assert set(blocked["reason"]) <= {"blocked: failed audit"}


def test_a_whole_quantity_line_costs_what_its_alternative_row_says(result: Any) -> None:
    award_result, _ = result
    single = award_result.lines.filter(pl.len().over("requirement_id") == 1)
    joined = single.join(award_result.alternatives, on=["requirement_id", "offer_id"])
    cheapest = joined.filter(pl.col("explanation").str.contains("Cheapest offer for the whole"))
    assert cheapest.height > 0
    assert (cheapest["landed_cost_usd"] - cheapest["total_cost_usd"]).abs().max() < 1e-6
    assert (cheapest["cost_difference_usd"].abs()).max() < 1e-6


def test_expedites_lateness_and_warnings_are_explained(result: Any) -> None:
    award_result, inputs = result
    lines = award_result.lines.join(
        inputs["offers"].select("offer_id", "expedite_cost_usd_per_unit"), on="offer_id"
    ).join(inputs["suppliers"].select("supplier_id", "warning"), on="supplier_id")
    for line in lines.iter_rows(named=True):
        text = line["explanation"]
        if line["expedited"]:
            assert f"Expedited to arrive {line['arrival_date']}" in text
            assert f"USD {line['expedite_cost_usd_per_unit']:,.2f} a unit extra" in text
        if line["late_days"]:
            assert f"(late penalty USD {line['late_penalty_usd']:,.2f})" in text
        if line["warning"]:
            assert f"Supplier warning: {line['warning']}." in text


def test_the_award_over_two_worker_processes_is_the_same() -> None:
    inputs = marketplace(1)
    rules = SourcingRules(mip_gap=1e-9)
    here = award_suppliers(**inputs, order_date=ORDER_DATE, rules=rules, workers=1)
    pooled = award_suppliers(**inputs, order_date=ORDER_DATE, rules=rules, workers=2)
    assert pooled.stats.objective_usd == pytest.approx(here.stats.objective_usd, rel=1e-9)
    assert pooled.lines.drop("explanation").equals(here.lines.drop("explanation"))


def test_a_time_limit_that_runs_out_still_gives_a_feasible_award_and_a_valid_bound() -> None:
    inputs = marketplace(2)
    exact = award(inputs, SourcingRules(mip_gap=1e-9))
    rushed = award(inputs, SourcingRules(mip_gap=1e-9, time_limit_seconds=1e-6))
    assert rushed.stats.best_bound_usd <= exact.stats.objective_usd * (1 + 1e-9)
    assert rushed.stats.objective_usd >= exact.stats.objective_usd * (1 - 1e-9)
    used = (
        rushed.lines.join(inputs["requirements"], on="requirement_id")
        .group_by("offer_id", pl.col("need_by_date").dt.truncate("1w"))
        .agg(pl.col("quantity_units").sum())
    )
    limits = used.join(inputs["offers"], on="offer_id")
    assert (limits["quantity_units"] <= limits["capacity_units_per_week"]).all()
