"""The data model is internally consistent: keys, references, load order and rules."""

import datetime as dt

import polars as pl
import pytest

from shopops.data.schemas import TABLES, TABLES_BY_NAME, table
from shopops.data.spec import Column, DType, Rule


def test_every_reference_points_at_the_key_or_a_unique_key_of_an_earlier_table() -> None:
    seen: set[str] = set()
    for spec in TABLES:
        for fk in spec.all_foreign_keys():
            target = TABLES_BY_NAME[fk.table]
            assert fk.table in seen | {spec.name}, f"{spec.name} is loaded before {fk.table}"
            assert fk.ref_columns in (target.primary_key, *target.unique)
            for mine, theirs in zip(fk.columns, fk.ref_columns, strict=True):
                assert spec.column(mine).dtype is target.column(theirs).dtype
        seen.add(spec.name)


def test_key_columns_are_required() -> None:
    for spec in TABLES:
        for name in spec.primary_key:
            assert not spec.column(name).nullable, f"{spec.name}.{name}"


@pytest.mark.parametrize("spec", TABLES, ids=lambda t: t.name)
def test_rules_evaluate_on_a_frame_of_the_table(spec) -> None:  # type: ignore[no-untyped-def]
    empty = spec.empty_frame()
    checks = [Rule(n, sql, "") for c in spec.columns for n, sql in c.value_checks()]
    for rule in [*spec.rules, *checks]:
        assert empty.select(rule.expr()).height == 0


def test_a_rule_fails_only_where_its_expression_is_false() -> None:
    rule = table("supplier_offers").rules[0]
    first = dt.date(2026, 1, 1)
    frame = pl.DataFrame(
        {
            "valid_from": [first, first, first],
            "valid_to": [dt.date(2026, 2, 1), dt.date(2025, 12, 31), None],
        }
    )
    broken = frame.select((~rule.expr()).fill_null(False)).to_series().to_list()
    assert broken == [False, True, False]


def test_value_checks_describe_bounds_and_choices() -> None:
    column = Column("duty_rate", DType.FLOAT, "Duty.", minimum=0, maximum=1)
    assert column.value_checks() == [
        ("duty_rate_min", "duty_rate >= 0"),
        ("duty_rate_max", "duty_rate <= 1"),
    ]
    assert column.expected() == "a number >= 0, <= 1"
    status = table("purchase_orders").column("status")
    assert status.choices is not None
    assert "proposed" in status.choices


def test_unknown_table_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="skus"):
        table("sku")


def test_conform_orders_and_types_columns() -> None:
    spec = table("transit_times")
    frame = pl.DataFrame({"transit_days": [2], "zone": [3], "service_id": ["PCL-GND"]})
    assert spec.conform(frame).columns == ["service_id", "zone", "transit_days"]
