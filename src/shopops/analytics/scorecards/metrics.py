"""What each scorecard measures: every metric defined once, with how it becomes a score.

A :class:`Metric` names what it measures, its formula, its unit, which direction is better
and how its value maps to a score from 0 (worst) to 1 (best):

- ``as_is``: a share where more is better (on-time rate) scores its own value;
- ``one_minus``: a share where less is better (defect rate) scores ``1 - value``;
- ``within_tolerance``: a deviation from a target scores ``1 - min(|value| / tolerance, 1)``,
  so zero deviation scores 1 and a deviation of a whole tolerance or more scores 0;
- ``over_tolerance``: a signed overspend scores ``1 - clip(value / tolerance, 0, 1)``, so
  paying less than the contract scores 1.

Metrics without a scoring rule are reported beside the score but never weighted. The
registries :data:`SUPPLIER_METRICS`, :data:`WAREHOUSE_METRICS` and :data:`CARRIER_METRICS`
(by kind in :data:`METRICS_BY_KIND`) list them in the order reports show them, and
:func:`describe_metrics` renders one as a frame for documentation.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import polars as pl

from shopops.domain.supply import ScorecardKind


class Direction(StrEnum):
    """Which values of a metric are better."""

    HIGHER = "higher is better"
    LOWER = "lower is better"
    NEAR_ZERO = "nearer zero is better"


class ScoreRule(StrEnum):
    """How a metric value maps to a score from 0 to 1 (see the module notes)."""

    AS_IS = "as_is"
    ONE_MINUS = "one_minus"
    WITHIN_TOLERANCE = "within_tolerance"
    OVER_TOLERANCE = "over_tolerance"


@dataclass(frozen=True, slots=True)
class Metric:
    """One scorecard metric; ``rule`` is ``None`` for a metric reported but not scored."""

    name: str
    unit: str
    measures: str
    formula: str
    direction: Direction
    rule: ScoreRule | None = None
    tolerance: float | None = None

    @property
    def scored(self) -> bool:
        return self.rule is not None

    def score_expression(self, tolerance: float | None = None) -> pl.Expr:
        """The score of this metric's column, from 0 to 1; null where the value is null."""
        value = pl.col(self.name).cast(pl.Float64)
        limit = self.tolerance if tolerance is None else tolerance
        if self.rule is ScoreRule.AS_IS:
            return value.clip(0.0, 1.0)
        if self.rule is ScoreRule.ONE_MINUS:
            return 1.0 - value.clip(0.0, 1.0)
        if limit is None or limit <= 0:
            raise ValueError(f"metric {self.name} needs a tolerance above 0, got {limit}")
        if self.rule is ScoreRule.WITHIN_TOLERANCE:
            return 1.0 - (value.abs() / limit).clip(upper_bound=1.0)
        if self.rule is ScoreRule.OVER_TOLERANCE:
            return 1.0 - (value / limit).clip(0.0, 1.0)
        raise ValueError(f"metric {self.name} is reported, not scored")

    def scoring_text(self) -> str:
        """How the value becomes a score, in words, for documentation."""
        texts = {
            ScoreRule.AS_IS: "score = value",
            ScoreRule.ONE_MINUS: "score = 1 - value",
            ScoreRule.WITHIN_TOLERANCE: f"score = 1 - min(|value| / {self.tolerance}, 1)",
            ScoreRule.OVER_TOLERANCE: f"score = 1 - clip(value / {self.tolerance}, 0, 1)",
        }
        return "reported, not scored" if self.rule is None else texts[self.rule]


SUPPLIER_METRICS: tuple[Metric, ...] = (
    Metric(
        "on_time_in_full",
        "fraction",
        "Purchase order lines due in the period that arrived complete by their expected date.",
        "lines with received - rejected >= ordered - cancelled by expected_date / lines due",
        Direction.HIGHER,
        ScoreRule.AS_IS,
    ),
    Metric(
        "fill_rate",
        "fraction",
        "Good units received for the lines due in the period, against what was ordered.",
        "sum(min(received - damaged - rejected, ordered - cancelled)) / sum(ordered - cancelled)",
        Direction.HIGHER,
        ScoreRule.AS_IS,
    ),
    Metric(
        "lead_time_mean_days",
        "days",
        "Mean days from ordering to receipt, over the receipts of the period.",
        "mean(received_date - ordered_date)",
        Direction.LOWER,
    ),
    Metric(
        "lead_time_sd_days",
        "days",
        "Spread of the lead time over the receipts of the period.",
        "sample standard deviation of (received_date - ordered_date)",
        Direction.LOWER,
        ScoreRule.WITHIN_TOLERANCE,
        7.0,
    ),
    Metric(
        "lead_time_deviation_days",
        "days",
        "How far actual lead times were from the quoted lead time of the offer in force.",
        "mean(received_date - ordered_date - offer lead_time_mean_days)",
        Direction.NEAR_ZERO,
        ScoreRule.WITHIN_TOLERANCE,
        7.0,
    ),
    Metric(
        "defect_rate",
        "fraction",
        "Units received damaged.",
        "sum(damaged) / sum(received)",
        Direction.LOWER,
        ScoreRule.ONE_MINUS,
    ),
    Metric(
        "rejection_rate",
        "fraction",
        "Units rejected at inspection.",
        "sum(rejected) / sum(received)",
        Direction.LOWER,
        ScoreRule.ONE_MINUS,
    ),
    Metric(
        "price_variance_to_contract",
        "fraction",
        "Price paid on the lines ordered in the period above the offer tier price in force.",
        "sum((PO price - tier price) x quantity) / sum(tier price x quantity), in USD",
        Direction.LOWER,
        ScoreRule.OVER_TOLERANCE,
        0.1,
    ),
    Metric(
        "invoice_accuracy",
        "fraction",
        "Invoice lines of the period matching the PO price and the quantity received.",
        "invoice lines with |price - PO price| <= tolerance and invoiced so far <= "
        "(received - rejected) x (1 + tolerance) / invoice lines",
        Direction.HIGHER,
        ScoreRule.AS_IS,
    ),
)

