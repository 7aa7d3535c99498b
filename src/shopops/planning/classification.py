"""ABC / XYZ classification of SKUs: by consumption value and by demand variability.

- **ABC** ranks SKUs by annual consumption value (annual units x unit cost). Going down the
  ranking, a SKU is *A* while the SKUs ranked above it make up less than ``a_share`` of the
  total value, *B* while they make up less than ``b_share``, and *C* after that (so the SKU
  that crosses a threshold still belongs to the class it completes). Source: Silver, Pyke &
  Thomas, 4th ed., §2.3 (the Pareto/ABC distribution by value).
- **XYZ** sorts by the coefficient of variation of weekly demand, ``cv = sd / mean`` over
  the weeks of the history (weeks without a sale count as zero): *X* when
  ``cv <= x_cv``, *Y* when ``cv <= y_cv``, *Z* otherwise or without demand.

Annual figures scale the units of the history to 365 days of its span (first to last day
of ``demand``, the same span for every SKU).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from shopops.errors import DataError

DAYS_PER_YEAR = 365.0


def classify_abc_xyz(
    demand: pl.DataFrame,
    skus: pl.DataFrame,
    *,
    value_column: str = "unit_cost_usd",
    units_column: str = "units",
    a_share: float = 0.8,
    b_share: float = 0.95,
    x_cv: float = 0.5,
    y_cv: float = 1.0,
) -> pl.DataFrame:
    """ABC class by annual consumption value and XYZ class by weekly demand variability.

    Parameters
    ----------
    demand
        ``sku_id``, ``date`` and units sold (``units_column``), any grain of a day or finer
        keys (rows of one SKU and day are summed).
    skus
        ``sku_id`` and the unit value (``value_column``, USD per unit). SKUs listed here
        without demand are class C / Z.
    a_share, b_share
        Cumulative value shares closing the A and B classes.
    x_cv, y_cv
        Upper bounds of the weekly coefficient of variation of the X and Y classes.

    Returns
    -------
    polars.DataFrame
        One row per SKU, highest value first: ``sku_id``, ``annual_units``,
        ``unit_value_usd``, ``annual_value_usd``, ``value_share``, ``cumulative_value_share``,
        ``abc_class``, ``weekly_mean_units``, ``weekly_sd_units``, ``weekly_cv`` and
        ``xyz_class``.
    """
    if not 0.0 < a_share <= b_share <= 1.0 or not 0.0 <= x_cv <= y_cv:
        raise DataError("need 0 < a_share <= b_share <= 1 and 0 <= x_cv <= y_cv")
    missing = {"sku_id", "date", units_column} - set(demand.columns)
    if missing or {"sku_id", value_column} - set(skus.columns):
        raise DataError(f"classify_abc_xyz needs sku_id, date, {units_column} and {value_column}")
    first, last = _span(demand)
    weeks = _weekly(demand, units_column, first, last)
    span_days = float((last - first).days + 1)
    table = (
        skus.select("sku_id", pl.col(value_column).cast(pl.Float64).alias("unit_value_usd"))
        .unique("sku_id", keep="first")
        .join(weeks, on="sku_id", how="left")
        .with_columns(
            pl.col("total_units").fill_null(0.0),
            pl.col("weekly_mean_units").fill_null(0.0),
            pl.col("weekly_sd_units").fill_null(0.0),
        )
        .with_columns((pl.col("total_units") * DAYS_PER_YEAR / span_days).alias("annual_units"))
        .with_columns((pl.col("annual_units") * pl.col("unit_value_usd")).alias("annual_value_usd"))
    )
    return _xyz(_abc(table, a_share, b_share), x_cv, y_cv).select(
        "sku_id",
        "annual_units",
        "unit_value_usd",
        "annual_value_usd",
        "value_share",
        "cumulative_value_share",
        "abc_class",
        "weekly_mean_units",
        "weekly_sd_units",
        "weekly_cv",
        "xyz_class",
    )


def _span(demand: pl.DataFrame) -> tuple[dt.date, dt.date]:
    dates = demand.get_column("date").cast(pl.Date)
    first, last = dates.min(), dates.max()
    if not isinstance(first, dt.date) or not isinstance(last, dt.date):
        raise DataError("classify_abc_xyz needs at least one day of demand")
    return first, last


def _weekly(demand: pl.DataFrame, units: str, first: dt.date, last: dt.date) -> pl.DataFrame:
    """Total units and mean / sd of units per week (7-day blocks from ``first``), per SKU."""
    n_weeks = (last - first).days // 7 + 1
    week = (pl.col("date").cast(pl.Date) - pl.lit(first)).dt.total_days() // 7
    per_week = demand.group_by("sku_id", week.alias("week")).agg(
        pl.col(units).cast(pl.Float64).sum().alias("units")
    )
    # population moments over all weeks of the span, the weeks without a row being zero
    return per_week.group_by("sku_id").agg(
        pl.col("units").sum().alias("total_units"),
        (pl.col("units").sum() / n_weeks).alias("weekly_mean_units"),
        (pl.col("units").pow(2).sum() / n_weeks - (pl.col("units").sum() / n_weeks).pow(2))
        .clip(lower_bound=0.0)
        .sqrt()
        .alias("weekly_sd_units"),
    )


def _abc(table: pl.DataFrame, a_share: float, b_share: float) -> pl.DataFrame:
    total = table.get_column("annual_value_usd").sum()
    ranked = table.sort(["annual_value_usd", "sku_id"], descending=[True, False])
    share = pl.col("annual_value_usd") / total if total > 0 else pl.lit(0.0)
    ranked = ranked.with_columns(share.alias("value_share")).with_columns(
        pl.col("value_share").cum_sum().alias("cumulative_value_share")
    )
    before = pl.col("cumulative_value_share") - pl.col("value_share")
    return ranked.with_columns(
        pl.when((pl.col("value_share") > 0) & (before < a_share - 1e-12))
        .then(pl.lit("A"))
        .when((pl.col("value_share") > 0) & (before < b_share - 1e-12))
        .then(pl.lit("B"))
        .otherwise(pl.lit("C"))
        .alias("abc_class")
    )


def _xyz(table: pl.DataFrame, x_cv: float, y_cv: float) -> pl.DataFrame:
    cv = (
        pl.when(pl.col("weekly_mean_units") > 0)
        .then(pl.col("weekly_sd_units") / pl.col("weekly_mean_units"))
        .otherwise(None)
    )
    return table.with_columns(cv.alias("weekly_cv")).with_columns(
        pl.when(pl.col("weekly_cv") <= x_cv)
        .then(pl.lit("X"))
        .when(pl.col("weekly_cv") <= y_cv)
        .then(pl.lit("Y"))
        .otherwise(pl.lit("Z"))
        .alias("xyz_class")
    )
