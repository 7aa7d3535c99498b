"""The columns of an analyst's own item list for the stand-alone policy calculator.

``shopops policy --input items.csv --output policy.csv`` reads a file with these columns
(validated like an import: every bad cell named by row and column) and writes the same
rows with their policy. The table is never stored.
"""

from __future__ import annotations

from shopops.data.spec import Column, DType, Rule, Table
from shopops.domain.params import ServiceMeasure

F, S = DType.FLOAT, DType.STRING


def _optional(name: str, description: str, unit: str, *, positive: bool = False) -> Column:
    return Column(name, F, description, unit=unit, nullable=True, minimum=0,
                  minimum_exclusive=positive)  # fmt: skip


POLICY_ITEMS = Table(
    "policy_items",
    "One row per item to plan: demand, supply terms, costs and the service wanted.",
    (
        Column(
            "item_id", S, "Your reference for the item (SKU, SKU x warehouse...).", max_length=100
        ),
        Column("demand_mean_units_per_day", F, "Mean daily demand.", unit="units/day", minimum=0),
        Column(
            "demand_sd_units_per_day",
            F,
            "Standard deviation of daily demand.",
            unit="units/day",
            minimum=0,
        ),
        Column(
            "lead_time_mean_days",
            F,
            "Mean supplier lead time.",
            unit="days",
            minimum=0,
            minimum_exclusive=True,
        ),
        _optional("lead_time_sd_days", "Standard deviation of the lead time (default 0).", "days"),
        _optional(
            "review_period_days",
            "Days between reviews; empty or 0 for continuous "
            "review (reorder point and order quantity).",
            "days",
        ),
        Column(
            "service_measure",
            S,
            "fill_rate (share of units served from stock) or "
            "cycle_service_level (share of cycles without a stock-out).",
            choices=tuple(m.value for m in ServiceMeasure),
        ),
        Column(
            "service_target",
            F,
            "Target, strictly between 0 and 1.",
            unit="fraction",
            minimum=0,
            minimum_exclusive=True,
            maximum=0.9999,
        ),
        Column(
            "unit_cost_usd",
            F,
            "Unit cost for any quantity (the first price tier).",
            unit="USD",
            minimum=0,
            minimum_exclusive=True,
        ),
        Column("fixed_order_cost_usd", F, "Cost of placing one order.", unit="USD", minimum=0),
        _optional(
            "holding_cost_rate_per_year",
            "Yearly holding cost as a share of the unit cost (default 0.25).",
            "fraction/year",
            positive=True,
        ),
        _optional("moq_units", "Minimum order quantity.", "units"),
        _optional("order_multiple_units", "Orders are multiples of this.", "units"),
        _optional(
            "tier2_min_quantity_units",
            "Quantity from which tier 2 applies.",
            "units",
            positive=True,
        ),
        _optional(
            "tier2_unit_cost_usd",
            "Unit cost of every unit from tier 2 (all-units discount).",
            "USD",
            positive=True,
        ),
        _optional(
            "tier3_min_quantity_units",
            "Quantity from which tier 3 applies.",
            "units",
            positive=True,
        ),
        _optional(
            "tier3_unit_cost_usd", "Unit cost of every unit from tier 3.", "USD", positive=True
        ),
    ),
    primary_key=("item_id",),
    rules=(
        Rule(
            "tier2_complete",
            "(tier2_min_quantity_units IS NULL) = (tier2_unit_cost_usd IS NULL)",
            "tier2_min_quantity_units and tier2_unit_cost_usd go together",
        ),
        Rule(
            "tier3_complete",
            "(tier3_min_quantity_units IS NULL) = (tier3_unit_cost_usd IS NULL)",
            "tier3_min_quantity_units and tier3_unit_cost_usd go together",
        ),
        Rule(
            "tier3_after_tier2",
            "tier3_min_quantity_units IS NULL OR "
            "(tier2_min_quantity_units IS NOT NULL "
            "AND tier3_min_quantity_units > tier2_min_quantity_units)",
            "tier 3 needs tier 2 and a larger quantity",
        ),
        Rule(
            "tier2_not_dearer",
            "tier2_unit_cost_usd <= unit_cost_usd",
            "tiers out of order: tier2_unit_cost_usd must not exceed unit_cost_usd",
        ),
        Rule(
            "tier3_not_dearer",
            "tier3_unit_cost_usd <= tier2_unit_cost_usd",
            "tiers out of order: tier3_unit_cost_usd must not exceed tier2_unit_cost_usd",
        ),
    ),
)