WAREHOUSE_METRICS: tuple[Metric, ...] = (
    Metric(
        "on_time_dispatch",
        "fraction",
        "Shipments due for dispatch in the period handed to the carrier by the deadline.",
        "shipments with shipped_at on or before orders.promised_dispatch_date / shipments due",
        Direction.HIGHER,
        ScoreRule.AS_IS,
    ),
    Metric(
        "damage_rate",
        "fraction",
        "Shipments of the period that ended in a carrier exception or a damaged-goods return.",
        "shipments with status exception or a return for reason damaged / shipments shipped",
        Direction.LOWER,
        ScoreRule.ONE_MINUS,
    ),
    Metric(
        "cost_per_order_usd",
        "USD",
        "Handling cost per order under the warehouse's contract.",
        "mean(handling_cost_usd_per_order + handling_cost_usd_per_unit x (units - 1))",
        Direction.LOWER,
    ),
    Metric(
        "units_per_order",
        "units",
        "Units handled per order.",
        "mean(units of the order shipped from the warehouse)",
        Direction.HIGHER,
    ),
)

CARRIER_METRICS: tuple[Metric, ...] = (
    Metric(
        "on_time_delivery",
        "fraction",
        "Parcels promised for delivery in the period that arrived by the promised date.",
        "shipments delivered on or before orders.promised_delivery_date / shipments due",
        Direction.HIGHER,
        ScoreRule.AS_IS,
    ),
    Metric(
        "exception_rate",
        "fraction",
        "Parcels shipped in the period that ended in an exception or a damaged-goods return.",
        "shipments with status exception or a return for reason damaged / shipments shipped",
        Direction.LOWER,
        ScoreRule.ONE_MINUS,
    ),
    Metric(
        "cost_per_parcel_usd",
        "USD",
        "Postage charged per parcel.",
        "mean(shipping_cost_usd)",
        Direction.LOWER,
    ),
    Metric(
        "contract_cost_per_parcel_usd",
        "USD",
        "Postage per parcel under the rate card.",
        "mean(rate_usd of the service, zone and billable weight band x (1 + fuel surcharge))",
        Direction.LOWER,
    ),
    Metric(
        "cost_variance_to_contract",
        "fraction",
        "Postage charged above the rate card, over the parcels priced by it.",
        "sum(shipping_cost_usd - contract price) / sum(contract price)",
        Direction.LOWER,
        ScoreRule.OVER_TOLERANCE,
        0.1,
    ),
)

METRICS_BY_KIND: dict[ScorecardKind, tuple[Metric, ...]] = {
    ScorecardKind.SUPPLIER: SUPPLIER_METRICS,
    ScorecardKind.WAREHOUSE: WAREHOUSE_METRICS,
    ScorecardKind.CARRIER: CARRIER_METRICS,
}


def metrics_of(kind: str) -> tuple[Metric, ...]:
    """The metrics of the scorecard ``kind`` ('supplier', 'warehouse' or 'carrier')."""
    try:
        return METRICS_BY_KIND[ScorecardKind(kind)]
    except ValueError:
        kinds = ", ".join(k.value for k in ScorecardKind)
        raise ValueError(f"no scorecard {kind!r}; scorecards are {kinds}") from None


def describe_metrics(kind: str) -> pl.DataFrame:
    """The metrics of a scorecard as a table: name, unit, what it measures, formula,
    direction, how it is scored and its default tolerance."""
    metrics = metrics_of(kind)
    return pl.DataFrame(
        {
            "metric": [m.name for m in metrics],
            "unit": [m.unit for m in metrics],
            "measures": [m.measures for m in metrics],
            "formula": [m.formula for m in metrics],
            "direction": [m.direction.value for m in metrics],
            "scoring": [m.scoring_text() for m in metrics],
            "default_tolerance": [m.tolerance for m in metrics],
        },
        schema_overrides={"default_tolerance": pl.Float64},
    )
