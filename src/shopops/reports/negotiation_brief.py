"""The one-page negotiation brief of a supplier, as an HTML string.

Headline numbers (12-month spend, share of category, price trend, savings available from the
best alternatives and from a volume commitment), charts (prices of the top SKUs, spend by
month, gap to the best alternative, scorecard trend), the top SKUs beside their best
alternative, the volume commitment steps, and talking points written from those numbers.
It renders :class:`~shopops.analytics.negotiation.NegotiationBriefData`; the caller writes
the file.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import plotly.graph_objects as go  # type: ignore[import-untyped]
import polars as pl

from shopops.analytics.negotiation import NegotiationBriefData
from shopops.reports.html import (
    figure_html,
    format_change_pct,
    format_date,
    format_month,
    format_number,
    format_pct,
    format_usd,
    render_page,
)

TOP_SKUS = 5
MOVE_PCT = 0.5
HIGH_RISK_SCORE = 0.6
MOST_POINTS = 10


def render_negotiation_brief(data: NegotiationBriefData, *, top_skus: int = TOP_SKUS) -> str:
    """The brief as a complete HTML page, plotly.js inlined once and no external script."""
    names = _sku_names(data)
    top = data.alternatives.head(top_skus)
    return render_page(
        "negotiation_brief.html",
        data=data,
        supplier=data.supplier,
        certifications=data.certifications.to_dicts(),
        categories=data.spend_by_category.to_dicts(),
        batna_rows=top.to_dicts(),
        volume_rows=_volume_steps(data, names).head(top_skus).to_dicts(),
        talking_points=talking_points(data),
        charts=list(_charts(data, top["sku_id"].to_list(), names)),
    )


def talking_points(data: NegotiationBriefData) -> list[str]:
    """Sentences for the negotiator, built from the brief's numbers: prices against the best
    alternatives, volume levers, sole-source SKUs, certificates, scorecard and risk."""
    points = [
        *_price_points(data),
        *_volume_points(data),
        *_sole_source_points(data),
        *_certificate_points(data),
        *_scorecard_points(data),
        *_risk_points(data),
    ]
    return points[:MOST_POINTS]


def _price_points(data: NegotiationBriefData) -> Iterator[str]:
    changes = data.price_changes.select("sku_id", "price_change_pct", "first_month")
    table = data.alternatives.join(changes, on="sku_id", how="left")
    for row in table.head(TOP_SKUS).iter_rows(named=True):
        name, cheaper = row["sku_name"] or row["sku_id"], row["batna"] == "cheaper alternative"
        rose = (row["price_change_pct"] or 0.0) >= MOVE_PCT
        since = (
            f"rose {format_pct(row['price_change_pct'])} since {format_month(row['first_month'])}"
        )
        if rose and cheaper:
            yield (
                f"Their price for {name} {since} while the best alternative "
                f"({row['alternative_supplier_name']}) is "
                f"{format_pct(row['alternative_saving_pct'])} cheaper landed."
            )
        elif rose:
            yield f"Their price for {name} {since}: ask for the cost breakdown behind it."
        elif cheaper:
            yield (
                f"{row['alternative_supplier_name']} offers {name} "
                f"{format_pct(row['alternative_saving_pct'])} cheaper landed "
                f"({format_usd(row['alternative_landed_unit_cost_usd'], 2)} vs "
                f"{format_usd(row['landed_unit_cost_usd'], 2)} per unit)."
            )


def _volume_points(data: NegotiationBriefData) -> Iterator[str]:
    weeks = f"{data.horizon_weeks} weeks"
    if data.volume_saving_usd > 0:
        yield (
            f"One order per SKU across warehouses, committing our forecast volume, saves "
            f"{format_usd(data.volume_saving_usd)} over {weeks}."
        )
    steps = _volume_steps(data, _sku_names(data)).filter(pl.col("next_tier_saving_usd") > 0)
    for row in steps.sort("next_tier_saving_usd", descending=True).head(2).iter_rows(named=True):
        yield (
            f"Commit {format_number(row['extra_units'])} more units of {row['sku_name']} over "
            f"{weeks} ({format_number(row['extra_units_per_order'])} per order) to reach the "
            f"{format_number(row['next_tier_units'])}-unit tier: "
            f"{format_change_pct(-row['next_tier_price_cut_pct'])}, saving "
            f"{format_usd(row['next_tier_saving_usd'])} over {weeks}."
        )


def _sole_source_points(data: NegotiationBriefData) -> Iterator[str]:
    alone = data.alternatives.filter(pl.col("batna") == "no alternative")
    if alone.height:
        share = float(alone["spend_usd"].sum()) / data.spend_usd * 100 if data.spend_usd else None
        skus = "1 SKU" if alone.height == 1 else f"{alone.height} SKUs"
        verb = "has" if alone.height == 1 else "have"
        yield (
            f"{skus} ({format_pct(share)} of their spend) {verb} no alternative supplier: "
            f"lead with volume there, not with a switch."
        )


def _certificate_points(data: NegotiationBriefData) -> Iterator[str]:
    for row in data.certifications.iter_rows(named=True):
        if row["standing"] == "expired":
            yield (
                f"Their {row['certification']} certificate expired on "
                f"{format_date(row['expiry_date'])}: require the renewal before new orders."
            )
        elif row["standing"] == "expiring":
            yield (
                f"Their {row['certification']} certificate expires on "
                f"{format_date(row['expiry_date'])} (in {row['days_to_expiry']} days): "
                f"ask for the renewal audit date."
            )


def _scorecard_points(data: NegotiationBriefData) -> Iterator[str]:
    if data.scorecard is None or data.scorecard.is_empty():
        return
    latest = data.scorecard.filter(pl.col("period") == pl.col("period").max())
    worst = latest.sort("score").row(0, named=True)
    yield (
        f"Weakest scorecard metric in {worst['period']}: {worst['metric']} at "
        f"{format_number(worst['value'], 2)} (score {format_number(worst['score'], 2)}, "
        f"{worst['standing']})."
    )


def _risk_points(data: NegotiationBriefData) -> Iterator[str]:
    supplier = data.supplier
    scores = {
        "country": supplier.country_risk_score,
        "financial": supplier.financial_risk_score,
        "compliance": supplier.compliance_risk_score,
    }
    for kind, score in scores.items():
        if score >= HIGH_RISK_SCORE:
            yield (
                f"High {kind} risk score ({format_number(score, 2)}): keep the alternatives "
                f"qualified."
            )


def _volume_steps(data: NegotiationBriefData, names: Mapping[str, str]) -> pl.DataFrame:
    """Volume rows by what they save, consolidation and next step together, with names."""
    return (
        data.volume.with_columns(
            pl.col("sku_id").replace_strict(names, default=pl.col("sku_id")).alias("sku_name")
        )
        .with_columns(
            (pl.col("saving_usd") + pl.col("next_tier_saving_usd").fill_null(0.0)).alias("_order")
        )
        .sort(["_order", "sku_id"], descending=[True, False])
        .drop("_order")
    )


def _sku_names(data: NegotiationBriefData) -> dict[str, str]:
    rows = pl.concat(
        [
            data.alternatives.select("sku_id", "sku_name"),
            data.price_changes.select("sku_id", "sku_name"),
        ]
    ).drop_nulls()
    return dict(rows.unique("sku_id", keep="first", maintain_order=True).iter_rows())


def _charts(
    data: NegotiationBriefData, top_sku_ids: list[str], names: Mapping[str, str]
) -> Iterator[dict[str, Any]]:
    yield {"title": "Price paid per unit, top SKUs", "html": _price_chart(data, top_sku_ids, names)}
    yield {"title": "Spend by month", "html": _spend_chart(data)}
    yield {"title": "Best alternative, cheaper by", "html": _batna_chart(data, top_sku_ids)}
    if data.scorecard is not None and not data.scorecard.is_empty():
        yield {"title": "Scorecard trend", "html": _scorecard_chart(data.scorecard)}


def _price_chart(
    data: NegotiationBriefData, top_sku_ids: list[str], names: Mapping[str, str]
) -> str:
    fig = go.Figure()
    for sku_id in top_sku_ids:
        rows = data.price_history.filter(pl.col("sku_id") == sku_id).sort("month")
        fig.add_trace(
            go.Scatter(
                x=rows["month"].to_list(),
                y=rows["avg_unit_price_usd"].to_list(),
                mode="lines+markers",
                name=names.get(sku_id, sku_id),
            )
        )
    return figure_html(_styled(fig, y_title="USD per unit"))


def _spend_chart(data: NegotiationBriefData) -> str:
    months = data.spend_by_month
    bars = go.Bar(x=months["month"].to_list(), y=months["spend_usd"].to_list(), name="spend")
    return figure_html(_styled(go.Figure(bars), y_title="USD", x_format="%b %Y"))


def _batna_chart(data: NegotiationBriefData, top_sku_ids: list[str]) -> str:
    rows = data.alternatives.filter(
        pl.col("sku_id").is_in(top_sku_ids) & pl.col("alternative_saving_pct").is_not_null()
    )
    gaps = rows["alternative_saving_pct"].to_list()
    bars = go.Bar(
        x=rows["sku_name"].fill_null(rows["sku_id"]).to_list(),
        y=gaps,
        text=[format_pct(gap) for gap in gaps],
        marker_color=["#2f855a" if gap > 0 else "#9aa5b1" for gap in gaps],
        name="cheaper by",
    )
    return figure_html(_styled(go.Figure(bars), y_title="% of our landed cost"))


def _scorecard_chart(scorecard: pl.DataFrame) -> str:
    fig = go.Figure()
    for (metric,), rows in scorecard.sort("period").group_by("metric", maintain_order=True):
        fig.add_trace(
            go.Scatter(
                x=rows["period"].cast(pl.String).to_list(),
                y=rows["score"].to_list(),
                mode="lines+markers",
                name=str(metric),
            )
        )
    return figure_html(_styled(fig, y_title="score"))


def _styled(fig: go.Figure, *, y_title: str, x_format: str | None = None) -> go.Figure:
    fig.update_layout(
        template="plotly_white",
        height=260,
        margin={"l": 50, "r": 10, "t": 10, "b": 40},
        legend={"orientation": "h", "y": -0.2},
        yaxis_title=y_title,
    )
    if x_format is not None:
        fig.update_xaxes(tickformat=x_format)
    return fig
