"""Inventory policies per SKU x warehouse, from forecast to reorder point.

Part of the planning layer: pure functions over Polars frames and NumPy arrays.
"""

from shopops.planning.inventory.demand import forecast_demand_rates
from shopops.planning.inventory.errors import forecast_error_profile
from shopops.planning.inventory.offers import choose_offers, landed_price_tiers
from shopops.planning.inventory.planning import plan_inventory
from shopops.planning.inventory.routing import (
    order_line_demand,
    resolve_routing,
    route_demand,
    routing_shares,
    warehouse_demand_history,
)
from shopops.planning.inventory.targets import assign_service_targets, check_service_targets

__all__ = [
    "assign_service_targets",
    "check_service_targets",
    "choose_offers",
    "forecast_demand_rates",
    "forecast_error_profile",
    "landed_price_tiers",
    "order_line_demand",
    "plan_inventory",
    "resolve_routing",
    "route_demand",
    "routing_shares",
    "warehouse_demand_history",
]
