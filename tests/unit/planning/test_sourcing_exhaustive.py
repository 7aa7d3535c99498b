"""The award against an exhaustive search written here from the rules, on small random cases.

For every requirement x offer the search lists the order quantities the rules allow (0, or a
multiple of the order multiple, at least the MOQ and the first tier's minimum, within the
weekly capacity, and no more than the requirement rounded up to the multiple unless the MOQ
or the tier reached forces more), prices each at its all-units tier with duty, freight,
expedite, risk and late penalties, and tries every combination: weekly capacities are hard,
shortfall, share-cap excess and dual-sourcing deficits are priced as the rules say. The
cheapest combination must cost what the award costs (decomposed and direct).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl
import pytest
from test_sourcing_frames import ORDER_DATE, frames, offer, requirement, supplier

from shopops.planning.sourcing import SourcingRules, award_suppliers, solve_direct

EXACT = SourcingRules(mip_gap=1e-9)


@dataclass
class _Pair:
    requirement: dict[str, Any]
    offer: dict[str, Any]
    quantities: np.ndarray
    cost_usd: np.ndarray
    spend_usd: np.ndarray


def _week(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _unit_terms(req: dict[str, Any], off: dict[str, Any], rules: SourcingRules) -> float:
    """Per-unit expedite or late penalty of this requirement x offer."""
    available = (req["need_by_date"] - ORDER_DATE).days
    lead = math.ceil(off["lead_time_days"])
    if lead <= available:
        return 0.0
    fast = off["expedite_lead_time_days"]
    cost = off["expedite_cost_usd_per_unit"]
    if fast is not None and cost is not None and math.ceil(fast) <= available:
        return float(cost)
    late_days = lead - available
    return late_days * rules.late_penalty_rate_per_day * req["shortfall_cost_usd_per_unit"]


def _price(quantity: int, tiers: list[tuple[int, float]]) -> float | None:
    reached = [price for minimum, price in tiers if minimum <= quantity]
    return reached[-1] if reached else None


def _allowed(quantity: int, req: dict[str, Any], off: dict[str, Any], tiers: list[Any]) -> bool:
    multiple = max(off["order_multiple_units"], 1)
    if quantity % multiple or quantity < max(off["moq_units"], 1):
        return False
    if quantity > off["capacity_units_per_week"] or _price(quantity, tiers) is None:
        return False
    tier_min = max(m for m, _ in tiers if m <= quantity)
    forced = multiple * math.ceil(max(off["moq_units"], tier_min, 1) / multiple)
    cover = multiple * math.ceil(req["quantity_units"] / multiple)
    return quantity <= max(cover, forced)


def _pair(req: dict[str, Any], off: dict[str, Any], inputs: Any, rules: SourcingRules) -> _Pair:
    tiers = sorted(
        (t["min_quantity_units"], t["unit_price_usd"])
        for t in inputs["tiers"].filter(pl.col("offer_id") == off["offer_id"]).to_dicts()
    )
    sup = inputs["suppliers"].filter(pl.col("supplier_id") == off["supplier_id"]).to_dicts()[0]
    limit = max([req["quantity_units"], off["moq_units"]] + [m for m, _ in tiers]) * 2 + 30
    quantities = [0]
    if sup["excluded_reason"] is None:
        quantities += [q for q in range(1, limit) if _allowed(q, req, off, tiers)]
    extra = _unit_terms(req, off, rules)
    cost, spend = [0.0], [0.0]
    for q in quantities[1:]:
        price = _price(q, tiers)
        assert price is not None
        per_unit = (
            price * (1 + off["duty_rate"] + rules.risk_penalty_rate * sup["risk_score"])
            + off["freight_usd_per_unit"]
            + extra
        )
        cost.append(q * per_unit + off["fixed_order_cost_usd"])
        spend.append(q * price)
    return _Pair(req, off, np.array(quantities), np.array(cost), np.array(spend))


def exhaustive_cost(inputs: dict[str, pl.DataFrame], rules: SourcingRules) -> float:
    """The least cost over every combination of allowed line quantities."""
    reqs = inputs["requirements"].to_dicts()
    pairs = [
        _pair(r, o, inputs, rules)
        for r in reqs
        for o in inputs["offers"].filter(pl.col("sku_id") == r["sku_id"]).to_dicts()
    ]
    grids = np.meshgrid(*[np.arange(len(p.quantities)) for p in pairs], indexing="ij")
    picks = [g.ravel() for g in grids]
    units = [p.quantities[i] for p, i in zip(pairs, picks, strict=True)]
    total = sum(p.cost_usd[i] for p, i in zip(pairs, picks, strict=True))
    total = total + _shortfall(reqs, pairs, units)
    feasible = _within_capacity(pairs, units)
    total = total + _share_penalty(reqs, pairs, units, picks, rules)
    total = total + _dual_penalty(reqs, pairs, units, rules)
    return float(np.min(np.where(feasible, total, np.inf)))


def _shortfall(reqs: list[Any], pairs: list[_Pair], units: list[np.ndarray]) -> np.ndarray:
    cost = np.zeros(len(units[0]))
    for r in reqs:
        covered = sum(u for p, u in zip(pairs, units, strict=True) if p.requirement is r)
        short = np.maximum(r["quantity_units"] - covered, 0)
        cost = cost + short * r["shortfall_cost_usd_per_unit"]
    return cost


def _within_capacity(pairs: list[_Pair], units: list[np.ndarray]) -> np.ndarray:
    used: dict[tuple[str, dt.date], np.ndarray] = {}
    limit: dict[tuple[str, dt.date], int] = {}
    for p, u in zip(pairs, units, strict=True):
        key = (p.offer["offer_id"], _week(p.requirement["need_by_date"]))
        used[key] = used.get(key, 0) + u
        limit[key] = p.offer["capacity_units_per_week"]
    ok = np.ones(len(units[0]), bool)
    for key, amount in used.items():
        ok &= amount <= limit[key]
    return ok


def _usable(pair: _Pair) -> bool:
    return len(pair.quantities) > 1


def _share_penalty(
    reqs: list[Any],
    pairs: list[_Pair],
    units: list[np.ndarray],
    picks: list[np.ndarray],
    rules: SourcingRules,
) -> np.ndarray:
    penalty = np.zeros(len(units[0]))
    for category in {r["category_id"] for r in reqs}:
        members = [p for p in pairs if p.requirement["category_id"] == category]
        suppliers = {p.offer["supplier_id"] for p in members if _usable(p)}
        if len(suppliers) < math.ceil(1 / rules.category_share_cap - 1e-9):
            continue
        spend = {s: np.zeros(len(units[0])) for s in suppliers}
        for p, i in zip(pairs, picks, strict=True):
            if p.requirement["category_id"] == category and p.offer["supplier_id"] in spend:
                spend[p.offer["supplier_id"]] = spend[p.offer["supplier_id"]] + p.spend_usd[i]
        total = sum(spend.values())
        for amount in spend.values():
            excess = np.maximum(amount - rules.category_share_cap * total, 0)
            penalty = penalty + rules.share_cap_penalty_rate * excess
    return penalty


def _dual_penalty(
    reqs: list[Any], pairs: list[_Pair], units: list[np.ndarray], rules: SourcingRules
) -> np.ndarray:
    penalty = np.zeros(len(units[0]))
    for sku in {r["sku_id"] for r in reqs}:
        of_sku = [r for r in reqs if r["sku_id"] == sku]
        members = [(p, u) for p, u in zip(pairs, units, strict=True) if p.offer["sku_id"] == sku]
        suppliers = sorted({p.offer["supplier_id"] for p, _ in members if _usable(p)})
        if not any(r["abc_class"] == "A" for r in of_sku) or len(suppliers) < 2:
            continue
        total = sum(u for _, u in members)
        deficits = []
        for s in suppliers:
            taken = sum(u for p, u in members if p.offer["supplier_id"] == s)
            deficits.append(np.maximum(rules.dual_source_min_share * total - taken, 0))
        two_smallest = np.sort(np.stack(deficits), axis=0)[:2].sum(axis=0)
        rate = np.mean([r["shortfall_cost_usd_per_unit"] for r in of_sku])
        penalty = penalty + rules.dual_source_penalty_rate * rate * two_smallest
    return penalty


def random_inputs(seed: int) -> dict[str, pl.DataFrame]:
    """2-4 requirements of 1-2 SKUs, 2-3 offers per SKU, 1-3 tiers each; at most 8 pairs."""
    rng = np.random.default_rng(seed)
    skus = int(rng.integers(1, 3))
    offers_per_sku = [int(rng.integers(2, 4)) for _ in range(skus)]
    count = int(rng.integers(2, 5))
    sku_of = [int(rng.integers(0, skus)) for _ in range(count)]
    while sum(offers_per_sku[s] for s in sku_of) > 8:
        sku_of.pop()
    reqs = [
        requirement(
            i + 1,
            int(rng.integers(3, 10)),
            sku_id=f"K{s}",
            need_in_days=int(rng.choice([3, 4, 8, 12])),
            category_id=str(rng.choice(["C1", "C2"])),
            warehouse_id=f"W{i}",
            abc_class=str(rng.choice(["A", "B"])),
            shortfall_cost=float(rng.uniform(8.0, 20.0)),
        )
        for i, s in enumerate(sku_of)
    ]
    offers, tiers = [], []
    for s, n in enumerate(offers_per_sku):
        for k in range(n):
            name = f"O{s}{k}"
            offers.append(_random_offer(rng, name, f"S{int(rng.integers(0, 4))}", f"K{s}"))
            tiers += _random_tiers(rng, name)
    suppliers = [
        supplier(f"S{k}", risk=float(rng.uniform(0, 1)), excluded="blocked" if k == 3 else None)
        for k in range(4)
    ]
    return frames(reqs, offers, tiers, suppliers)


def _random_offer(rng: np.random.Generator, name: str, sup: str, sku: str) -> dict[str, Any]:
    expedite = bool(rng.uniform() < 0.5)
    return offer(
        name,
        sup,
        sku_id=sku,
        moq=int(rng.choice([0, 4, 6])),
        multiple=int(rng.choice([1, 2, 3, 4])),
        lead_days=float(rng.choice([2.0, 5.5, 9.0])),
        capacity=int(rng.choice([6, 9, 14, 40])),
        freight=float(rng.uniform(0.0, 1.0)),
        duty=float(rng.choice([0.0, 0.1])),
        fixed=float(rng.uniform(0.0, 8.0)),
        expedite_days=2.0 if expedite else None,
        expedite_cost=float(rng.uniform(0.5, 2.0)) if expedite else None,
    )


def _random_tiers(rng: np.random.Generator, name: str) -> list[tuple[str, int, float]]:
    count = int(rng.integers(1, 4))
    minimum, price = int(rng.choice([1, 2, 5])), float(rng.uniform(5.0, 9.0))
    tiers = []
    for _ in range(count):
        tiers.append((name, minimum, round(price, 2)))
        minimum += int(rng.choice([3, 5, 8]))
        price *= 1 - float(rng.uniform(0.02, 0.12))
    return tiers


def _award_cost(result: Any, inputs: dict[str, pl.DataFrame]) -> float:
    return float(result.stats.objective_usd)


@pytest.mark.parametrize("seed", range(40))
def test_the_award_costs_what_an_exhaustive_search_finds(seed: int) -> None:
    inputs = random_inputs(seed)
    best = exhaustive_cost(inputs, EXACT)
    decomposed = award_suppliers(**inputs, order_date=ORDER_DATE, rules=EXACT, workers=1)
    direct = solve_direct(**inputs, order_date=ORDER_DATE, rules=EXACT)
    assert decomposed.stats.objective_usd == pytest.approx(best, rel=1e-6)
    assert direct.stats.objective_usd == pytest.approx(best, rel=1e-6)
    assert best * (1 - 1e-6) <= decomposed.stats.best_bound_usd <= best * (1 + 1e-9)


@pytest.mark.parametrize("seed", range(40, 46))
def test_a_tighter_share_cap_and_dual_sourcing_still_match_the_search(seed: int) -> None:
    inputs = random_inputs(seed)
    rules = SourcingRules(
        category_share_cap=0.5,
        dual_source_min_share=0.4,
        share_cap_penalty_rate=0.3,
        dual_source_penalty_rate=0.2,
        mip_gap=1e-9,
    )
    best = exhaustive_cost(inputs, rules)
    decomposed = award_suppliers(**inputs, order_date=ORDER_DATE, rules=rules, workers=1)
    assert decomposed.stats.objective_usd == pytest.approx(best, rel=1e-6)


def test_the_reported_lines_add_up_to_the_objective() -> None:
    inputs = random_inputs(3)
    result = award_suppliers(**inputs, order_date=ORDER_DATE, rules=EXACT, workers=1)
    shortfall = result.shortfalls.join(
        inputs["requirements"], on="requirement_id", suffix="_need"
    ).select((pl.col("quantity_units") * pl.col("shortfall_cost_usd_per_unit")).sum())
    lines = result.lines.select(
        (pl.col("total_cost_usd") + pl.col("late_penalty_usd")).sum()
    ).item()
    penalties = result.stats.objective_usd - lines - shortfall.item()
    assert penalties >= -1e-6
    if result.share_violations.is_empty() and result.dual_source_violations.is_empty():
        assert penalties == pytest.approx(0.0, abs=1e-6)
