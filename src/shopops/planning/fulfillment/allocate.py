"""Allocate a batch of open orders to (warehouse, carrier service): optimised and by rule.

Inputs are Polars frames (extra columns are ignored):

* ``orders``: ``order_id``, ``region_id``, ``promised_dispatch_date``,
  ``promised_delivery_date``
* ``lines``: ``order_id``, ``line_no``, ``sku_id``, ``quantity_units``
* ``skus``: ``sku_id``, ``weight_kg``, ``length_cm``, ``width_cm``, ``height_cm`` (one packed
  unit)
* ``stock``: ``sku_id``, ``warehouse_id``, ``available_units`` (on hand less reserved)
* ``warehouses``: ``warehouse_id``, ``outbound_capacity_orders_per_day`` (parcels it can
  dispatch that day), ``handling_cost_usd_per_order``, ``handling_cost_usd_per_unit``
* ``zones``: ``warehouse_id``, ``region_id``, ``zone``, ``distance_km``
* ``rates``: a :class:`~shopops.planning.fulfillment.rates.RateTable` (prices, transit days,
  pickup capacity per service and warehouse)

Cost, constraints and options are described in :mod:`~shopops.planning.fulfillment.costs`,
:mod:`~shopops.planning.fulfillment.options` and
:mod:`~shopops.planning.fulfillment.optimiser`; docs/fulfillment-allocation.md has the
formulation.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import polars as pl

from shopops.planning.fulfillment.baselines import allocate_cheapest_single, allocate_nearest
from shopops.planning.fulfillment.batch import build_network, build_orders, require_columns
from shopops.planning.fulfillment.large import allocate_large
from shopops.planning.fulfillment.merge import free_stock_rows, merge_groups
from shopops.planning.fulfillment.optimiser import GroupAllocation, optimise
from shopops.planning.fulfillment.options import build_classes
from shopops.planning.fulfillment.plan import LinePlan, plan_from_groups
from shopops.planning.fulfillment.pricing import Resources
from shopops.planning.fulfillment.rates import RateTable
from shopops.planning.fulfillment.report import (
    Context,
    assignments_frame,
    parcels_frame,
    parcels_of,
    summary_row,
    total_cost_usd,
    unallocated_frame,
)
from shopops.planning.fulfillment.rules import AllocationRules

OPTIMISED = "optimised"
RULES = {"nearest": allocate_nearest, "cheapest_single": allocate_cheapest_single}


@dataclass(frozen=True)
class AllocationStats:
    """How the optimiser got its answer.

    ``groups``: order groups after aggregation; ``active_groups``: those that entered the
    LP; ``lp_integral``: the LP over all options had an integral optimum (so it is the
    optimum); ``fractional_columns``: otherwise, how many of its columns were fractional;
    ``exact``: the allocation is proven optimal (``gap`` within the MIP gap);
    ``lower_bound_usd``: the LP bound (the Lagrangian bound on the large path);
    ``path``: ``"exact"`` or ``"large"`` (:mod:`~shopops.planning.fulfillment.large`), which
    also counts the orders it split line by line in ``split_orders``.
    """

    groups: int
    active_groups: int
    rounds: int
    lp_integral: bool
    fractional_columns: int
    exact: bool
    objective_usd: float
    lower_bound_usd: float
    gap: float
    path: str = "exact"
    split_orders: int = 0


@dataclass(frozen=True)
class AllocationResult:
    """``assignments`` (order_id, line_no, warehouse_id, service_id), ``parcels``,
    ``unallocated`` (order_id, line_no, sku_id, quantity_units, reason) and a one-row
    ``summary``; ``stats`` only for the optimiser."""

    assignments: pl.DataFrame
    parcels: pl.DataFrame
    unallocated: pl.DataFrame
    summary: pl.DataFrame
    stats: AllocationStats | None = None


def _context(
    orders: pl.DataFrame,
    lines: pl.DataFrame,
    skus: pl.DataFrame,
    stock: pl.DataFrame,
    warehouses: pl.DataFrame,
    zones: pl.DataFrame,
    rates: RateTable,
    rules: AllocationRules,
) -> Context:
    require_columns(orders, ("region_id",), "orders")
    require_columns(zones, ("region_id",), "zones")
    regions = pl.concat([orders["region_id"].cast(pl.String), zones["region_id"].cast(pl.String)])
    region_ids = tuple(sorted(str(r) for r in regions.unique().drop_nulls().to_list()))
    network = build_network(warehouses, zones, skus, stock, rates, region_ids)
    return Context(network, build_orders(orders, lines, network), rates, rules)


def allocate_orders(
    orders: pl.DataFrame,
    lines: pl.DataFrame,
    skus: pl.DataFrame,
    stock: pl.DataFrame,
    warehouses: pl.DataFrame,
    zones: pl.DataFrame,
    rates: RateTable,
    rules: AllocationRules,
) -> AllocationResult:
    """The least-cost allocation of the batch (frames described in the module docstring)."""
    context = _context(orders, lines, skus, stock, warehouses, zones, rates, rules)
    return _optimised(context)


def _optimised(context: Context) -> AllocationResult:
    network, rules = context.network, context.rules
    if context.orders.num_orders > rules.exact_up_to_orders:
        return _large(context)
    free = free_stock_rows(network, context.orders)
    classes = build_classes(network, context.orders, context.rates, rules)
    orders = merge_groups(context.orders, classes, free)
    if len(orders.group_size) < len(context.orders.group_size):
        classes = build_classes(network, orders, context.rates, rules)
    resources = Resources.of(network)
    capacity = resources.capacity.copy()
    capacity[: resources.outbound_start][free.ravel()] = np.inf
    resources = dataclasses.replace(resources, capacity=capacity)
    allocation = optimise(classes, resources, orders.group_size, rules)
    plan = plan_from_groups(orders, classes, allocation)
    stats = _stats(allocation, len(orders.group_size))
    return _result(OPTIMISED, context, plan, stats)


def _large(context: Context) -> AllocationResult:
    """The large-batch path; its stats carry the cost of the plan as the report prices it."""
    large = allocate_large(context.network, context.orders, context.rates, context.rules)
    objective = total_cost_usd(context, large.plan)
    difference = max(objective - large.lower_bound_usd, 0.0)
    stats = AllocationStats(
        groups=large.groups,
        active_groups=large.groups,
        rounds=large.rounds,
        lp_integral=False,
        fractional_columns=0,
        exact=False,
        objective_usd=objective,
        lower_bound_usd=large.lower_bound_usd,
        gap=0.0 if difference <= 1e-6 else difference / max(abs(objective), 1e-9),
        path="large",
        split_orders=large.split_orders,
    )
    return _result(OPTIMISED, context, large.plan, stats)


def _stats(allocation: GroupAllocation, groups: int) -> AllocationStats:
    return AllocationStats(
        groups=groups,
        active_groups=allocation.active_groups,
        rounds=allocation.rounds,
        lp_integral=allocation.lp_integral,
        fractional_columns=allocation.fractional_columns,
        exact=allocation.exact,
        objective_usd=allocation.objective_usd,
        lower_bound_usd=allocation.lower_bound_usd,
        gap=allocation.gap,
    )


def _result(
    method: str, context: Context, plan: LinePlan, stats: AllocationStats | None = None
) -> AllocationResult:
    parcels = parcels_of(context, plan)
    bound = stats.lower_bound_usd if stats is not None else None
    return AllocationResult(
        assignments=assignments_frame(context, plan),
        parcels=parcels_frame(context, parcels),
        unallocated=unallocated_frame(context, plan),
        summary=summary_row(method, context, plan, parcels, lower_bound_usd=bound),
        stats=stats,
    )


def allocate_by_rule(
    method: str,
    orders: pl.DataFrame,
    lines: pl.DataFrame,
    skus: pl.DataFrame,
    stock: pl.DataFrame,
    warehouses: pl.DataFrame,
    zones: pl.DataFrame,
    rates: RateTable,
    rules: AllocationRules,
) -> AllocationResult:
    """The allocation by one of the rules in :data:`RULES` (``nearest``, ``cheapest_single``)."""
    if method not in RULES:
        raise ValueError(f"method must be one of {sorted(RULES)}; got {method!r}")
    context = _context(orders, lines, skus, stock, warehouses, zones, rates, rules)
    return _result(method, context, RULES[method](context))


def allocate_all_methods(
    orders: pl.DataFrame,
    lines: pl.DataFrame,
    skus: pl.DataFrame,
    stock: pl.DataFrame,
    warehouses: pl.DataFrame,
    zones: pl.DataFrame,
    rates: RateTable,
    rules: AllocationRules,
) -> dict[str, AllocationResult]:
    """The optimiser's result and each rule's, by method, from one reading of the batch."""
    context = _context(orders, lines, skus, stock, warehouses, zones, rates, rules)
    results = {OPTIMISED: _optimised(context)}
    results |= {name: _result(name, context, rule(context)) for name, rule in RULES.items()}
    return results


def compare_methods(
    orders: pl.DataFrame,
    lines: pl.DataFrame,
    skus: pl.DataFrame,
    stock: pl.DataFrame,
    warehouses: pl.DataFrame,
    zones: pl.DataFrame,
    rates: RateTable,
    rules: AllocationRules,
) -> pl.DataFrame:
    """The summary of the optimiser and of each rule, so the saving of optimising shows."""
    results = allocate_all_methods(orders, lines, skus, stock, warehouses, zones, rates, rules)
    return pl.concat([result.summary for result in results.values()])
