"""Negotiation engine against a small marketplace worked by hand.

Prices: EUR is worth 1.2 USD. Supplier S1 (EUR) is the one negotiated with. Its offer for
SKU-1 (duty 10 %, freight 0.50 USD) has all-units tiers 1 / 500 / 1000 at 10 / 9 / 8.5 EUR,
landed 10 x 1.2 x 1.1 + 0.5 = 13.70, 12.38 and 11.72 USD. An older S1 offer for SKU-1 at
20 EUR is superseded. Others offer SKU-1: S2 (approved) at 12.00 USD, S3 (blocked) at 5.00,
S4 (probation) at 6.00 but expired on 2025-05-31. SKU-2: S1 at 5 EUR (6.00 USD landed), S4
at 7.00 / 6.50 (from 100). SKU-3: S1 only, 3.00 USD.

Orders (USD per unit): PO 7 May 2024 SKU-1 100 @ 9.60 (WH-A); PO 1 Jan 2025 SKU-1 100 @
12.00 and SKU-2 20 @ 6.00 (WH-A); PO 2 Jan 2025 SKU-1 400 @ 10.80 with 100 cancelled (WH-B);
PO 3 Mar 2025 SKU-1 200 @ 12.00 and SKU-2 50 all cancelled (WH-A); PO 4 (cancelled) and PO 5
(proposed) do not count; S2's PO 6 Jan 2025 SKU-1 100 @ 11.00 (WH-B).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest

from shopops.analytics.negotiation import (
    best_alternatives,
    negotiation_brief_data,
    price_history,
    volume_commitment_savings,
)
from shopops.data.schemas import table
from shopops.errors import DataError

D = dt.date
AS_OF = D(2025, 6, 16)
OFFERS_FROM = D(2025, 1, 1)
HORIZON_WEEKS = 4


def _typed(name: str, rows: list[dict[str, Any]]) -> pl.DataFrame:
    """Rows typed by the table schema (only the columns given)."""
    frame = pl.DataFrame(rows, infer_schema_length=None)
    spec = table(name)
    return frame.with_columns(
        pl.col(c.name).cast(c.polars_type) for c in spec.columns if c.name in frame.columns
    )


def _currencies() -> pl.DataFrame:
    return _typed(
        "currencies",
        [
            {"currency_code": "USD", "name": "US dollar", "usd_per_unit": 1.0},
            {"currency_code": "EUR", "name": "Euro", "usd_per_unit": 1.2},
        ],
    )


def _supplier(supplier_id: str, name: str, status: str, currency: str) -> dict[str, Any]:
    return {
        "supplier_id": supplier_id,
        "name": name,
        "country_code": "CN",
        "city": "Shenzhen",
        "latitude": 22.5,
        "longitude": 114.1,
        "currency_code": currency,
        "status": status,
        "payment_terms_days": 30,
        "country_risk_score": 0.3,
        "financial_risk_score": 0.2,
        "compliance_risk_score": 0.1,
    }


def _suppliers() -> pl.DataFrame:
    return _typed(
        "suppliers",
        [
            _supplier("S1", "Bright Works", "approved", "EUR"),
            _supplier("S2", "Second Source", "approved", "USD"),
            _supplier("S3", "Cheap but Blocked", "blocked", "USD"),
            _supplier("S4", "On Probation", "probation", "USD"),
        ],
    )


def _offer(
    offer_id: str,
    supplier_id: str,
    sku_id: str,
    currency: str,
    *,
    valid_from: dt.date = OFFERS_FROM,
    valid_to: dt.date | None = None,
    duty_rate: float = 0.0,
    freight: float = 0.0,
) -> dict[str, Any]:
    return {
        "offer_id": offer_id,
        "supplier_id": supplier_id,
        "sku_id": sku_id,
        "currency_code": currency,
        "moq_units": 10,
        "order_multiple_units": 1,
        "lead_time_mean_days": 30.0 if supplier_id == "S1" else 20.0,
        "lead_time_sd_days": 3.0,
        "capacity_units_per_week": 10_000,
        "valid_from": valid_from,
        "valid_to": valid_to,
        "incoterm": "FOB",
        "freight_usd_per_unit": freight,
        "duty_rate": duty_rate,
        "fixed_order_cost_usd": 50.0,
    }


def _offers() -> pl.DataFrame:
    return _typed(
        "supplier_offers",
        [
            _offer("O1-1", "S1", "SKU-1", "EUR", duty_rate=0.1, freight=0.5),
            _offer("O1-1-old", "S1", "SKU-1", "EUR", valid_from=D(2024, 1, 1)),
            _offer("O2-1", "S2", "SKU-1", "USD"),
            _offer("O3-1", "S3", "SKU-1", "USD"),
            _offer("O4-1", "S4", "SKU-1", "USD", valid_to=D(2025, 5, 31)),
            _offer("O1-2", "S1", "SKU-2", "EUR"),
            _offer("O4-2", "S4", "SKU-2", "USD"),
            _offer("O1-3", "S1", "SKU-3", "USD"),
        ],
    )


def _tiers() -> pl.DataFrame:
    rows = [
        ("O1-1", 1, 10.0),
        ("O1-1", 500, 9.0),
        ("O1-1", 1000, 8.5),
        ("O1-1-old", 1, 20.0),
        ("O2-1", 1, 12.0),
        ("O3-1", 1, 5.0),
        ("O4-1", 1, 6.0),
        ("O1-2", 1, 5.0),
        ("O4-2", 1, 7.0),
        ("O4-2", 100, 6.5),
        ("O1-3", 1, 3.0),
    ]
    return _typed(
        "offer_price_tiers",
        [{"offer_id": o, "min_quantity_units": q, "unit_price": p} for o, q, p in rows],
    )


def _purchase_orders() -> pl.DataFrame:
    rows = [
        (1, "S1", "WH-A", "received", "EUR", D(2025, 1, 10)),
        (2, "S1", "WH-B", "confirmed", "EUR", D(2025, 1, 20)),
        (3, "S1", "WH-A", "sent", "EUR", D(2025, 3, 5)),
        (4, "S1", "WH-A", "cancelled", "EUR", D(2025, 3, 6)),
        (5, "S1", "WH-A", "proposed", "EUR", None),
        (6, "S2", "WH-B", "received", "USD", D(2025, 1, 15)),
        (7, "S1", "WH-A", "closed", "EUR", D(2024, 5, 2)),
    ]
    return _typed(
        "purchase_orders",
        [
            {
                "po_id": po,
                "po_number": f"PO-{po}",
                "supplier_id": supplier,
                "warehouse_id": warehouse,
                "status": status,
                "currency_code": currency,
                "incoterm": "FOB",
                "ordered_date": ordered,
                "created_at": dt.datetime(2024, 1, 1),
                "created_by": "planner",
            }
            for po, supplier, warehouse, status, currency, ordered in rows
        ],
    )


def _po_lines() -> pl.DataFrame:
    rows = [
        (1, 1, "SKU-1", 100, 10.0, 0),
        (1, 2, "SKU-2", 20, 5.0, 0),
        (2, 1, "SKU-1", 400, 9.0, 100),
        (3, 1, "SKU-1", 200, 10.0, 0),
        (3, 2, "SKU-2", 50, 4.0, 50),
        (4, 1, "SKU-1", 1000, 1.0, 0),
        (5, 1, "SKU-1", 1000, 1.0, 0),
        (6, 1, "SKU-1", 100, 11.0, 0),
        (7, 1, "SKU-1", 100, 8.0, 0),
    ]
    return _typed(
        "purchase_order_lines",
        [
            {
                "po_id": po,
                "line_no": line,
                "sku_id": sku,
                "quantity_units": quantity,
                "unit_price": price,
                "expected_date": D(2025, 7, 1),
                "cancelled_units": cancelled,
            }
            for po, line, sku, quantity, price, cancelled in rows
        ],
    )


def _forecast() -> pl.DataFrame:
    weeks = [AS_OF + dt.timedelta(weeks=w) for w in range(HORIZON_WEEKS)]
    rows = [("SKU-1", "WH-A", week, 200.0) for week in weeks]
    rows += [("SKU-1", "WH-B", week, 200.0) for week in weeks]
    rows += [("SKU-2", "WH-A", week, 10.0) for week in weeks]
    rows += [("SKU-3", "WH-A", week, 50.0) for week in weeks]
    rows += [
        ("SKU-1", "WH-A", AS_OF - dt.timedelta(weeks=1), 999.0),
        ("SKU-1", "WH-A", AS_OF + dt.timedelta(weeks=HORIZON_WEEKS), 999.0),
    ]
    return pl.DataFrame(
        rows,
        schema={
            "sku_id": pl.String,
            "warehouse_id": pl.String,
            "week_start": pl.Date,
            "units": pl.Float64,
        },
        orient="row",
    )


def _tables() -> dict[str, pl.DataFrame]:
    skus = pl.DataFrame(
        {
            "sku_id": ["SKU-1", "SKU-2", "SKU-3"],
            "name": ["Earbuds", "Charger", "Lamp"],
            "category_id": ["ELEC", "ELEC", "HOME"],
        }
    )
    categories = pl.DataFrame({"category_id": ["ELEC", "HOME"], "name": ["Electronics", "Home"]})
    certifications = _typed(
        "supplier_certifications",
        [
            {
                "supplier_id": "S1",
                "certification": "ISO 9001",
                "issued_date": D(2022, 8, 1),
                "expiry_date": D(2025, 8, 1),
            },
            {
                "supplier_id": "S1",
                "certification": "BSCI",
                "issued_date": D(2022, 1, 1),
                "expiry_date": D(2024, 12, 31),
            },
            {
                "supplier_id": "S1",
                "certification": "ISO 14001",
                "issued_date": D(2023, 7, 1),
                "expiry_date": D(2026, 6, 30),
            },
            {
                "supplier_id": "S2",
                "certification": "ISO 9001",
                "issued_date": D(2022, 1, 1),
                "expiry_date": D(2024, 1, 1),
            },
        ],
    )
    return {
        "suppliers": _suppliers(),
        "supplier_certifications": certifications,
        "supplier_offers": _offers(),
        "offer_price_tiers": _tiers(),
        "currencies": _currencies(),
        "purchase_orders": _purchase_orders(),
        "purchase_order_lines": _po_lines(),
        "skus": skus,
        "categories": categories,
    }


def _rows(frame: pl.DataFrame, *columns: str) -> list[tuple[Any, ...]]:
    return list(frame.select(columns).iter_rows())


def test_price_history_is_value_weighted_per_month_and_ignores_unsent_orders() -> None:
    history = price_history(_po_lines(), _purchase_orders(), _currencies())

    assert _rows(history, "sku_id", "supplier_id", "month", "units_ordered") == [
        ("SKU-1", "S1", D(2024, 5, 1), 100),
        ("SKU-1", "S1", D(2025, 1, 1), 400),
        ("SKU-1", "S1", D(2025, 3, 1), 200),
        ("SKU-1", "S2", D(2025, 1, 1), 100),
        ("SKU-2", "S1", D(2025, 1, 1), 20),
    ]
    january = history.row(1, named=True)
    assert january["value_usd"] == pytest.approx(100 * 12.0 + 300 * 10.8)
    assert january["avg_unit_price_usd"] == pytest.approx(4440.0 / 400)
    assert (january["min_unit_price_usd"], january["max_unit_price_usd"]) == pytest.approx(
        (10.8, 12.0)
    )
    assert history["price_change_pct"].to_list() == pytest.approx(
        [None, (11.1 / 9.6 - 1) * 100, (12.0 / 11.1 - 1) * 100, None, None], nan_ok=True
    )


def test_price_history_filters_supplier_and_sku() -> None:
    history = price_history(
        _po_lines(), _purchase_orders(), _currencies(), supplier_id="S1", sku_id="SKU-2"
    )

    assert _rows(history, "sku_id", "supplier_id", "month", "units_ordered", "value_usd") == [
        ("SKU-2", "S1", D(2025, 1, 1), 20, pytest.approx(120.0))
    ]


def _alternatives(quantities: pl.DataFrame) -> pl.DataFrame:
    return best_alternatives(
        _offers(),
        _tiers(),
        _currencies(),
        _suppliers(),
        supplier_id="S1",
        as_of=AS_OF,
        quantities=quantities,
    )


def test_best_alternative_ignores_blocked_and_expired_offers_and_prices_the_reached_tier() -> None:
    quantities = pl.DataFrame({"sku_id": ["SKU-1"], "quantity_units": [600]})

    table = _alternatives(quantities)

    sku1 = table.row(0, named=True)
    assert sku1["offer_id"] == "O1-1"
    assert sku1["tier_units"] == 500
    assert sku1["landed_unit_cost_usd"] == pytest.approx(9.0 * 1.2 * 1.1 + 0.5)
    assert sku1["alternative_supplier_id"] == "S2"
    assert sku1["alternative_landed_unit_cost_usd"] == pytest.approx(12.0)
    assert sku1["alternative_lead_time_days"] == 20.0
    assert sku1["alternative_saving_usd_per_unit"] == pytest.approx(0.38)
    assert sku1["alternative_saving_pct"] == pytest.approx(0.38 / 12.38 * 100)
    assert sku1["batna"] == "cheaper alternative"


def test_best_alternative_dearer_and_missing() -> None:
    table = _alternatives(pl.DataFrame({"sku_id": ["SKU-1"], "quantity_units": [600]}))

    assert _rows(table, "sku_id", "alternative_supplier_id", "batna") == [
        ("SKU-1", "S2", "cheaper alternative"),
        ("SKU-2", "S4", "no cheaper alternative"),
        ("SKU-3", None, "no alternative"),
    ]
    sku2 = table.row(1, named=True)
    assert sku2["quantity_units"] is None
    assert sku2["landed_unit_cost_usd"] == pytest.approx(6.0)
    assert sku2["alternative_landed_unit_cost_usd"] == pytest.approx(7.0)
    assert sku2["alternative_saving_pct"] == pytest.approx(-1.0 / 6.0 * 100)
    assert table.row(2, named=True)["alternative_saving_usd_per_unit"] is None


def test_best_alternative_prefers_an_approved_supplier_at_the_same_price() -> None:
    offers = pl.concat(
        [_offers(), _typed("supplier_offers", [_offer("O2-2", "S2", "SKU-2", "USD")])]
    )
    tiers = pl.concat(
        [
            _tiers(),
            _typed(
                "offer_price_tiers",
                [{"offer_id": "O2-2", "min_quantity_units": 1, "unit_price": 7.0}],
            ),
        ]
    )
    quantities = pl.DataFrame({"sku_id": ["SKU-2"], "quantity_units": [20]})

    table = best_alternatives(
        offers,
        tiers,
        _currencies(),
        _suppliers(),
        supplier_id="S1",
        as_of=AS_OF,
        quantities=quantities,
    )

    assert table.filter(pl.col("sku_id") == "SKU-2")["alternative_supplier_id"].item() == "S2"


def _volume(orders_per_period: int = 2) -> pl.DataFrame:
    return volume_commitment_savings(
        _offers(),
        _tiers(),
        _currencies(),
        _forecast(),
        _po_lines(),
        _purchase_orders(),
        supplier_id="S1",
        as_of=AS_OF,
        horizon_weeks=HORIZON_WEEKS,
        orders_per_period=orders_per_period,
    )


def test_consolidating_two_warehouses_reaches_the_500_tier() -> None:
    volume = _volume()

    sku1 = volume.row(0, named=True)
    # WH-A: 4 x 200 units, all bought from S1; WH-B: 4 x 200 x 300/400 bought from S1.
    assert sku1["horizon_units"] == pytest.approx(800 + 600)
    assert sku1["warehouses"] == 2
    # Two orders: 400 and 300 units per warehouse stay at the first tier, 700 together reach 500.
    assert sku1["today_cost_usd"] == pytest.approx(1400 * 13.7)
    assert sku1["order_units"] == pytest.approx(700)
    assert sku1["committed_tier_units"] == 500
    assert sku1["committed_cost_usd"] == pytest.approx(1400 * 12.38)
    assert sku1["saving_usd"] == pytest.approx(1400 * (13.7 - 12.38))
    assert sku1["saving_pct"] == pytest.approx((13.7 - 12.38) / 13.7 * 100)


def test_next_tier_step_says_how_many_more_units_and_what_they_save() -> None:
    sku1 = _volume().row(0, named=True)

    assert sku1["next_tier_units"] == 1000
    assert sku1["extra_units_per_order"] == 300
    assert sku1["extra_units"] == 600
    assert sku1["next_tier_price_cut_pct"] == pytest.approx((12.38 - 11.72) / 12.38 * 100)
    assert sku1["next_tier_saving_usd"] == pytest.approx(1400 * (12.38 - 11.72))


def test_one_order_per_horizon_already_reaches_the_tier_in_each_warehouse() -> None:
    sku1 = _volume(orders_per_period=1).row(0, named=True)

    # 800 and 600 units per order each reach the 500 tier; 1,400 together reach 1,000.
    assert sku1["today_cost_usd"] == pytest.approx(1400 * 12.38)
    assert sku1["committed_tier_units"] == 1000
    assert sku1["saving_usd"] == pytest.approx(1400 * (12.38 - 11.72))
    assert sku1["next_tier_units"] is None


def test_volume_covers_only_skus_the_supplier_supplied_and_the_top_tier_has_no_step() -> None:
    volume = _volume()

    assert volume["sku_id"].to_list() == ["SKU-1", "SKU-2"]
    sku2 = volume.row(1, named=True)
    assert sku2["horizon_units"] == pytest.approx(40)
    assert sku2["saving_usd"] == pytest.approx(0.0)
    assert sku2["next_tier_units"] is None
    assert sku2["extra_units"] is None


def test_volume_refuses_a_horizon_without_orders() -> None:
    with pytest.raises(DataError, match="orders_per_period"):
        _volume(orders_per_period=0)


def _brief() -> Any:
    return negotiation_brief_data(
        _tables(),
        _forecast(),
        supplier_id="S1",
        as_of=AS_OF,
        horizon_weeks=HORIZON_WEEKS,
        orders_per_period=2,
    )


def test_brief_spend_covers_twelve_calendar_months() -> None:
    brief = _brief()

    assert brief.window_start == D(2024, 7, 1)
    assert brief.spend_usd == pytest.approx(1200 + 120 + 3240 + 2400)
    months = brief.spend_by_month
    assert months.height == 12
    assert months["month"][-1] == D(2025, 6, 1)
    assert dict(months.filter(pl.col("spend_usd") > 0).iter_rows()) == pytest.approx(
        {D(2025, 1, 1): 4560.0, D(2025, 3, 1): 2400.0}
    )


def test_brief_share_of_category_and_price_trend() -> None:
    brief = _brief()

    assert _rows(brief.spend_by_category, "category_id", "category_name") == [
        ("ELEC", "Electronics")
    ]
    assert brief.category_share_pct == pytest.approx(6960 / (6960 + 1100) * 100)
    changes = brief.price_changes
    assert _rows(changes, "sku_id", "first_month", "last_month") == [
        ("SKU-1", D(2025, 1, 1), D(2025, 3, 1)),
        ("SKU-2", D(2025, 1, 1), D(2025, 1, 1)),
    ]
    assert changes["price_change_pct"][0] == pytest.approx((12.0 / 11.1 - 1) * 100)
    assert changes["price_change_pct"][1] is None
    assert brief.price_trend_pct == pytest.approx((12.0 / 11.1 - 1) * 100)


def test_brief_batna_at_typical_order_and_savings_over_the_horizon() -> None:
    brief = _brief()

    sku1 = brief.alternatives.row(0, named=True)
    # Typical SKU-1 line: (100 + 300 + 200) / 3 = 200 units, first tier.
    assert sku1["sku_name"] == "Earbuds"
    assert sku1["quantity_units"] == pytest.approx(200)
    assert sku1["landed_unit_cost_usd"] == pytest.approx(13.7)
    assert sku1["spend_usd"] == pytest.approx(6840)
    assert brief.batna_saving_usd == pytest.approx((13.7 - 12.0) * 1400)
    assert brief.volume_saving_usd == pytest.approx(1400 * (13.7 - 12.38))


def test_brief_supplier_facts_and_certificates() -> None:
    brief = _brief()

    assert (brief.supplier.name, brief.supplier.status, brief.supplier.payment_terms_days) == (
        "Bright Works",
        "approved",
        30,
    )
    assert _rows(brief.certifications, "certification", "days_to_expiry", "standing") == [
        ("BSCI", -167, "expired"),
        ("ISO 9001", 46, "expiring"),
        ("ISO 14001", 379, "valid"),
    ]


def test_brief_refuses_missing_tables_and_unknown_supplier() -> None:
    tables = _tables()
    del tables["skus"]
    with pytest.raises(DataError, match="skus"):
        negotiation_brief_data(
            tables, _forecast(), supplier_id="S1", as_of=AS_OF, horizon_weeks=4, orders_per_period=2
        )
    with pytest.raises(DataError, match="S9"):
        negotiation_brief_data(
            _tables(),
            _forecast(),
            supplier_id="S9",
            as_of=AS_OF,
            horizon_weeks=4,
            orders_per_period=2,
        )
