"""Scorecards of suppliers, warehouses (own and 3PL) and carriers, on one framework.

Each kind has a registry of metrics (:mod:`.metrics`: what each measures, its formula and
how it maps to a 0..1 score). A ``*_metrics`` function computes them per subject and
period from the transactions, :func:`score` weighs them into a score and a standing, and
:func:`sourcing_standing` turns the supplier scorecard, statuses and certificates into
what the sourcing optimiser may use.
"""

from shopops.analytics.scorecards.carriers import (
    CARRIER_METRIC_COLUMNS,
    carrier_metrics,
    contract_postage,
)
from shopops.analytics.scorecards.metrics import (
    CARRIER_METRICS,
    METRICS_BY_KIND,
    SUPPLIER_METRICS,
    WAREHOUSE_METRICS,
    Direction,
    Metric,
    ScoreRule,
    describe_metrics,
    metrics_of,
)
from shopops.analytics.scorecards.scoring import Standing, metric_weights, score
from shopops.analytics.scorecards.standing import certification_alerts, sourcing_standing
from shopops.analytics.scorecards.supplier_prices import offer_in_force
from shopops.analytics.scorecards.suppliers import SUPPLIER_METRIC_COLUMNS, supplier_metrics
from shopops.analytics.scorecards.warehouses import WAREHOUSE_METRIC_COLUMNS, warehouse_metrics

__all__ = [
    "CARRIER_METRICS",
    "CARRIER_METRIC_COLUMNS",
    "METRICS_BY_KIND",
    "SUPPLIER_METRICS",
    "SUPPLIER_METRIC_COLUMNS",
    "WAREHOUSE_METRICS",
    "WAREHOUSE_METRIC_COLUMNS",
    "Direction",
    "Metric",
    "ScoreRule",
    "Standing",
    "carrier_metrics",
    "certification_alerts",
    "contract_postage",
    "describe_metrics",
    "metric_weights",
    "metrics_of",
    "offer_in_force",
    "score",
    "sourcing_standing",
    "supplier_metrics",
    "warehouse_metrics",
]
