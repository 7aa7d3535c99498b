"""The negotiation brief page, rendered from a marketplace worked by hand.

All prices in USD, no duty or freight. Supplier S1 "Lumen & Sons" sells SKU-1 (Earbuds)
with all-units tiers 1 / 500 / 1000 at 10.00 / 9.00 / 8.80 and SKU-2 (Cable) at 2.00; S2
"Second Source" sells Earbuds at 9.40. Orders: S1 Feb 2025 100 Earbuds @ 10.00 and 50 Cables
@ 2.00 (WH-A), S1 May 2025 100 Earbuds @ 10.40 (WH-B), S2 Mar 2025 100 Earbuds @ 9.40 (WH-A).

- 12-month spend 1,000 + 100 + 1,040 = 2,140 USD; electronics spend with S2's 940 is 3,080,
  so S1's share is 69.5 %. Earbuds rose 10.40 / 10.00 - 1 = 4.0 % since Feb 2025.
- A typical Earbuds order (100) pays 10.00 against S2's 9.40: 6.0 % cheaper.
- Forecast 30 Earbuds a week in each warehouse for 13 weeks; S1 supplied half of WH-A's and
  all of WH-B's, so its volume is 195 + 390 = 585 units in one order per horizon: alone each
  warehouse pays 10.00, together 585 units reach the 500 tier at 9.00, saving 585 USD. Matching
  S2 would save 0.60 x 585 = 351 USD. 415 more units reach the 1,000 tier at 8.80: -2.2 %,
  saving 0.20 x 585 = 117 USD.
"""

from __future__ import annotations

import datetime as dt
import re

import polars as pl
import pytest
from plotly.offline import get_plotlyjs

from shopops.analytics.negotiation import NegotiationBriefData, negotiation_brief_data
from shopops.reports.negotiation_brief import render_negotiation_brief, talking_points

D = dt.date
AS_OF = D(2025, 6, 16)
SCRIPT_SRC = re.compile(r"<script\b[^>]*\bsrc\s*=", re.IGNORECASE)
REMOTE_SCRIPT = re.compile(r"<script\b[^>]*\bsrc\s*=\s*[\"']?https?://", re.IGNORECASE)


def _frame(rows: list[tuple[object, ...]], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=schema, orient="row")


def _tables() -> dict[str, pl.DataFrame]:
    s, f, i, d = pl.String(), pl.Float64(), pl.Int64(), pl.Date()
    supplier = {
        "supplier_id": s, "name": s, "country_code": s, "city": s, "currency_code": s,
        "status": s, "payment_terms_days": i, "country_risk_score": f,
        "financial_risk_score": f, "compliance_risk_score": f,
    }  # fmt: skip
    offer = {
        "offer_id": s, "supplier_id": s, "sku_id": s, "currency_code": s, "moq_units": i,
        "lead_time_mean_days": f, "valid_from": d, "valid_to": d, "duty_rate": f,
        "freight_usd_per_unit": f,
    }  # fmt: skip
    order = {
        "po_id": i, "supplier_id": s, "warehouse_id": s, "status": s, "currency_code": s,
        "ordered_date": d,
    }  # fmt: skip
    line = {"po_id": i, "sku_id": s, "quantity_units": i, "cancelled_units": i, "unit_price": f}
    return {
        "suppliers": _frame(
            [
                ("S1", "Lumen & Sons", "VN", "Hanoi", "USD", "approved", 45, 0.3, 0.7, 0.1),
                ("S2", "Second Source", "MX", "Monterrey", "USD", "approved", 30, 0.2, 0.2, 0.2),
            ],
            supplier,
        ),
        "supplier_certifications": _frame(
            [("S1", "ISO 9001", D(2025, 7, 1))],
            {"supplier_id": s, "certification": s, "expiry_date": d},
        ),
        "supplier_offers": _frame(
            [
                ("O1", "S1", "SKU-1", "USD", 10, 30.0, D(2025, 1, 1), None, 0.0, 0.0),
                ("O2", "S1", "SKU-2", "USD", 10, 30.0, D(2025, 1, 1), None, 0.0, 0.0),
                ("O3", "S2", "SKU-1", "USD", 10, 12.0, D(2025, 1, 1), None, 0.0, 0.0),
            ],
            offer,
        ),
        "offer_price_tiers": _frame(
            [("O1", 1, 10.0), ("O1", 500, 9.0), ("O1", 1000, 8.8), ("O2", 1, 2.0), ("O3", 1, 9.4)],
            {"offer_id": s, "min_quantity_units": i, "unit_price": f},
        ),
        "currencies": _frame([("USD", 1.0)], {"currency_code": s, "usd_per_unit": f}),
        "purchase_orders": _frame(
            [
                (1, "S1", "WH-A", "received", "USD", D(2025, 2, 3)),
                (2, "S1", "WH-B", "confirmed", "USD", D(2025, 5, 5)),
                (3, "S2", "WH-A", "received", "USD", D(2025, 3, 3)),
            ],
            order,
        ),
        "purchase_order_lines": _frame(
            [
                (1, "SKU-1", 100, 0, 10.0),
                (1, "SKU-2", 50, 0, 2.0),
                (2, "SKU-1", 100, 0, 10.4),
                (3, "SKU-1", 100, 0, 9.4),
            ],
            line,
        ),
        "skus": _frame(
            [("SKU-1", "Earbuds", "ELEC"), ("SKU-2", "Cable", "ELEC")],
            {"sku_id": s, "name": s, "category_id": s},
        ),
        "categories": _frame([("ELEC", "Electronics")], {"category_id": s, "name": s}),
    }


