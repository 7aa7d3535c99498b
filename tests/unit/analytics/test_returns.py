"""Return rates and reasons by SKU, category and supplier, on figures counted by hand.

SKU   category  shipped  returned (reason)                          supplier (cheapest offer)
S1    X         60 + 40  3 defective, 2 changed mind, 1 not as desc  SUP-B (8.20 vs 10.00 USD)
S2    X         50       5 damaged                                  SUP-A (SUP-B's offer expired)
S3    Y         20       1 size / fit                               SUP-A (no offer valid yet)
S4    Y         10       2 wrong item                               none (no offer)
S5    Y         0        1 changed mind                             none
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from shopops.analytics.returns import return_rates, sku_suppliers

AS_OF = dt.date(2026, 1, 31)
D = dt.date


def _offers() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "offer_id": ["O1", "O2", "O3", "O4", "O5"],
            "supplier_id": ["SUP-A", "SUP-B", "SUP-A", "SUP-B", "SUP-A"],
            "sku_id": ["S1", "S1", "S2", "S2", "S3"],
            "currency_code": ["USD", "CNY", "USD", "USD", "USD"],
            "valid_from": [D(2025, 1, 1)] * 4 + [D(2026, 3, 1)],
            "valid_to": [None, None, None, D(2025, 12, 31), None],
            "duty_rate": [0.0, 0.1, 0.0, 0.0, 0.0],
            "freight_usd_per_unit": [0.0, 0.5, 0.0, 0.0, 0.0],
        }
    )


def _tiers() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "offer_id": ["O1", "O1", "O2", "O3", "O4", "O5"],
            "min_quantity_units": [100, 1, 1, 1, 1, 1],
            "unit_price": [9.0, 10.0, 50.0, 5.0, 4.0, 3.0],
        }
    )


CURRENCIES = pl.DataFrame({"currency_code": ["USD", "CNY"], "usd_per_unit": [1.0, 0.14]})
SKUS = pl.DataFrame(
    {"sku_id": ["S1", "S2", "S3", "S4", "S5"], "category_id": ["X", "X", "Y", "Y", "Y"]}
)
SHIPPED = pl.DataFrame(
    {"sku_id": ["S1", "S1", "S2", "S3", "S4"], "quantity_units": [60, 40, 50, 20, 10]}
)
RETURNED = pl.DataFrame(
    {
        "sku_id": ["S1", "S1", "S1", "S2", "S3", "S4", "S5"],
        "quantity_units": [3, 2, 1, 5, 1, 2, 1],
        "reason": [
            "defective",
            "changed_mind",
            "not_as_described",
            "damaged",
            "size_fit",
            "wrong_item",
            "changed_mind",
        ],
    }
)


def _rates(by: str) -> dict[object, dict[str, object]]:
    suppliers = sku_suppliers(_offers(), _tiers(), CURRENCIES, as_of=AS_OF)
    table = return_rates(SHIPPED, RETURNED, SKUS, suppliers, by=by)  # type: ignore[arg-type]
    key = table.columns[0]
    return {row[key]: row for row in table.iter_rows(named=True)}


def test_each_sku_is_supplied_by_its_cheapest_valid_offer() -> None:
    # O2: 50 CNY x 0.14 x 1.1 duty + 0.50 freight = 8.20 USD < O1's first tier 10.00
    suppliers = sku_suppliers(_offers(), _tiers(), CURRENCIES, as_of=AS_OF)
    assert suppliers.sort("sku_id").rows() == [("S1", "SUP-B"), ("S2", "SUP-A"), ("S3", "SUP-A")]


def test_return_rate_and_reasons_by_sku() -> None:
    rates = _rates("sku")
    s1 = rates["S1"]
    assert (s1["shipped_units"], s1["returned_units"], s1["return_rate"]) == (100, 6, 0.06)
    assert (s1["defective_units"], s1["changed_mind_units"], s1["not_as_described_units"]) == (
        3,
        2,
        1,
    )
    assert (s1["quality_units"], s1["quality_share"], s1["top_reason"]) == (
        4,
        pytest.approx(4 / 6),
        "defective",
    )
    assert (rates["S2"]["return_rate"], rates["S2"]["quality_share"]) == (0.1, 0.0)
    assert rates["S4"]["return_rate"] == 0.2
    # returned in the period but shipped before it: no rate
    assert (rates["S5"]["shipped_units"], rates["S5"]["return_rate"]) == (0, None)
    assert list(rates) == ["S1", "S2", "S4", "S3", "S5"]


def test_return_rate_by_supplier_feeds_its_quality_share() -> None:
    rates = _rates("supplier")
    # SUP-A: S2 and S3, 70 shipped, 6 returned, none for quality reasons
    assert (rates["SUP-A"]["shipped_units"], rates["SUP-A"]["returned_units"]) == (70, 6)
    assert rates["SUP-A"]["quality_share"] == 0.0
    # SUP-B: S1, 4 of its 6 returned units defective or not as described
    assert rates["SUP-B"]["quality_share"] == pytest.approx(4 / 6)
    # S4 and S5 have no supplier: 10 shipped, 3 returned
    assert (rates[None]["shipped_units"], rates[None]["returned_units"]) == (10, 3)
    assert list(rates) == ["SUP-A", "SUP-B", None]


def test_return_rate_by_category() -> None:
    rates = _rates("category")
    assert (rates["X"]["shipped_units"], rates["X"]["returned_units"]) == (150, 11)
    assert rates["X"]["return_rate"] == pytest.approx(11 / 150)
    assert (rates["Y"]["shipped_units"], rates["Y"]["returned_units"]) == (30, 4)
    assert rates["Y"]["top_reason"] == "wrong_item"


def test_nothing_shipped_or_returned_gives_an_empty_table() -> None:
    empty = return_rates(
        SHIPPED.clear(),
        RETURNED.clear(),
        SKUS,
        pl.DataFrame(schema={"sku_id": pl.String, "supplier_id": pl.String}),
        by="sku",
    )
    assert empty.height == 0
    assert "return_rate" in empty.columns


def test_an_unknown_grouping_is_refused() -> None:
    with pytest.raises(ValueError, match="by must be one of sku, category, supplier"):
        return_rates(SHIPPED, RETURNED, SKUS, SKUS, by="warehouse")  # type: ignore[arg-type]
