"""Fulfillment engines: parcel rates, allocation of open orders, delivery promise.

Part of the planning layer: pure functions over Polars frames, no I/O.
:func:`allocate_orders` sends each open order from a warehouse by a carrier service at
least cost (exactly, by column generation over aggregated order groups);
:func:`compare_methods` sets it beside the rules a team uses without it.
"""

from shopops.planning.fulfillment.allocate import (
    AllocationResult,
    AllocationStats,
    allocate_all_methods,
    allocate_by_rule,
    allocate_orders,
    compare_methods,
)
from shopops.planning.fulfillment.rules import AllocationRules

__all__ = [
    "AllocationResult",
    "AllocationRules",
    "AllocationStats",
    "allocate_all_methods",
    "allocate_by_rule",
    "allocate_orders",
    "compare_methods",
]
