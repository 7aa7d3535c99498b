"""The award as one instance: requirements, pairs and options with their coupling groups.

Coupling groups tie requirements together: a capped category (its share cap), an A-class
SKU with eligible offers from two or more suppliers (dual sourcing) and an offer-week whose
options could together exceed the offer's weekly capacity. :attr:`SourcingInstance.arrays`
gives the whole instance as the arrays the solvers read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import polars as pl

from shopops.planning.solvers import FloatArray
from shopops.planning.sourcing.arrays import IntArray, SubProblem
from shopops.planning.sourcing.options import (
    line_options,
    offer_pairs,
    offer_terms,
    ordered_tiers,
)
from shopops.planning.sourcing.rules import SourcingRules


@dataclass(frozen=True)
class SourcingInstance:
    """Frames of one award. ``requirements`` are sorted by ``requirement_id`` with their
    position in ``req_index``; ``options`` carry the integer codes the model reads."""

    requirements: pl.DataFrame
    pairs: pl.DataFrame
    options: pl.DataFrame
    tiers: pl.DataFrame
    rules: SourcingRules

    @cached_property
    def arrays(self) -> SubProblem:
        """The whole instance as arrays (options sorted by requirement)."""
        return _arrays(self.requirements, self.options, self.rules)


def _floats(frame: pl.DataFrame, name: str) -> FloatArray:
    return frame[name].cast(pl.Float64).fill_null(np.nan).to_numpy()


def _ints(frame: pl.DataFrame, name: str) -> IntArray:
    return frame[name].cast(pl.Int64).to_numpy()


def _arrays(req: pl.DataFrame, opt: pl.DataFrame, rules: SourcingRules) -> SubProblem:
    def floats(name: str) -> FloatArray:
        return _floats(opt, name)

    def codes(name: str) -> IntArray:
        return _ints(opt, name)

    return SubProblem(
        quantity_units=_floats(req, "quantity_units"),
        shortfall_cost_usd_per_unit=_floats(req, "shortfall_cost_usd_per_unit"),
        option_requirement=codes("req_index"),
        pair=codes("pair_index"),
        supplier=codes("supplier_code"),
        multiple_units=floats("multiple_units"),
        lo_multiples=floats("lo_multiples"),
        hi_multiples=floats("hi_multiples"),
        cost_usd_per_unit=floats("cost_usd_per_unit"),
        fixed_cost_usd=floats("fixed_order_cost_usd"),
        spend_usd_per_unit=floats("unit_price_usd"),
        capacity_group=codes("capacity_group"),
        capacity_units=floats("capacity_units"),
        share_group=codes("share_group"),
        dual_group=codes("dual_group"),
        dual_penalty_usd_per_unit=floats("dual_penalty_usd_per_unit"),
        share_cap=rules.category_share_cap,
        min_share=rules.dual_source_min_share,
        share_penalty_rate=rules.share_cap_penalty_rate,
    )


def build_instance(
    requirements: pl.DataFrame,
    offers: pl.DataFrame,
    tiers: pl.DataFrame,
    suppliers: pl.DataFrame,
    *,
    order_date: dt.date,
    rules: SourcingRules,
) -> SourcingInstance:
    """Pairs, options and coupling codes of an award (inputs already validated)."""
    req = requirements.sort("requirement_id").with_row_index("req_index")
    pairs = offer_pairs(
        req, offer_terms(offers, tiers, suppliers), order_date=order_date, rules=rules
    ).sort("req_index", "offer_id")
    pairs = pairs.with_row_index("pair_index")
    options = line_options(pairs, tiers, rules).join(_sku_facts(req), on="sku_id", how="left")
    options = _with_groups(options, rules)
    return SourcingInstance(req, pairs, options, ordered_tiers(tiers), rules)


def _dense(*columns: str) -> pl.Expr:
    return (pl.struct(columns).rank("dense") - 1).cast(pl.Int64)


def _sku_facts(requirements: pl.DataFrame) -> pl.DataFrame:
    """Per SKU: A-class when any of its requirements is; mean shortfall cost per unit."""
    return requirements.group_by("sku_id").agg(
        (pl.col("abc_class") == "A").fill_null(False).any().alias("a_class_sku"),
        pl.col("shortfall_cost_usd_per_unit").mean().alias("sku_shortfall_usd_per_unit"),
    )


def _with_groups(options: pl.DataFrame, rules: SourcingRules) -> pl.DataFrame:
    """Supplier codes and the share, dual-sourcing and capacity groups of each option."""
    suppliers_in_category = pl.col("supplier_id").n_unique().over("category_id")
    dual = pl.col("a_class_sku") & (pl.col("supplier_id").n_unique().over("sku_id") >= 2)
    pair_units = (pl.col("multiple_units") * pl.col("hi_multiples")).max().over("pair_index")
    first_of_pair = pl.col("pair_index").is_first_distinct()
    capacity_binds = (pair_units * first_of_pair).sum().over("capacity_key") > pl.col(
        "capacity_units"
    )
    penalty = rules.dual_source_penalty_rate * pl.col("sku_shortfall_usd_per_unit")
    return (
        options.with_columns(
            _dense("supplier_id").alias("supplier_code"),
            pl.struct("offer_id", "week_start").alias("capacity_key"),
            pl.col("capacity_units_per_week").cast(pl.Float64).alias("capacity_units"),
        )
        .with_columns(
            pl.when(suppliers_in_category >= rules.suppliers_for_share_cap)
            .then(_dense("category_id"))
            .otherwise(-1)
            .alias("share_group"),
            pl.when(dual).then(_dense("sku_id")).otherwise(-1).alias("dual_group"),
            pl.when(dual).then(penalty).otherwise(0.0).alias("dual_penalty_usd_per_unit"),
            pl.when(capacity_binds.fill_null(False))
            .then(_dense("offer_id", "week_start"))
            .otherwise(-1)
            .alias("capacity_group"),
        )
        .drop("capacity_key")
        .with_row_index("option_index")
    )
