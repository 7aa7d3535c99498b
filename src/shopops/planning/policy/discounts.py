"""EOQ with quantity discounts (all-units and incremental), a minimum order and an order multiple.

Price tiers come as 2-D arrays, one row per SKU x supplier offer and one column per tier:
``break_quantities_units[i, j]`` is the smallest quantity at which tier ``j`` applies (ascending;
the first break is the smallest quantity the supplier sells) and ``unit_prices_usd[i, j]`` its
price. Rows with fewer tiers are padded with ``nan`` (or ``inf``) in both arrays.

With demand ``λ``, fixed cost ``K``, holding-cost rate ``i`` per day of the unit value, and
purchase cost ``c(Q)`` of an order of ``Q`` units, the cost per day is (Snyder & Shen, 2nd ed.,
§3.5; Hadley & Whitin 1963, §2.8)::

    g(Q) = λ c(Q)/Q + Kλ/Q + i c(Q)/2

- all-units: ``c(Q) = c_j Q`` for ``b_j <= Q < b_{j+1}``; the unconstrained minimiser in tier
  ``j`` is ``√(2Kλ/(i c_j))``.
- incremental: ``c(Q) = c̄_j + c_j (Q - b_j)`` with ``c̄_j`` the price of the first ``b_j`` units;
  the minimiser in tier ``j`` is ``√(2λ(K + c̄_j - c_j b_j)/(i c_j))``.

In each tier the cost is convex in ``Q``, so the best feasible quantity of the tier is the
unconstrained minimiser clipped into the tier (and above the minimum order), or, with an order
multiple ``m``, one of the two multiples of ``m`` around that clipped point. All candidates of
all tiers are priced with the exact ``c(Q)`` and the cheapest is kept; ties go to the smaller
quantity.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from shopops.planning.policy._arrays import (
    FloatArray,
    IntArray,
    Numbers,
    PolicyTable,
    as_rows,
    as_table,
)

DiscountKind = Literal["all_units", "incremental"]


@dataclass(frozen=True, slots=True)
class DiscountedOrderQuantity(PolicyTable):
    """The cheapest feasible order quantity under price tiers, with its cost breakdown.

    ``tier_index`` is the 0-based tier the quantity falls in and ``unit_price_usd`` that tier's
    price (the marginal price for incremental discounts); ``average_unit_cost_usd`` is
    ``c(Q)/Q``. Costs are per day; ``cost_usd_per_day`` includes purchasing. Rows with no
    feasible quantity get ``nan`` and ``tier_index`` -1.
    """

    demand_units_per_day: FloatArray
    fixed_order_cost_usd: FloatArray
    holding_cost_rate_per_day: FloatArray
    moq_units: FloatArray
    order_multiple_units: FloatArray
    order_quantity_units: FloatArray
    tier_index: IntArray
    unit_price_usd: FloatArray
    average_unit_cost_usd: FloatArray
    purchase_cost_usd_per_day: FloatArray
    ordering_cost_usd_per_day: FloatArray
    holding_cost_usd_per_day: FloatArray
    cost_usd_per_day: FloatArray


@dataclass(frozen=True, slots=True)
class _Tiers:
    breaks: FloatArray  # rows x tiers, inf where padded
    prices: FloatArray  # rows x tiers, 0 where padded
    upper: FloatArray  # rows x tiers: next break (inf after the last tier)
    cost_below: FloatArray  # rows x tiers: incremental price of the first b_j units
    kind: DiscountKind

    def tier_of(self, quantity: FloatArray) -> IntArray:
        """Tier index of each quantity (rows x candidates); -1 below the first break."""
        reached = self.breaks[:, None, :] <= quantity[:, :, None]
        return np.asarray(reached.sum(axis=-1), dtype=np.int64) - 1

    def purchase_cost(self, quantity: FloatArray, tier: IntArray) -> FloatArray:
        """Price ``c(Q)`` of an order (rows x candidates); ``nan`` below the first break."""
        index = np.maximum(tier, 0)
        price = np.take_along_axis(self.prices, index, axis=1)
        if self.kind == "all_units":
            cost = price * quantity
        else:
            start = np.take_along_axis(self.breaks, index, axis=1)
            before = np.take_along_axis(self.cost_below, index, axis=1)
            cost = before + price * (quantity - start)
        return np.where(tier >= 0, cost, np.nan)


def _tiers(breaks: Numbers, prices: Numbers, rows: int, kind: DiscountKind) -> _Tiers:
    b = as_table(breaks, rows)
    c = as_table(prices, rows)
    padded = np.isnan(b) | np.isnan(c) | np.isinf(c)
    b = np.where(padded, np.inf, b)
    c = np.where(padded, 0.0, c)
    with np.errstate(invalid="ignore"):
        if np.any(np.diff(b, axis=1) < 0):
            raise ValueError("price-tier break quantities must ascend within each row")
        upper = np.concatenate([b[:, 1:], np.full((rows, 1), np.inf)], axis=1)
        width = np.where(np.isfinite(upper), upper - b, 0.0)
        spent = np.cumsum(c * width, axis=1)
        first = np.where(np.isfinite(b[:, :1]), c[:, :1] * b[:, :1], 0.0)
        below = np.concatenate([np.zeros((rows, 1)), spent[:, :-1]], axis=1) + first
    below = np.where(np.isfinite(b), below, np.inf)
    return _Tiers(b, c, upper, below, kind)


def _tier_minimisers(
    tiers: _Tiers, fixed: FloatArray, rate: FloatArray, demand: FloatArray
) -> FloatArray:
    """Unconstrained minimiser of each tier's cost curve (rows x tiers)."""
    c = tiers.prices
    with np.errstate(divide="ignore", invalid="ignore"):
        numerator = fixed[:, None]
        if tiers.kind == "incremental":
            numerator = numerator + tiers.cost_below - c * tiers.breaks
        return np.sqrt(2.0 * demand[:, None] * numerator / (rate[:, None] * c))


