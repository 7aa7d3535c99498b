"""From metric values to one weighted score and a standing per subject and period.

Each scored metric becomes a score from 0 to 1 by its rule (:mod:`.metrics`). The score of
a row is the weighted mean of the metric scores it has data for::

    score = sum(w_m x s_m over metrics m with a value) / sum(w_m over the same metrics)

so a metric without data in a period is left out and the others' weights renormalised.
Weights come from ``scorecard_weights`` (``scorecard``, ``metric``, ``weight >= 0``); a
scored metric without a row gets the mean of the weights set for that scorecard (1 when
none is set), so with no rows at all every metric counts equally. The standing is
``block`` when ``score < block_below``, ``warn`` when ``score < warn_below`` and ``good``
otherwise; a row none of whose metrics has data (or whose weights are all zero) has no
score and no standing.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

import polars as pl

from shopops.analytics.scorecards.metrics import Metric, metrics_of
from shopops.errors import DataError


class Standing(StrEnum):
    GOOD = "good"
    WARN = "warn"
    BLOCK = "block"


def metric_weights(weights: pl.DataFrame | None, kind: str) -> dict[str, float]:
    """The weight of each scored metric of ``kind``: set ones, the others at their mean."""
    scored = [m.name for m in metrics_of(kind) if m.scored]
    chosen: dict[str, float] = {}
    if weights is not None and weights.height:
        _check_weight_columns(weights)
        rows = weights.filter(pl.col("scorecard") == kind)
        for metric, weight in zip(rows["metric"], rows["weight"], strict=True):
            if metric not in scored:
                raise DataError(
                    f"scorecard_weights: {kind} scorecard has no scored metric {metric!r}"
                )
            if weight is None or weight < 0:
                raise DataError(f"scorecard_weights: weight of {kind} {metric} must be >= 0")
            chosen[metric] = float(weight)
    default = sum(chosen.values()) / len(chosen) if chosen else 1.0
    return {name: chosen.get(name, default) for name in scored}


def score(
    metrics_frame: pl.DataFrame,
    weights: pl.DataFrame | None,
    kind: str,
    *,
    warn_below: float,
    block_below: float,
    tolerances: Mapping[str, float] | None = None,
) -> pl.DataFrame:
    """Weighted score and standing of each row of a scorecard's metrics (see module notes).

    Parameters
    ----------
    metrics_frame
        One row per subject and period with a column per metric of ``kind`` (null where
        the period has no data for it), as :func:`supplier_metrics`,
        :func:`warehouse_metrics` and :func:`carrier_metrics` return.
    weights
        ``scorecard_weights`` rows (any scorecard; only ``kind``'s are read), or ``None``.
    kind
        ``'supplier'``, ``'warehouse'`` or ``'carrier'``.
    warn_below, block_below
        Score thresholds of the ``warn`` and ``block`` standings, ``block_below <= warn_below``.
    tolerances
        Tolerances replacing the metrics' defaults, by metric name.

    Returns
    -------
    polars.DataFrame
        ``metrics_frame`` with a ``<metric>_score`` column per scored metric, ``score``
        and ``standing``.
    """
    if not 0.0 <= block_below <= warn_below <= 1.0:
        raise ValueError(
            f"thresholds must satisfy 0 <= block_below <= warn_below <= 1, "
            f"got block_below={block_below}, warn_below={warn_below}"
        )
    metrics = [m for m in metrics_of(kind) if m.scored]
    missing = [m.name for m in metrics if m.name not in metrics_frame.columns]
    if missing:
        raise DataError(f"{kind} metrics frame lacks the metric columns {', '.join(missing)}")
    unknown = sorted(set(tolerances or {}) - {m.name for m in metrics})
    if unknown:
        raise ValueError(f"no scored {kind} metric {', '.join(unknown)} to set a tolerance for")
    weight = metric_weights(weights, kind)
    scored = metrics_frame.with_columns(_metric_score(m, tolerances) for m in metrics)
    numerator = pl.sum_horizontal(
        (pl.col(f"{m.name}_score") * weight[m.name]).fill_null(0.0) for m in metrics
    )
    denominator = pl.sum_horizontal(
        pl.when(pl.col(f"{m.name}_score").is_not_null()).then(weight[m.name]).otherwise(0.0)
        for m in metrics
    )
    total = pl.when(denominator > 0).then(numerator / denominator).otherwise(None)
    return scored.with_columns(score=total).with_columns(
        standing=_standing(pl.col("score"), warn_below=warn_below, block_below=block_below)
    )


def _metric_score(metric: Metric, tolerances: Mapping[str, float] | None) -> pl.Expr:
    tolerance = None if tolerances is None else tolerances.get(metric.name)
    return metric.score_expression(tolerance).cast(pl.Float64).alias(f"{metric.name}_score")


def _standing(value: pl.Expr, *, warn_below: float, block_below: float) -> pl.Expr:
    return (
        pl.when(value.is_null())
        .then(None)
        .when(value < block_below)
        .then(pl.lit(Standing.BLOCK.value))
        .when(value < warn_below)
        .then(pl.lit(Standing.WARN.value))
        .otherwise(pl.lit(Standing.GOOD.value))
    )


def _check_weight_columns(weights: pl.DataFrame) -> None:
    for column in ("scorecard", "metric", "weight"):
        if column not in weights.columns:
            raise DataError(f"scorecard_weights lacks the column {column}")
