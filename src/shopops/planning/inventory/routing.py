"""Demand per SKU x warehouse through the current routing of orders.

Customers order per region; stock is held per warehouse. The routing share of a warehouse
for a SKU and region is its share of the units of that SKU shipped to that region over a
recent window. Where a SKU has not shipped to a region lately, the region's shares over all
SKUs stand in, and where the region has had no shipments at all, its nearest warehouse (by
``shipping_zones.distance_km``) takes everything. Demand is split by these shares, so every
unit of regional demand lands in exactly one warehouse's demand (sums are preserved).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import polars as pl

from shopops.domain.orders import CancelReason, OrderLineStatus
from shopops.errors import DataError

PAIR = ("sku_id", "region_id")
SHARE_COLUMNS = ("sku_id", "region_id", "warehouse_id", "units", "routing_share", "routing_basis")


def order_line_demand(order_lines: pl.DataFrame, orders: pl.DataFrame) -> pl.DataFrame:
    """Order lines that asked for stock, with the order's region and day.

    Lines cancelled by the buyer, for fraud or for other reasons never asked for stock and
    are left out; lines cancelled for want of stock are demand that was lost, and stay.

    Returns
    -------
    polars.DataFrame
        ``sku_id``, ``region_id``, ``warehouse_id`` (null where no warehouse served the
        line), ``date`` (the day ordered), ``quantity_units``, ``status`` and ``stocked_out``.
    """
    stockout = pl.col("cancel_reason") == CancelReason.STOCKOUT.value
    cancelled = pl.col("status") == OrderLineStatus.CANCELLED.value
    return (
        order_lines.join(
            orders.select("order_id", "region_id", pl.col("ordered_at").dt.date().alias("date")),
            on="order_id",
            how="inner",
        )
        .filter(~cancelled | stockout.fill_null(False))
        .select(
            "sku_id",
            "region_id",
            "warehouse_id",
            "date",
            "quantity_units",
            "status",
            stockout.fill_null(False).alias("stocked_out"),
        )
    )


def routing_shares(
    shipped_lines: pl.DataFrame,
    shipping_zones: pl.DataFrame,
    *,
    as_of: dt.date,
    window_days: int = 91,
) -> pl.DataFrame:
    """Share of each warehouse in the units shipped per SKU x region over a recent window.

    Parameters
    ----------
    shipped_lines
        ``sku_id``, ``region_id``, ``warehouse_id``, ``date`` and ``quantity_units`` (e.g.
        :func:`order_line_demand`); lines without a warehouse are ignored.
    shipping_zones
        ``warehouse_id``, ``region_id`` and ``distance_km`` of every lane.
    as_of, window_days
        Lines dated in ``[as_of - window_days, as_of)`` count.

    Returns
    -------
    polars.DataFrame
        ``sku_id`` (null on region and nearest rows), ``region_id``, ``warehouse_id``,
        ``units`` (shipped in the window), ``routing_share`` (sums to 1 per SKU x region,
        per region, and per nearest region) and ``routing_basis``: ``sku_region``,
        ``region`` (all SKUs of the region) or ``nearest`` (the closest warehouse).
    """
    recent = shipped_lines.filter(
        pl.col("warehouse_id").is_not_null()
        & (pl.col("date") >= as_of - dt.timedelta(days=window_days))
        & (pl.col("date") < as_of)
    ).with_columns(pl.col("quantity_units").cast(pl.Float64))
    by_pair = _shares(recent, ["sku_id", "region_id"], "sku_region")
    by_region = _shares(recent, ["region_id"], "region")
    nearest = (
        shipping_zones.sort(["region_id", "distance_km", "warehouse_id"])
        .unique("region_id", keep="first", maintain_order=True)
        .select(
            pl.lit(None, dtype=pl.String).alias("sku_id"),
            "region_id",
            "warehouse_id",
            pl.lit(0.0).alias("units"),
            pl.lit(1.0).alias("routing_share"),
            pl.lit("nearest").alias("routing_basis"),
        )
    )
    return pl.concat([by_pair, by_region, nearest], how="vertical_relaxed")


def _shares(lines: pl.DataFrame, group: list[str], basis: str) -> pl.DataFrame:
    units = lines.group_by([*group, "warehouse_id"]).agg(pl.col("quantity_units").sum())
    frame = units.filter(pl.col("quantity_units") > 0).with_columns(
        (pl.col("quantity_units") / pl.col("quantity_units").sum().over(group)).alias(
            "routing_share"
        ),
        pl.lit(basis).alias("routing_basis"),
    )
    if "sku_id" not in group:
        frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias("sku_id"))
    frame = frame.rename({"quantity_units": "units"}).select(SHARE_COLUMNS)
    return frame.sort(["region_id", "sku_id", "warehouse_id"])


def resolve_routing(pairs: pl.DataFrame, shares: pl.DataFrame) -> pl.DataFrame:
    """The shares that apply to each SKU x region of ``pairs``, most specific basis first.

    Returns
    -------
    polars.DataFrame
        ``sku_id``, ``region_id``, ``warehouse_id``, ``routing_share`` and ``routing_basis``.

    Raises
    ------
    DataError
        If a region has no shipping zone at all (no warehouse can be reached).
    """
    pairs = pairs.select(PAIR).unique()
    kept = ["sku_id", "region_id", "warehouse_id", "routing_share", "routing_basis"]
    routed = pairs.join(
        shares.filter(pl.col("routing_basis") == "sku_region"), on=list(PAIR)
    ).select(kept)
    for basis in ("region", "nearest"):  # the pairs still without shares take the fallback
        rest = pairs.join(routed.select(PAIR).unique(), on=list(PAIR), how="anti")
        regional = shares.filter(pl.col("routing_basis") == basis).drop("sku_id")
        fallback = rest.join(regional, on="region_id").select(kept)
        routed = pl.concat([routed, fallback], how="vertical_relaxed")
    lost = pairs.join(routed.select(PAIR).unique(), on=list(PAIR), how="anti")
    if lost.height:
        regions = ", ".join(sorted(set(lost.get_column("region_id").cast(pl.String))))
        raise DataError(f"no warehouse reaches region(s) {regions}: add their shipping zones")
    return routed


def route_demand(
    demand: pl.DataFrame,
    shares: pl.DataFrame,
    *,
    mean_columns: Sequence[str] = ("units_forecast",),
    sd_columns: Mapping[str, str] | None = None,
    date_column: str = "date",
) -> pl.DataFrame:
    """Demand per SKU x region split into demand per SKU x warehouse by routing shares.

    Each unit of a SKU x region goes to warehouse ``w`` with probability ``s_w``, so a
    warehouse's part of a demand ``X`` has mean ``s E[X]`` and variance
    ``s² Var[X] + s (1 - s) E[X]`` (binomial thinning); regions add up independently.

    Parameters
    ----------
    demand
        ``sku_id``, ``region_id``, ``date_column`` and the value columns.
    shares
        :func:`routing_shares`.
    mean_columns
        Additive columns (units): multiplied by the share and summed.
    sd_columns
        Standard-deviation columns, each mapped to its mean column; default
        ``{"units_sd": "units_forecast"}`` when both are present.

    Returns
    -------
    polars.DataFrame
        ``sku_id``, ``warehouse_id``, ``date_column``, the mean and sd columns, sorted.
    """
    if sd_columns is None:
        both = {"units_sd", "units_forecast"} <= set(demand.columns)
        sd_columns = {"units_sd": "units_forecast"} if both else {}
    routing = resolve_routing(demand.select(PAIR), shares)
    share = pl.col("routing_share")
    split = demand.join(routing, on=list(PAIR), how="inner").with_columns(
        *(pl.col(c) * share for c in mean_columns),
        *(
            (share.pow(2) * pl.col(sd).pow(2) + share * (1.0 - share) * pl.col(mean)).alias(sd)
            for sd, mean in sd_columns.items()
        ),
    )
    keys = ["sku_id", "warehouse_id", date_column]
    return (
        split.group_by(keys)
        .agg(
            *(pl.col(c).sum() for c in mean_columns),
            *(pl.col(sd).sum().sqrt() for sd in sd_columns),
        )
        .sort(keys)
    )


def warehouse_demand_history(lines: pl.DataFrame, shares: pl.DataFrame) -> pl.DataFrame:
    """Daily units asked of each SKU x warehouse, lost sales included.

    A served line counts at the warehouse that shipped it. A line no warehouse served (a
    stock-out, or still open) counts at the warehouse with the largest routing share of its
    SKU x region (see :func:`resolve_routing`), where it would have shipped from.

    Parameters
    ----------
    lines
        :func:`order_line_demand`.
    shares
        :func:`routing_shares`.

    Returns
    -------
    polars.DataFrame
        ``sku_id``, ``warehouse_id``, ``date`` and ``units`` (float), sorted.
    """
    unserved = lines.filter(pl.col("warehouse_id").is_null())
    main = (
        resolve_routing(unserved.select(PAIR), shares)
        .sort(["routing_share", "warehouse_id"], descending=[True, False])
        .unique(list(PAIR), keep="first")
        .select(*PAIR, pl.col("warehouse_id").alias("_main"))
    )
    keys = ["sku_id", "warehouse_id", "date"]
    return (
        lines.join(main, on=list(PAIR), how="left")
        .with_columns(pl.coalesce("warehouse_id", "_main").alias("warehouse_id"))
        .group_by(keys)
        .agg(pl.col("quantity_units").cast(pl.Float64).sum().alias("units"))
        .sort(keys)
    )