def _forecast() -> pl.DataFrame:
    weeks = [AS_OF + dt.timedelta(weeks=w) for w in range(13)]
    return pl.DataFrame(
        {
            "sku_id": ["SKU-1"] * 26,
            "warehouse_id": ["WH-A"] * 13 + ["WH-B"] * 13,
            "week_start": weeks * 2,
            "units": [30.0] * 26,
        }
    )


def _scorecard() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "period": ["2025-Q1", "2025-Q1", "2025-Q2", "2025-Q2"],
            "metric": ["on_time_rate", "fill_rate", "on_time_rate", "fill_rate"],
            "value": [0.91, 0.97, 0.82, 0.98],
            "score": [0.9, 0.95, 0.64, 0.97],
            "standing": ["good", "good", "watch", "good"],
        }
    )


@pytest.fixture(scope="module")
def brief() -> NegotiationBriefData:
    return negotiation_brief_data(
        _tables(),
        _forecast(),
        supplier_id="S1",
        as_of=AS_OF,
        horizon_weeks=13,
        orders_per_period=1,
        scorecard=_scorecard(),
    )


@pytest.fixture(scope="module")
def html(brief: NegotiationBriefData) -> str:
    return render_negotiation_brief(brief)


def test_brief_names_the_supplier_escaped(html: str) -> None:
    assert "<h1>Negotiation brief: Lumen &amp; Sons</h1>" in html
    assert "Lumen & Sons" not in html


def test_brief_shows_the_headline_numbers(html: str) -> None:
    for card, value in [
        ("Spend, 12 months", "2,140 USD"),
        ("Share of category", "69.5 %"),
        ("Price trend", "+4.0 %"),
        ("Savings from best alternatives", "351 USD"),
        ("Savings from volume commitment", "585 USD"),
    ]:
        assert re.search(
            rf'<div class="label">{card}</div>\s*<div class="value[^"]*">{re.escape(value)}</div>',
            html,
        ), card


def test_brief_tables_show_the_alternative_and_the_volume_step(html: str) -> None:
    assert "<td>Second Source</td>" in html
    assert '<td class="num">9.40 USD</td>' in html
    assert '<td class="num good">6.0 %</td>' in html
    assert '<td class="num">415</td>' in html
    assert '<td class="num">117 USD</td>' in html


def test_talking_points_come_from_the_numbers(brief: NegotiationBriefData) -> None:
    assert talking_points(brief) == [
        "Their price for Earbuds rose 4.0 % since Feb 2025 while the best alternative "
        "(Second Source) is 6.0 % cheaper landed.",
        "One order per SKU across warehouses, committing our forecast volume, saves 585 USD "
        "over 13 weeks.",
        "Commit 415 more units of Earbuds over 13 weeks (415 per order) to reach the "
        "1,000-unit tier: -2.2 %, saving 117 USD over 13 weeks.",
        "1 SKU (4.7 % of their spend) has no alternative supplier: lead with volume there, "
        "not with a switch.",
        "Their ISO 9001 certificate expires on 1 Jul 2025 (in 15 days): ask for the renewal "
        "audit date.",
        "Weakest scorecard metric in 2025-Q2: on_time_rate at 0.82 (score 0.64, watch).",
        "High financial risk score (0.70): keep the alternatives qualified.",
    ]


def test_brief_has_four_charts_and_plotly_inlined_once(html: str) -> None:
    assert html.count('class="plotly-graph-div"') == 4
    assert html.count("Plotly.newPlot") == 4
    assert html.count(get_plotlyjs()) == 1


def test_brief_loads_no_script_from_anywhere(html: str) -> None:
    assert not REMOTE_SCRIPT.search(html)
    assert not SCRIPT_SRC.search(html)


def test_brief_without_scorecard_or_orders_still_renders() -> None:
    quiet = negotiation_brief_data(
        _tables(),
        _forecast().clear(),
        supplier_id="S2",
        as_of=D(2026, 6, 1),
        horizon_weeks=13,
        orders_per_period=1,
    )

    html = render_negotiation_brief(quiet)

    assert "Second Source" in html
    assert html.count('class="plotly-graph-div"') == 3
    assert re.search(
        r'<div class="label">Price trend</div>\s*<div class="value[^"]*">—</div>', html
    )
    assert "No forecast volume for their SKUs." in html
