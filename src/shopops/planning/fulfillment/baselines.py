"""The two rules a fulfillment team uses without an optimiser, priced like the optimiser.

Both take orders first come, first served (promised dispatch date, then order id), respect
stock, outbound and pickup capacity greedily, and send each parcel by the cheapest service
that arrives on time (the cheapest of all when none does) with pickup capacity left.

* ``nearest``: the nearest warehouse (by ``distance_km``) that has every line; else each
  line from the nearest warehouse that can still take it.
* ``cheapest_single``: the warehouse whose parcel of the whole order costs least; else each
  line from the warehouse where it alone would cost least.

Splits keep the optimiser's option set: at most ``max_parcels_per_order`` parcels, and none
for orders with more than ``max_lines_to_split`` lines.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from shopops.planning.fulfillment.batch import FloatArray, IntArray
from shopops.planning.fulfillment.costs import price_parcels
from shopops.planning.fulfillment.plan import LinePlan
from shopops.planning.fulfillment.report import Context

Ranking = Callable[["_Greedy", int, list[int]], list[int]]


@dataclass
class _Greedy:
    context: Context
    stock: IntArray
    outbound: IntArray
    pickup: IntArray
    plan: LinePlan

    def service(self, order: int, lines: list[int], warehouse: int) -> tuple[int, float] | None:
        """Cheapest on-time service with pickup left for these lines from ``warehouse``."""
        orders, network = self.context.orders, self.context.network
        qty, sku = orders.line_quantity[lines], orders.line_sku[lines]
        costs = price_parcels(
            network,
            self.context.rates,
            self.context.rules,
            warehouse=warehouse,
            service=np.arange(network.num_services),
            region=orders.region[order],
            units=int(qty.sum()),
            weight_kg=float(qty @ network.sku_weight_kg[sku]),
            volume_cm3=float(qty @ network.sku_volume_cm3[sku]),
            dispatch_by=orders.dispatch_by[order],
            deliver_by=orders.deliver_by[order],
        )
        usable = costs.feasible & (self.pickup[warehouse] > 0)
        if not usable.any():
            return None
        on_time = usable & (costs.late_days == 0)
        pick = on_time if on_time.any() else usable
        service = int(np.argmin(np.where(pick, costs.cost_usd, np.inf)))
        return service, float(costs.cost_usd[service])

    def holds(self, lines: list[int], warehouse: int) -> bool:
        orders = self.context.orders
        need = np.zeros(self.stock.shape[0], dtype=np.int64)
        np.add.at(need, orders.line_sku[lines], orders.line_quantity[lines])
        skus = np.flatnonzero(need)
        return bool(np.all(self.stock[skus, warehouse] >= need[skus]))

    def ship(self, order: int, parcels: dict[int, list[int]]) -> None:
        """Commit the parcels (warehouse -> lines) of ``order``, each by its service."""
        orders = self.context.orders
        for warehouse, lines in parcels.items():
            chosen = self.service(order, lines, warehouse)
            if chosen is None:
                continue
            service = chosen[0]
            column = self.stock[:, warehouse]
            np.add.at(column, orders.line_sku[lines], -orders.line_quantity[lines])
            self.stock[:, warehouse] = column
            self.outbound[warehouse] -= 1
            self.pickup[warehouse, service] -= 1
            self.plan.warehouse[lines] = warehouse
            self.plan.service[lines] = service


def allocate_nearest(context: Context) -> LinePlan:
    """The ``nearest`` rule (see the module docstring)."""
    return _run(context, _by_distance, _by_distance_per_line)


def allocate_cheapest_single(context: Context) -> LinePlan:
    """The ``cheapest_single`` rule (see the module docstring)."""
    return _run(context, _by_whole_cost, _by_line_cost)


def _run(context: Context, whole: Ranking, per_line: Ranking) -> LinePlan:
    orders, network = context.orders, context.network
    state = _Greedy(
        context,
        network.stock_units.copy(),
        network.outbound_capacity.copy(),
        network.pickup_capacity.copy(),
        LinePlan.empty(len(orders.line_sku)),
    )
    sequence = np.lexsort((orders.order_id, orders.dispatch_by))
    for order in sequence:
        lines = list(range(orders.line_start[order], orders.line_start[order + 1]))
        _allocate_order(state, int(order), lines, whole, per_line)
    return state.plan


def _allocate_order(
    state: _Greedy, order: int, lines: list[int], whole: Ranking, per_line: Ranking
) -> None:
    for warehouse in whole(state, order, lines):
        if (
            state.outbound[warehouse] > 0
            and state.holds(lines, warehouse)
            and state.service(order, lines, warehouse) is not None
        ):
            state.ship(order, {warehouse: lines})
            return
    rules = state.context.rules
    if len(lines) > rules.max_lines_to_split:
        return
    parcels: dict[int, list[int]] = {}
    for line in lines:
        for warehouse in per_line(state, order, [line]):
            taken = parcels.get(warehouse, [])
            if not taken and (
                state.outbound[warehouse] <= 0 or len(parcels) >= rules.max_parcels_per_order
            ):
                continue
            if state.holds([*taken, line], warehouse) and state.service(
                order, [*taken, line], warehouse
            ):
                parcels[warehouse] = [*taken, line]
                break
    state.ship(order, parcels)


def _by_distance(state: _Greedy, order: int, lines: list[int]) -> list[int]:
    distance = state.context.network.distance_km[:, state.context.orders.region[order]]
    ranked = np.argsort(distance, kind="stable")
    return [int(w) for w in ranked if np.isfinite(distance[w])]


def _by_distance_per_line(state: _Greedy, order: int, lines: list[int]) -> list[int]:
    return _by_distance(state, order, lines)


def _by_whole_cost(state: _Greedy, order: int, lines: list[int]) -> list[int]:
    cost = _costs(state, order, lines)
    return [int(w) for w in np.argsort(cost, kind="stable") if np.isfinite(cost[w])]


def _by_line_cost(state: _Greedy, order: int, lines: list[int]) -> list[int]:
    return _by_whole_cost(state, order, lines)


def _costs(state: _Greedy, order: int, lines: list[int]) -> FloatArray:
    """Cost of the chosen service of a parcel of ``lines`` from each warehouse."""
    cost = np.full(state.context.network.num_warehouses, np.inf)
    for warehouse in range(len(cost)):
        chosen = state.service(order, lines, warehouse)
        if chosen is not None:
            cost[warehouse] = chosen[1]
    return cost
