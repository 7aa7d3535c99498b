"""Inventory policies per SKU x warehouse: from the demand forecast to reorder points.

Part of the planning layer: pure functions over Polars frames and NumPy arrays, no I/O.
Demand is routed to warehouses (:mod:`.routing`), its spread checked against a back-test
(:mod:`.errors`), the offer bought from chosen (:mod:`.offers`), a target set per ABC / XYZ
class (:mod:`.targets`), and :func:`plan_inventory` plans each row. The back-test of the
policies themselves is :mod:`shopops.planning.replay`.
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
