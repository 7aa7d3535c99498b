"""The supplier scorecard against the synthetic marketplace's hidden truth.

The generator makes a share of suppliers unreliable (late, short and defective deliveries,
stoppages) without saying so in any table; ``supplier_reliability`` reveals it. Scored by
quarter with the generator's own scorecard weights, the unreliable suppliers should score
clearly lower and fill the bottom of the ranking.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import polars as pl
import pytest

from shopops.analytics.scorecards import score, supplier_metrics
from shopops.data.synth.config import MarketplaceConfig
from shopops.data.synth.generator import generate_marketplace
from shopops.data.synth.suppliers import supplier_reliability

CONFIG = MarketplaceConfig(skus=150, warehouses=2, days=180, end_date=dt.date(2025, 6, 30))


@pytest.fixture(scope="module")
def supplier_scores() -> pl.DataFrame:
    chunks: dict[str, list[pl.DataFrame]] = defaultdict(list)
    for name, frame in generate_marketplace(CONFIG):
        chunks[name].append(frame)
    t = {name: pl.concat(frames) for name, frames in chunks.items()}
    metrics = supplier_metrics(
        t["purchase_orders"],
        t["purchase_order_lines"],
        t["receipts"],
        t["supplier_offers"],
        t["offer_price_tiers"],
        t["supplier_invoices"],
        t["supplier_invoice_lines"],
        t["currencies"],
        as_of=dt.date(2025, 7, 1),
        period="quarter",
    )
    scored = score(metrics, t["scorecard_weights"], "supplier", warn_below=0.8, block_below=0.6)
    return (
        scored.group_by("supplier_id")
        .agg(pl.col("score").mean(), pl.col("lead_time_deviation_days").mean())
        .join(supplier_reliability(CONFIG), on="supplier_id")
    )


def test_unreliable_suppliers_score_lower(supplier_scores: pl.DataFrame) -> None:
    means = dict(supplier_scores.group_by("reliable").agg(pl.col("score").mean()).rows())
    assert means[True] - means[False] > 0.1


def test_the_bottom_of_the_ranking_is_the_unreliable_suppliers(
    supplier_scores: pl.DataFrame,
) -> None:
    unreliable = int((~supplier_scores["reliable"]).sum())
    assert unreliable >= 5
    bottom = supplier_scores.sort("score").head(unreliable)
    assert (~bottom["reliable"]).mean() >= 0.75


def test_lead_time_deviation_follows_the_hidden_lateness(supplier_scores: pl.DataFrame) -> None:
    correlation = supplier_scores.select(
        pl.corr("lead_time_deviation_days", "lead_time_factor")
    ).item()
    assert correlation > 0.5
