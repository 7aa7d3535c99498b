"""Forecast accuracy by segment, against seasonal naive.

For a segment with actuals :math:`y`, forecasts :math:`f` and series :math:`s`:

- WAPE :math:`= \\sum |y - f| / \\sum y`;
- MASE :math:`=` mean over series of :math:`\\mathrm{MAE}_s / \\mathrm{scale}_s`, the scale being
  the in-sample MAE of the seasonal naive forecast (Hyndman & Koehler 2006, "Another look
  at measures of forecast accuracy", IJF 22(4)); series with a zero scale are left out;
- bias :math:`= \\sum (f - y) / \\sum y` (positive: over-forecast).

Segments: all series; ``demand`` (regular, intermittent, new); ``abc_class`` by value
(A: the series making the first 80 % of the value, B: the next 15 %, C: the rest; value is
units times ``price_usd`` when SKU prices are given, else units); ``category``.
"""

from __future__ import annotations

import polars as pl

from shopops.planning.forecast.reasons import NEWCOMER_MODEL

METRIC_COLUMNS = ("wape", "mase", "bias")


def accuracy_report(backtest: pl.DataFrame, *, skus: pl.DataFrame | None = None) -> pl.DataFrame:
    """WAPE, MASE and bias per segment for our forecast and for seasonal naive.

    Parameters
    ----------
    backtest:
        The frame :func:`~shopops.planning.forecast.backtest.backtest` returns.
    skus:
        Optional ``sku_id`` and ``price_usd``, to rank series by value for ABC classes.

    Returns
    -------
    polars.DataFrame
        ``segment_kind``, ``segment``, ``series``, ``units``, then ``wape``, ``mase``,
        ``bias`` and the same with a ``_naive`` suffix.
    """
    keys = _series_keys(backtest)
    series = _series_table(backtest, keys, skus)
    tables = [series.with_columns(pl.lit("all").alias("segment"))]
    tables.append(series.with_columns(pl.col("demand").alias("segment")))
    tables.append(series.with_columns(pl.col("abc_class").alias("segment")))
    tables.append(series.with_columns(pl.col("category_id").fill_null("unknown").alias("segment")))
    kinds = ("all", "demand", "abc_class", "category")
    parts = [
        _summarise(table).with_columns(pl.lit(kind).alias("segment_kind"))
        for kind, table in zip(kinds, tables, strict=True)
    ]
    report = pl.concat(parts, how="vertical")
    order = ["segment_kind", "segment", "series", "units"]
    metrics = [f"{m}{suffix}" for m in METRIC_COLUMNS for suffix in ("", "_naive")]
    return report.select(*order, *metrics)


def _series_keys(backtest: pl.DataFrame) -> list[str]:
    known = {"origin", "date", "units", "units_forecast", "units_naive", "units_sd", "naive_mae"}
    known |= {"model", "demand_pattern", "intermittent", "category_id"}
    return [c for c in backtest.columns if c not in known and not c.startswith("units_q")]


def _series_table(
    backtest: pl.DataFrame, keys: list[str], skus: pl.DataFrame | None
) -> pl.DataFrame:
    """Per series and origin: error sums, MAE over the scale, segment labels."""
    per = backtest.group_by([*keys, "origin"]).agg(
        pl.col("units").sum().alias("units"),
        (pl.col("units") - pl.col("units_forecast")).abs().sum().alias("abs_error"),
        (pl.col("units") - pl.col("units_naive")).abs().sum().alias("abs_error_naive"),
        (pl.col("units_forecast") - pl.col("units")).sum().alias("error"),
        (pl.col("units_naive") - pl.col("units")).sum().alias("error_naive"),
        pl.len().alias("periods"),
        pl.col("naive_mae").first(),
        pl.col("model").first(),
        pl.col("intermittent").first(),
        pl.col("category_id").first(),
    )
    per = per.with_columns(
        (pl.col("abs_error") / pl.col("periods") / pl.col("naive_mae")).alias("scaled"),
        (pl.col("abs_error_naive") / pl.col("periods") / pl.col("naive_mae")).alias("scaled_naive"),
        pl.when(pl.col("model") == NEWCOMER_MODEL)
        .then(pl.lit("new"))
        .when(pl.col("intermittent"))
        .then(pl.lit("intermittent"))
        .otherwise(pl.lit("regular"))
        .alias("demand"),
    )
    return _with_abc(per, keys, skus)


def _with_abc(per: pl.DataFrame, keys: list[str], skus: pl.DataFrame | None) -> pl.DataFrame:
    """ABC class by value: cumulative share of value up to 80 % A, 95 % B, then C."""
    value = pl.col("units")
    if skus is not None and "sku_id" in keys and "price_usd" in skus.columns:
        per = per.join(skus.select("sku_id", "price_usd"), on="sku_id", how="left")
        value = pl.col("units") * pl.col("price_usd").fill_null(0.0)
    ranked = per.with_columns(value.alias("_value")).sort("_value", descending=True)
    share = pl.col("_value").cum_sum() / pl.col("_value").sum()
    before = share - pl.col("_value") / pl.col("_value").sum()
    abc = pl.when(before < 0.8).then(pl.lit("A")).when(before < 0.95).then(pl.lit("B"))
    return ranked.with_columns(abc.otherwise(pl.lit("C")).alias("abc_class")).drop("_value")


def _summarise(table: pl.DataFrame) -> pl.DataFrame:
    scaled = pl.col("scaled").is_finite()
    return (
        table.group_by("segment")
        .agg(
            pl.len().alias("series"),
            pl.col("units").sum(),
            (pl.col("abs_error").sum() / pl.col("units").sum()).alias("wape"),
            (pl.col("abs_error_naive").sum() / pl.col("units").sum()).alias("wape_naive"),
            pl.col("scaled").filter(scaled).mean().alias("mase"),
            pl.col("scaled_naive").filter(scaled).mean().alias("mase_naive"),
            (pl.col("error").sum() / pl.col("units").sum()).alias("bias"),
            (pl.col("error_naive").sum() / pl.col("units").sum()).alias("bias_naive"),
        )
        .sort("segment")
    )
