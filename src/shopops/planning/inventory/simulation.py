"""Day-by-day inventory simulation of many SKU x warehouse rows at once.

Arrays are ``rows x days``; the loop runs over days only, each step a handful of NumPy
operations over every row. Within a day, in order:

1. the day's demand is served from stock on hand; what stock cannot serve is lost, or,
   with backorders, left as a negative net stock that later receipts fill first;
2. receipts due that day arrive (an order placed at the end of day ``t`` with a lead time of
   ``L`` days arrives at the end of day ``t + L``, so it waits exactly ``L`` days);
3. the inventory position (net stock plus stock on order) is reviewed. Continuous review
   (r, Q): whenever the position is at or below ``r``, order the smallest multiple of ``Q``
   that lifts it above ``r``. Periodic review (s, S) every ``R`` days: when the position is
   at or below ``s`` (below ``S`` where there is no ``s``), order up to ``S``, rounded up to
   the order multiple and at least the minimum order.

A replenishment cycle ends with a receipt and counts as stocked out when demand went
unserved since the previous receipt (or the first day). Each cycle is counted once, by its
end: stock-outs after the last receipt belong to a cycle that ends after the last day.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class PolicyArrays:
    """The policy of each row; ``review_period_days`` 0 is continuous review."""

    reorder_point_units: FloatArray  # r, or s (nan: order whenever below S)
    order_quantity_units: FloatArray  # Q (continuous review)
    order_up_to_level_units: FloatArray  # S (periodic review)
    review_period_days: IntArray
    moq_units: FloatArray
    order_multiple_units: FloatArray


@dataclass(frozen=True, slots=True)
class StartingStock:
    """Stock on hand at the start and receipts already due (``rows x days ahead``)."""

    on_hand_units: FloatArray
    arrivals_units: FloatArray  # column j arrives at the end of day j


@dataclass(frozen=True, slots=True)
class SimulationTotals:
    """What happened to each row over the simulated days."""

    demand_units: FloatArray
    served_units: FloatArray
    short_units: FloatArray
    stockout_days: FloatArray
    on_hand_unit_days: FloatArray
    orders_placed: FloatArray
    units_ordered: FloatArray
    units_received: FloatArray
    cycles: FloatArray
    cycles_stocked_out: FloatArray
    ending_net_stock_units: FloatArray


def simulate_inventory(
    policy: PolicyArrays,
    demand_units: FloatArray,
    lead_time_days: IntArray,
    start: StartingStock,
    *,
    backorders: bool = False,
) -> SimulationTotals:
    """Simulate every row over the columns of ``demand_units`` (see module notes).

    ``lead_time_days[i, t]`` is the lead time of an order row ``i`` would place on day ``t``
    (at least 1).
    """
    rows, days = demand_units.shape
    width = days + int(lead_time_days.max(initial=1)) + 1
    pipeline = np.zeros((rows, max(width, start.arrivals_units.shape[1])))
    pipeline[:, : start.arrivals_units.shape[1]] = start.arrivals_units
    net = start.on_hand_units.astype(np.float64).copy()
    on_order = pipeline.sum(axis=1)
    totals = {name: np.zeros(rows) for name in SimulationTotals.__dataclass_fields__}
    open_short = np.zeros(rows, dtype=bool)
    index = np.arange(rows)
    for day in range(days):
        demand = demand_units[:, day]
        served = np.minimum(np.maximum(net, 0.0), demand)
        short = demand - served
        net -= demand if backorders else served
        arriving = pipeline[:, day]
        net += arriving
        on_order -= arriving
        received = arriving > 0
        open_short |= short > 0
        totals["cycles"] += received
        totals["cycles_stocked_out"] += received & open_short
        open_short &= ~received
        quantity = _order_quantity(policy, net + on_order, day)
        placing = index[quantity > 0]
        pipeline[placing, day + lead_time_days[placing, day]] += quantity[placing]
        on_order += quantity
        totals["demand_units"] += demand
        totals["served_units"] += served
        totals["short_units"] += short
        totals["stockout_days"] += short > 0
        totals["on_hand_unit_days"] += np.maximum(net, 0.0)
        totals["orders_placed"] += quantity > 0
        totals["units_ordered"] += quantity
        totals["units_received"] += arriving
    totals["ending_net_stock_units"] = net
    return SimulationTotals(**totals)


def _order_quantity(policy: PolicyArrays, position: FloatArray, day: int) -> FloatArray:
    """Units ordered today per row (0 where no order is due)."""
    review = policy.review_period_days
    periodic = review > 0
    r, q = policy.reorder_point_units, policy.order_quantity_units
    with np.errstate(invalid="ignore", divide="ignore"):
        batches = np.floor((r - position) / q) + 1.0
        continuous = np.where(~periodic & (position <= r) & (q > 0), batches * q, 0.0)
        up_to = policy.order_up_to_level_units
        due = periodic & (day % np.maximum(review, 1) == 0)
        below = np.where(np.isnan(r), position < up_to, position <= r)
        multiple = np.where(policy.order_multiple_units > 0, policy.order_multiple_units, 1.0)
        raw = np.ceil((up_to - position) / multiple - 1e-9) * multiple
        topped = np.maximum(raw, policy.moq_units)
    return np.where(due & below & (up_to > position), topped, continuous)


def steady_starting_stock(
    policy: PolicyArrays,
    demand_mean_units_per_day: FloatArray,
    lead_time_mean_days: FloatArray,
    phase: FloatArray,
) -> StartingStock:
    """A start in the policy's steady state under steady demand, at cycle phase ``phase``.

    With ``q`` units per order (``Q``, or a review period's demand but at least the minimum
    order) and a cycle of ``T = q / μ`` days, a row at phase ``u`` (uniform on [0, 1) gives
    the stationary spread) last ordered ``uT`` days ago: its inventory position is the
    ceiling (``r + Q`` or ``S``) less ``uq``. The orders placed ``uT + jT`` days ago are
    still on their way while that is less than the lead time ``L``; stock on hand is the
    position less those orders.
    """
    mu = np.maximum(demand_mean_units_per_day, 0.0)
    periodic = policy.review_period_days > 0
    per_review = np.maximum(mu * policy.review_period_days, policy.moq_units)
    q = np.where(periodic, per_review, policy.order_quantity_units)
    ceiling = np.where(
        periodic,
        policy.order_up_to_level_units,
        policy.reorder_point_units + policy.order_quantity_units,
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        cycle_days = np.where(mu > 0, q / mu, np.inf)
    lead = np.maximum(lead_time_mean_days, 0.0)
    ahead = int(np.ceil(lead.max(initial=0.0))) + 1
    arrivals = np.zeros((mu.shape[0], ahead))
    age = phase * cycle_days
    position = ceiling - np.floor(phase * q)  # whole units: uniform on r + 1 .. r + Q
    outstanding = np.zeros(mu.shape[0])
    rows = np.arange(mu.shape[0])
    while True:
        travelling = np.isfinite(age) & (age < lead) & (q > 0)
        if not travelling.any():
            break
        # placed ``age`` days before the start, it arrives at the end of day ceil(L - age) - 1
        due = np.clip(np.ceil(lead - age) - 1, 0, ahead - 1).astype(np.int64)
        np.add.at(arrivals, (rows[travelling], due[travelling]), q[travelling])
        outstanding += np.where(travelling, q, 0.0)
        age = np.where(travelling, age + cycle_days, np.inf)
    return StartingStock(np.maximum(position - outstanding, 0.0), arrivals)
