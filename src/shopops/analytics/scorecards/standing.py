"""Whether each supplier may be sourced from: status, certifications and scorecard.

:func:`sourcing_standing` gives the sourcing optimiser, per supplier, an
``excluded_reason`` (never source: the supplier is *blocked*, a certification has expired,
or its latest scorecard standing is ``block``) and a ``warning`` (source, but say why:
*probation*, a latest scorecard standing of ``warn``, or a certification expiring within
``warning_days``). Several reasons are joined with ``"; "``; none leaves the column null.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from shopops.analytics.scorecards._frames import require_columns
from shopops.analytics.scorecards.scoring import Standing
from shopops.domain.supply import SupplierStatus

ALERT_COLUMNS = (
    "supplier_id",
    "certification",
    "certificate_number",
    "expiry_date",
    "days_left",
    "alert",
)


def certification_alerts(
    certifications: pl.DataFrame, *, as_of: dt.date, warning_days: int
) -> pl.DataFrame:
    """Certifications expired by ``as_of`` or expiring within ``warning_days`` of it.

    A certificate is valid through its ``expiry_date``: it has expired when
    ``expiry_date < as_of`` and is expiring when ``expiry_date <= as_of + warning_days``.

    Returns
    -------
    polars.DataFrame
        :data:`ALERT_COLUMNS`, soonest first: ``days_left`` is ``expiry_date - as_of`` in
        days (negative once expired) and ``alert`` is ``'expired'`` or ``'expiring'``.
    """
    require_columns(
        certifications, "supplier_certifications", ("supplier_id", "certification", "expiry_date")
    )
    if "certificate_number" not in certifications.columns:
        certifications = certifications.with_columns(certificate_number=pl.lit(None, pl.String))
    days_left = (pl.col("expiry_date") - pl.lit(as_of)).dt.total_days()
    return (
        certifications.with_columns(days_left=days_left)
        .filter(pl.col("days_left") <= warning_days)
        .with_columns(
            alert=pl.when(pl.col("days_left") < 0)
            .then(pl.lit("expired"))
            .otherwise(pl.lit("expiring"))
        )
        .select(ALERT_COLUMNS)
        .sort("days_left", "supplier_id", "certification")
    )


def sourcing_standing(
    suppliers: pl.DataFrame,
    certifications: pl.DataFrame,
    scorecard: pl.DataFrame,
    *,
    as_of: dt.date,
    warning_days: int = 30,
) -> pl.DataFrame:
    """Per supplier: ``supplier_id``, ``excluded_reason`` and ``warning`` (see module notes).

    ``scorecard`` is the scored supplier scorecard (:func:`score` over
    :func:`supplier_metrics`); each supplier's latest period starting before ``as_of``
    counts. A supplier without a scored period is judged on status and certificates alone.
    """
    require_columns(suppliers, "suppliers", ("supplier_id", "status"))
    require_columns(scorecard, "supplier scorecard", ("supplier_id", "period_start", "score"))
    require_columns(scorecard, "supplier scorecard", ("standing",))
    alerts = certification_alerts(certifications, as_of=as_of, warning_days=warning_days)
    reasons = pl.concat(
        [
            _status_reasons(suppliers),
            _certificate_reasons(alerts),
            _scorecard_reasons(scorecard, as_of=as_of),
        ]
    )
    joined = reasons.group_by("supplier_id").agg(
        excluded_reason=pl.col("text").filter(pl.col("excludes")).str.join("; "),
        warning=pl.col("text").filter(~pl.col("excludes")).str.join("; "),
    )
    blank_to_null = [
        pl.when(pl.col(c) != "").then(pl.col(c)).alias(c) for c in ("excluded_reason", "warning")
    ]
    return (
        suppliers.select("supplier_id")
        .join(joined, on="supplier_id", how="left")
        .with_columns(blank_to_null)
        .sort("supplier_id")
    )


def _reason_columns(supplier_id: pl.Expr, text: pl.Expr, *, excludes: pl.Expr) -> list[pl.Expr]:
    return [supplier_id.alias("supplier_id"), text.alias("text"), excludes.alias("excludes")]


def _status_reasons(suppliers: pl.DataFrame) -> pl.DataFrame:
    flagged = (SupplierStatus.BLOCKED.value, SupplierStatus.PROBATION.value)
    return suppliers.filter(pl.col("status").is_in(flagged)).select(
        _reason_columns(
            pl.col("supplier_id"),
            pl.format("supplier status {}", pl.col("status")),
            excludes=pl.col("status") == SupplierStatus.BLOCKED.value,
        )
    )


def _certificate_reasons(alerts: pl.DataFrame) -> pl.DataFrame:
    expired = pl.col("alert") == "expired"
    text = (
        pl.when(expired)
        .then(pl.format("certification {} expired on {}", "certification", "expiry_date"))
        .otherwise(
            pl.format(
                "certification {} expires on {} ({} days left)",
                "certification",
                "expiry_date",
                "days_left",
            )
        )
    )
    return alerts.select(_reason_columns(pl.col("supplier_id"), text, excludes=expired))


def _scorecard_reasons(scorecard: pl.DataFrame, *, as_of: dt.date) -> pl.DataFrame:
    latest = (
        scorecard.filter((pl.col("period_start") < as_of) & pl.col("score").is_not_null())
        .sort("period_start")
        .group_by("supplier_id")
        .last()
        .filter(pl.col("standing").is_in([Standing.WARN.value, Standing.BLOCK.value]))
    )
    text = pl.format(
        "scorecard standing {} (score {} in the period from {})",
        "standing",
        pl.col("score").round(2),
        "period_start",
    )
    return latest.select(
        _reason_columns(
            pl.col("supplier_id"), text, excludes=pl.col("standing") == Standing.BLOCK.value
        )
    )