def _candidates(
    tiers: _Tiers, best: FloatArray, moq: FloatArray, multiple: FloatArray
) -> FloatArray:
    """Feasible quantities worth pricing: per tier the clipped optimum, or its two multiples."""
    low = np.maximum(tiers.breaks, moq[:, None])
    high = tiers.upper
    step = multiple[:, None]
    stepped = step > 0.0
    with np.errstate(invalid="ignore", divide="ignore"):
        safe = np.where(stepped, step, 1.0)
        low = np.where(stepped, np.ceil(low / safe) * safe, low)
        high = np.where(stepped, np.ceil(high / safe) * safe - safe, high)
        point = np.clip(best, low, high)
        down = np.where(stepped, np.floor(point / safe) * safe, point)
        up = np.where(stepped, np.ceil(point / safe) * safe, point)
    valid = np.isfinite(point) & (low <= high)
    both = np.stack([np.where(valid, down, np.nan), np.where(valid, up, np.nan)], axis=-1)
    return both.reshape(best.shape[0], 2 * best.shape[1])


def discounted_order_quantity(
    fixed_order_cost_usd: Numbers,
    holding_cost_rate_per_day: Numbers,
    demand_units_per_day: Numbers,
    break_quantities_units: Numbers,
    unit_prices_usd: Numbers,
    *,
    kind: DiscountKind = "all_units",
    moq_units: Numbers = 0.0,
    order_multiple_units: Numbers = 0.0,
) -> DiscountedOrderQuantity:
    """Cheapest order quantity under all-units or incremental price tiers, MOQ and multiple.

    Parameters
    ----------
    fixed_order_cost_usd, holding_cost_rate_per_day, demand_units_per_day
        ``K``, ``i`` (share of the unit value per day) and ``λ`` per row.
    break_quantities_units, unit_prices_usd
        Tiers, shape ``(rows, tiers)`` padded with ``nan``, or 1-D for one tier list shared
        by every row.
    kind
        ``"all_units"`` (every unit at the price of the tier the order reaches) or
        ``"incremental"`` (each unit at the price of its own tier).
    moq_units
        Smallest quantity allowed (0 for none).
    order_multiple_units
        Quantities must be multiples of this (0 for any quantity).

    Examples
    --------
    >>> plan = discounted_order_quantity(8.0, 0.3, 1300.0, [0, 400, 800], [0.75, 0.72, 0.68])
    >>> float(plan.order_quantity_units[0]), int(plan.tier_index[0])
    (800.0, 2)
    >>> round(float(plan.cost_usd_per_day[0]), 2)
    978.6
    """
    fixed, rate, demand, moq, multiple = as_rows(
        fixed_order_cost_usd,
        holding_cost_rate_per_day,
        demand_units_per_day,
        moq_units,
        order_multiple_units,
    )
    rows = demand.shape[0]
    if kind not in ("all_units", "incremental"):
        raise ValueError(f"unknown discount kind {kind!r}")
    tiers = _tiers(break_quantities_units, unit_prices_usd, rows, kind)
    best = _tier_minimisers(tiers, fixed, rate, demand)
    quantity = _candidates(tiers, best, moq, multiple)
    tier = tiers.tier_of(np.nan_to_num(quantity, nan=-np.inf))
    purchase = tiers.purchase_cost(quantity, tier)
    with np.errstate(divide="ignore", invalid="ignore"):
        cost = (
            demand[:, None] * (purchase + fixed[:, None]) / quantity + rate[:, None] * purchase / 2
        )
    cost = np.where(np.isfinite(cost), cost, np.inf)
    pick = np.argmin(cost, axis=1)[:, None]
    return _summarise(tiers, fixed, rate, demand, moq, multiple, quantity, tier, purchase, pick)


def _summarise(
    tiers: _Tiers,
    fixed: FloatArray,
    rate: FloatArray,
    demand: FloatArray,
    moq: FloatArray,
    multiple: FloatArray,
    quantities: FloatArray,
    tiers_of: IntArray,
    purchases: FloatArray,
    pick: IntArray,
) -> DiscountedOrderQuantity:
    quantity = np.take_along_axis(quantities, pick, axis=1)[:, 0]
    purchase = np.take_along_axis(purchases, pick, axis=1)[:, 0]
    tier = np.take_along_axis(tiers_of, pick, axis=1)[:, 0]
    feasible = np.isfinite(purchase)
    tier = np.where(feasible, tier, -1)
    price = np.take_along_axis(tiers.prices, np.maximum(tier, 0)[:, None], axis=1)[:, 0]
    with np.errstate(divide="ignore", invalid="ignore"):
        average = purchase / quantity
        ordering = fixed * demand / quantity
    holding = rate * purchase / 2.0
    buying = demand * average
    return DiscountedOrderQuantity(
        demand_units_per_day=demand,
        fixed_order_cost_usd=fixed,
        holding_cost_rate_per_day=rate,
        moq_units=moq,
        order_multiple_units=multiple,
        order_quantity_units=np.where(feasible, quantity, np.nan),
        tier_index=tier,
        unit_price_usd=np.where(feasible, price, np.nan),
        average_unit_cost_usd=np.where(feasible, average, np.nan),
        purchase_cost_usd_per_day=np.where(feasible, buying, np.nan),
        ordering_cost_usd_per_day=np.where(feasible, ordering, np.nan),
        holding_cost_usd_per_day=np.where(feasible, holding, np.nan),
        cost_usd_per_day=np.where(feasible, buying + ordering + holding, np.nan),
    )
