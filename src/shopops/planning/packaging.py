"""Packaging as procured items: the carton of each parcel, carton demand, and its policies.

Boxes, mailers, bags, tubes and envelopes run out like any other stock. This module

1. :func:`choose_cartons`: picks the smallest carton (by inner volume) each parcel fits in;
2. :func:`packaging_forecast`: turns each warehouse's recent carton mix and its forecast
   parcels into weekly demand per packaging SKU, shaped like the demand forecast;
3. :func:`packaging_policies`: gives each packaging SKU x warehouse a reorder point and an
   order-up-to level, shaped like the inventory policy table,

so that :func:`shopops.planning.netting.net_requirements` nets packaging with the goods.
The frames they start from come from the shipments: :func:`carton_usage_history` (cartons
used per warehouse and day), :func:`units_per_parcel` and :func:`forecast_parcels` (the
SKU demand forecast in parcels), :func:`packaging_lead_times` (from the packaging offers);
:func:`packaging_plan_inputs` chains them all.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
import polars as pl

from shopops.domain.catalog import CartonFamily
from shopops.errors import DataError

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

FAMILIES = tuple(f.value for f in CartonFamily)
SIDES = ("length_cm", "width_cm", "height_cm")
ITEM_COLUMNS = ("parcel_id", *SIDES, "weight_kg", "quantity")
CARTON_COLUMNS = ("carton_code", "family", *SIDES, "max_weight_kg", "tare_weight_kg", "sku_id")
DEFAULT_VOID_FILL_SHARE = 0.15
DEFAULT_SAFETY_SHARE = 0.25


def _require(frame: pl.DataFrame, name: str, columns: tuple[str, ...]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError(f"{name} lacks the column(s) {', '.join(missing)}")


def choose_cartons(
    items: pl.DataFrame,
    cartons: pl.DataFrame,
    *,
    void_fill_share: float = DEFAULT_VOID_FILL_SHARE,
) -> pl.DataFrame:
    """The smallest carton, by inner volume, that each parcel fits in.

    A carton fits a parcel when

    - volume: the items' volume x (1 + ``void_fill_share``) <= the carton's inner volume
      (the share is the room padding and imperfect stacking take);
    - sides: each item fits lying in it: the longest of the items' longest sides, of their
      middle sides and of their shortest sides are at most the carton's sorted sides;
    - weight: the items weigh at most the carton's ``max_weight_kg``;
    - family: when ``items`` has ``packaging_type``, each item's own family or a box (a box
      carries anything).

    Ties in volume go to the first carton code. A parcel nothing fits gets the biggest
    carton, flagged ``oversize``, with the checks no carton passes.

    Parameters
    ----------
    items
        One row per parcel line: ``parcel_id``, the SKU's ``length_cm``, ``width_cm``,
        ``height_cm``, ``weight_kg``, the ``quantity`` of units; optionally
        ``packaging_type``.
    cartons
        The cartons table: ``carton_code``, ``family``, inner sides, ``max_weight_kg``,
        ``tare_weight_kg``, ``sku_id`` (the packaging SKU bought for it, may be empty).

    Returns
    -------
    polars.DataFrame
        One row per parcel, by ``parcel_id``: ``carton_code``, ``family``,
        ``packaging_sku_id``, ``items_volume_cm3``, ``carton_volume_cm3``,
        ``void_fill_cm3`` (carton volume - items volume), ``items_weight_kg``,
        ``packed_weight_kg`` (items + tare), ``oversize`` and ``oversize_reason``.
    """
    _require(items, "items", ITEM_COLUMNS)
    _require(cartons, "cartons", CARTON_COLUMNS)
    if void_fill_share < 0:
        raise DataError("void_fill_share cannot be negative")
    if cartons.height == 0:
        raise DataError("choose_cartons needs at least one carton")
    boxes = _carton_table(cartons)
    parcels = _parcels(items)
    passes = _checks(parcels, boxes, void_fill_share)
    fits = passes["sides"] & passes["volume"] & passes["weight"] & passes["family"]
    found = np.asarray(fits.any(axis=1), dtype=np.bool_)
    biggest = int(np.argmax(boxes.get_column("volume_cm3").to_numpy()))
    chosen = np.where(found, fits.argmax(axis=1), biggest)
    picked = boxes[chosen].select(
        "carton_code",
        "family",
        pl.col("sku_id").alias("packaging_sku_id"),
        pl.col("volume_cm3").alias("carton_volume_cm3"),
        "tare_weight_kg",
    )
    frame = pl.concat([parcels, picked], how="horizontal").with_columns(
        (pl.col("carton_volume_cm3") - pl.col("items_volume_cm3")).alias("void_fill_cm3"),
        (pl.col("items_weight_kg") + pl.col("tare_weight_kg")).alias("packed_weight_kg"),
        pl.Series("oversize", ~found, dtype=pl.Boolean),
        _reasons(passes, found).alias("oversize_reason"),
    )
    return frame.select(
        "parcel_id",
        "carton_code",
        "family",
        "packaging_sku_id",
        "items_volume_cm3",
        "carton_volume_cm3",
        "void_fill_cm3",
        "items_weight_kg",
        "packed_weight_kg",
        "oversize",
        "oversize_reason",
    )


def _sorted_sides(frame: pl.DataFrame) -> FloatArray:
    """Each row's sides, longest first (``rows x 3``)."""
    sides = frame.select(pl.col(s).cast(pl.Float64) for s in SIDES).to_numpy()
    return np.asarray(-np.sort(-sides, axis=1), dtype=np.float64)


def _carton_table(cartons: pl.DataFrame) -> pl.DataFrame:
    """Cartons from the smallest inner volume up, with their sorted sides."""
    unknown = set(cartons.get_column("family").unique().to_list()) - set(FAMILIES)
    if unknown:
        raise DataError(f"unknown carton family {sorted(map(str, unknown))}")
    sides = _sorted_sides(cartons)
    table = cartons.with_columns(
        pl.Series("volume_cm3", sides.prod(axis=1)),
        *(pl.Series(f"_side{k}", sides[:, k]) for k in range(3)),
    )
    return table.sort("volume_cm3", "carton_code")


def _parcels(items: pl.DataFrame) -> pl.DataFrame:
    """Per parcel: volume, weight, longest sorted sides and the families its items allow."""
    sides = _sorted_sides(items)
    units = pl.col("quantity").cast(pl.Float64)
    lines = items.with_columns(
        pl.Series("_volume", sides.prod(axis=1)),
        *(pl.Series(f"_side{k}", sides[:, k]) for k in range(3)),
    )
    return (
        lines.group_by("parcel_id", maintain_order=True)
        .agg(
            (units * pl.col("_volume")).sum().alias("items_volume_cm3"),
            (units * pl.col("weight_kg").cast(pl.Float64)).sum().alias("items_weight_kg"),
            *(pl.col(f"_side{k}").max() for k in range(3)),
            *(_allows(items, family).alias(f"_allow_{family}") for family in FAMILIES),
        )
        .sort("parcel_id")
    )


def _allows(items: pl.DataFrame, family: str) -> pl.Expr:
    """Whether every item of a parcel may travel in ``family``: its own, or a box."""
    if "packaging_type" not in items.columns or family == CartonFamily.BOX.value:
        return pl.lit(True)
    return (pl.col("packaging_type") == family).all()


def _checks(
    parcels: pl.DataFrame, boxes: pl.DataFrame, void_fill_share: float
) -> dict[str, BoolArray]:
    """``parcels x cartons`` outcome of each check."""

    def column(frame: pl.DataFrame, name: str) -> FloatArray:
        return frame.get_column(name).cast(pl.Float64).to_numpy()[:, None]

    def carton(name: str) -> FloatArray:
        return boxes.get_column(name).cast(pl.Float64).to_numpy()[None, :]

    sides = np.ones((parcels.height, boxes.height), dtype=np.bool_)
    for k in range(3):
        sides &= column(parcels, f"_side{k}") <= carton(f"_side{k}")
    needed = column(parcels, "items_volume_cm3") * (1.0 + void_fill_share)
    allow = parcels.select(f"_allow_{f}" for f in FAMILIES).to_numpy().astype(np.bool_)
    family = boxes.get_column("family").replace_strict(
        {f: i for i, f in enumerate(FAMILIES)}, return_dtype=pl.Int64
    )
    return {
        "sides": sides,
        "volume": needed <= carton("volume_cm3"),
        "weight": column(parcels, "items_weight_kg") <= carton("max_weight_kg"),
        "family": allow[:, family.to_numpy()],
    }


REASONS = {
    "sides": "too long for every carton",
    "volume": "too bulky for every carton",
    "weight": "too heavy for every carton",
    "family": "no carton of its packaging type",
}


def _reasons(passes: dict[str, BoolArray], found: BoolArray) -> pl.Series:
    """Why nothing fits: the checks no carton passes (else: no carton passes them all)."""
    failed = {name: ~ok.any(axis=1) for name, ok in passes.items()}
    none = np.zeros(found.size, dtype=np.bool_)
    for flag in failed.values():
        none |= flag
    columns = [pl.Series(name, flag) for name, flag in failed.items()]
    frame = pl.DataFrame(columns).with_columns(
        pl.Series("_found", found), pl.Series("_single", none)
    )
    text = pl.concat_str(
        [pl.when(pl.col(name)).then(pl.lit(reason)) for name, reason in REASONS.items()],
        separator="; ",
        ignore_nulls=True,
    )
    both = pl.lit("no carton passes every check at once")
    reason = (
        pl.when(pl.col("_found"))
        .then(pl.lit(None, dtype=pl.String))
        .when(pl.col("_single"))
        .then(text)
        .otherwise(both)
    )
    return frame.select(reason).to_series()


def packaging_forecast(
    carton_usage_history: pl.DataFrame,
    order_forecast: pl.DataFrame,
    cartons: pl.DataFrame,
    *,
    as_of: dt.date,
    weeks: int,
) -> pl.DataFrame:
    """Weekly demand per packaging SKU and warehouse: forecast parcels x recent carton mix.

    A warehouse's share of carton ``c`` is the cartons ``c`` it used over the ``weeks``
    weeks before ``as_of`` over all the cartons it used then (one carton per parcel). A
    warehouse with no usage in that window takes the whole network's mix. Cartons not bought
    as a packaging SKU (empty ``sku_id``) are left out; cartons sharing a SKU add up.

    Parameters
    ----------
    carton_usage_history
        ``warehouse_id``, ``date``, ``carton_code``, ``cartons`` (used that day).
    order_forecast
        ``warehouse_id``, ``week_start``, ``parcels`` (forecast parcels shipped that week).
    cartons
        ``carton_code`` and ``sku_id`` of the cartons table.

    Returns
    -------
    polars.DataFrame
        ``sku_id``, ``warehouse_id``, ``week_start``, ``units`` (Float64), like the demand
        forecast :func:`~shopops.planning.netting.net_requirements` takes.
    """
    _require(carton_usage_history, "carton_usage_history", ("warehouse_id", "date"))
    _require(carton_usage_history, "carton_usage_history", ("carton_code", "cartons"))
    _require(order_forecast, "order_forecast", ("warehouse_id", "week_start", "parcels"))
    _require(cartons, "cartons", ("carton_code", "sku_id"))
    if weeks < 1:
        raise DataError("packaging_forecast needs at least one week of history")
    shares = _carton_shares(carton_usage_history, order_forecast, as_of, weeks)
    demand = (
        order_forecast.join(shares, on="warehouse_id", how="inner")
        .join(cartons.select("carton_code", "sku_id"), on="carton_code", how="inner")
        .filter(pl.col("sku_id").is_not_null())
        .group_by("sku_id", "warehouse_id", "week_start")
        .agg((pl.col("parcels").cast(pl.Float64) * pl.col("share")).sum().alias("units"))
    )
    return demand.sort("sku_id", "warehouse_id", "week_start")


def _carton_shares(
    history: pl.DataFrame, order_forecast: pl.DataFrame, as_of: dt.date, weeks: int
) -> pl.DataFrame:
    """``warehouse_id``, ``carton_code``, ``share`` for every forecast warehouse with a mix."""
    recent = history.filter(
        (pl.col("date") >= as_of - dt.timedelta(days=7 * weeks)) & (pl.col("date") < as_of)
    )
    used = pl.col("cartons").cast(pl.Float64).sum()
    own = recent.group_by("warehouse_id", "carton_code").agg(used.alias("used"))
    own = own.with_columns(pl.col("used") / pl.col("used").sum().over("warehouse_id"))
    network = recent.group_by("carton_code").agg(used.alias("used"))
    network = network.with_columns(pl.col("used") / pl.col("used").sum())
    warehouses = order_forecast.select("warehouse_id").unique()
    without = warehouses.join(own.select("warehouse_id").unique(), on="warehouse_id", how="anti")
    borrowed = without.join(network, how="cross")
    both = pl.concat([own, borrowed.select(own.columns)]).rename({"used": "share"})
    return both.filter(pl.col("share") > 0)


def packaging_policies(
    packaging_forecast: pl.DataFrame,
    lead_times: pl.DataFrame,
    *,
    review_days: float,
    cover_days: float,
    safety_share: float = DEFAULT_SAFETY_SHARE,
) -> pl.DataFrame:
    """Reorder point and order-up-to level per packaging SKU x warehouse.

    With ``d`` the mean daily demand (the forecast's weekly units over the warehouse's
    forecast weeks, / 7) and ``L`` the lead time:

    - safety stock ``SS = d x (L + review_days) x safety_share``;
    - reorder point ``ROP = d x (L + review_days) x (1 + safety_share)``;
    - order-up-to ``S = ROP + d x cover_days``; order quantity ``Q = d x cover_days``.

    Packaging is cheap and steady, so a cover share stands in for a service-level model.

    Parameters
    ----------
    packaging_forecast
        ``sku_id``, ``warehouse_id``, ``week_start``, ``units`` (:func:`packaging_forecast`).
    lead_times
        ``sku_id``, ``lead_time_days`` and optionally ``warehouse_id`` (else one lead time
        per SKU for every warehouse).

    Returns
    -------
    polars.DataFrame
        ``sku_id``, ``warehouse_id``, ``policy_status`` (``planned``, ``no_lead_time`` or
        ``no_demand``), ``demand_mean_units_per_day``, ``safety_stock_units``,
        ``reorder_point_units``, ``order_up_to_level_units``, ``order_quantity_units``,
        ``lead_time_mean_days``: the columns
        :func:`~shopops.planning.netting.net_requirements` takes.
    """
    _require(packaging_forecast, "packaging_forecast", ("sku_id", "warehouse_id", "week_start"))
    _require(packaging_forecast, "packaging_forecast", ("units",))
    _require(lead_times, "lead_times", ("sku_id", "lead_time_days"))
    if review_days < 0 or cover_days <= 0 or safety_share < 0:
        raise DataError("review_days and safety_share must be >= 0, cover_days > 0")
    rates = _daily_rates(packaging_forecast)
    keys = ["sku_id", "warehouse_id"] if "warehouse_id" in lead_times.columns else ["sku_id"]
    lead = lead_times.select(*keys, pl.col("lead_time_days").cast(pl.Float64))
    rows = rates.join(lead.unique(keys, keep="first"), on=keys, how="left")
    d, cycle = pl.col("demand_mean_units_per_day"), pl.col("lead_time_days") + review_days
    status = (
        pl.when(pl.col("lead_time_days").is_null())
        .then(pl.lit("no_lead_time"))
        .when(d <= 0)
        .then(pl.lit("no_demand"))
        .otherwise(pl.lit("planned"))
    )
    planned = pl.col("policy_status") == "planned"
    levels = {
        "safety_stock_units": d * cycle * safety_share,
        "reorder_point_units": d * cycle * (1.0 + safety_share),
        "order_up_to_level_units": d * cycle * (1.0 + safety_share) + d * cover_days,
        "order_quantity_units": d * cover_days,
        "lead_time_mean_days": pl.col("lead_time_days"),
    }
    return (
        rows.with_columns(status.alias("policy_status"))
        .with_columns(pl.when(planned).then(v).alias(k) for k, v in levels.items())
        .select("sku_id", "warehouse_id", "policy_status", "demand_mean_units_per_day", *levels)
        .sort("sku_id", "warehouse_id")
    )


def _daily_rates(forecast: pl.DataFrame) -> pl.DataFrame:
    """Mean units a day per SKU x warehouse over the warehouse's forecast weeks."""
    weeks = forecast.group_by("warehouse_id").agg(pl.col("week_start").n_unique().alias("weeks"))
    totals = forecast.group_by("sku_id", "warehouse_id").agg(
        pl.col("units").cast(pl.Float64).sum().alias("units")
    )
    return totals.join(weeks, on="warehouse_id").select(
        "sku_id",
        "warehouse_id",
        (pl.col("units") / (7.0 * pl.col("weeks"))).alias("demand_mean_units_per_day"),
    )


def carton_usage_history(shipments: pl.DataFrame) -> pl.DataFrame:
    """``warehouse_id``, ``date``, ``carton_code``, ``cartons`` used: one carton per shipment
    (``warehouse_id``, ``carton_code``, ``created_at``) on the day it was created; shipments
    without a carton are left out. The ``carton_usage_history`` of :func:`packaging_forecast`.
    """
    _require(shipments, "shipments", ("warehouse_id", "carton_code", "created_at"))
    return (
        shipments.filter(pl.col("carton_code").is_not_null())
        .group_by("warehouse_id", pl.col("created_at").cast(pl.Date).alias("date"), "carton_code")
        .agg(pl.len().cast(pl.Int64).alias("cartons"))
        .sort("warehouse_id", "date", "carton_code")
    )


def units_per_parcel(
    shipments: pl.DataFrame, order_lines: pl.DataFrame, *, as_of: dt.date, weeks: int
) -> pl.DataFrame:
    """Units per parcel of each warehouse's shipments in the ``weeks`` weeks before ``as_of``.

    ``units_per_parcel = units / parcels``: the ``quantity_units`` of the ``order_lines`` on
    those ``shipments`` (``shipment_id``, ``warehouse_id``, ``created_at``) over their number.
    Returns ``warehouse_id``, ``parcels``, ``units``, ``units_per_parcel`` for the
    warehouses that shipped then.
    """
    _require(shipments, "shipments", ("shipment_id", "warehouse_id", "created_at"))
    _require(order_lines, "order_lines", ("shipment_id", "quantity_units"))
    if weeks < 1:
        raise DataError("units_per_parcel needs at least one week of history")
    day = pl.col("created_at").cast(pl.Date)
    recent = shipments.select("shipment_id", "warehouse_id", "created_at").filter(
        (day >= as_of - dt.timedelta(days=7 * weeks)) & (day < as_of)
    )
    units = order_lines.group_by("shipment_id").agg(
        pl.col("quantity_units").cast(pl.Float64).sum().alias("units")
    )
    return (
        recent.join(units, on="shipment_id", how="inner")
        .group_by("warehouse_id")
        .agg(pl.len().cast(pl.Int64).alias("parcels"), pl.col("units").sum())
        .with_columns((pl.col("units") / pl.col("parcels")).alias("units_per_parcel"))
        .sort("warehouse_id")
    )


def forecast_parcels(
    forecast: pl.DataFrame,
    units_per_parcel: pl.DataFrame,
    *,
    default_units_per_parcel: float | None = None,
) -> pl.DataFrame:
    """Forecast parcels per warehouse and week: ``parcels = units / units per parcel``.

    ``units`` sums the ``forecast`` (``warehouse_id``, ``week_start``, ``units``) over the
    warehouse's SKUs; ``units_per_parcel`` has ``warehouse_id``, ``units_per_parcel``
    (:func:`units_per_parcel`, or set by hand). A warehouse without a row takes
    ``default_units_per_parcel``, else the mean of the rows given. Returns
    ``warehouse_id``, ``week_start``, ``parcels``: the ``order_forecast`` of
    :func:`packaging_forecast`.
    """
    _require(forecast, "forecast", ("warehouse_id", "week_start", "units"))
    _require(units_per_parcel, "units_per_parcel", ("warehouse_id", "units_per_parcel"))
    ratios = units_per_parcel.select("warehouse_id", pl.col("units_per_parcel").cast(pl.Float64))
    if (ratios.get_column("units_per_parcel") <= 0).any():
        raise DataError("units_per_parcel must be positive")
    fallback = default_units_per_parcel
    if fallback is None and ratios.height:
        fallback = float(ratios.get_column("units_per_parcel").to_numpy().mean())
    weekly = forecast.group_by("warehouse_id", "week_start").agg(
        pl.col("units").cast(pl.Float64).sum()
    )
    joined = weekly.join(ratios, on="warehouse_id", how="left")
    if fallback is None and joined.get_column("units_per_parcel").null_count():
        raise DataError("no units per parcel for some warehouses, and no default")
    ratio = pl.col("units_per_parcel").fill_null(fallback)
    return joined.select(
        "warehouse_id", "week_start", (pl.col("units") / ratio).alias("parcels")
    ).sort("warehouse_id", "week_start")


def packaging_lead_times(
    offers: pl.DataFrame, cartons: pl.DataFrame, *, as_of: dt.date
) -> pl.DataFrame:
    """Per packaging SKU (``cartons.sku_id``), the lead time of its cheapest valid offer.

    ``offers`` has ``offer_id``, ``sku_id``, ``valid_from``, ``valid_to``,
    ``lead_time_mean_days`` and ``unit_price_usd`` (price per unit at the first tier, in US
    dollars). Valid: ``valid_from <= as_of`` and ``valid_to`` empty or ``>= as_of``. Ties
    in price go to the shorter lead time, then the first ``offer_id``. Returns ``sku_id``,
    ``lead_time_days``, ``offer_id``: the ``lead_times`` of :func:`packaging_policies`.
    """
    needed = ("offer_id", "sku_id", "valid_from", "valid_to", "lead_time_mean_days")
    _require(offers, "offers", (*needed, "unit_price_usd"))
    _require(cartons, "cartons", ("sku_id",))
    packaging = cartons.select("sku_id").drop_nulls().unique()
    valid = offers.join(packaging, on="sku_id", how="semi").filter(
        (pl.col("valid_from") <= as_of)
        & (pl.col("valid_to").is_null() | (pl.col("valid_to") >= as_of))
    )
    return (
        valid.sort("sku_id", "unit_price_usd", "lead_time_mean_days", "offer_id")
        .unique("sku_id", keep="first", maintain_order=True)
        .select(
            "sku_id",
            pl.col("lead_time_mean_days").cast(pl.Float64).alias("lead_time_days"),
            "offer_id",
        )
    )


class PackagingPlanInputs(NamedTuple):
    """Packaging rows for :func:`~shopops.planning.netting.net_requirements`."""

    policies: pl.DataFrame
    forecast: pl.DataFrame


def packaging_plan_inputs(
    shipments: pl.DataFrame,
    order_lines: pl.DataFrame,
    cartons: pl.DataFrame,
    forecast: pl.DataFrame,
    offers: pl.DataFrame,
    *,
    as_of: dt.date,
    weeks: int,
    review_days: float,
    cover_days: float,
    safety_share: float = DEFAULT_SAFETY_SHARE,
) -> PackagingPlanInputs:
    """Packaging policies and weekly packaging demand, from the shipments and the forecast.

    1. Each warehouse's carton mix and units per parcel over the ``weeks`` weeks before
       ``as_of`` (``shipments``: ``shipment_id``, ``warehouse_id``, ``carton_code``,
       ``created_at``; ``order_lines``: ``shipment_id``, ``quantity_units``). A warehouse
       that shipped nothing then takes the network's units per parcel and mix.
    2. The goods' demand ``forecast`` (``sku_id``, ``warehouse_id``, ``week_start``,
       ``units``; packaging SKUs' rows are left out) in parcels, then in cartons per
       packaging SKU (:func:`forecast_parcels`, :func:`packaging_forecast`).
    3. Lead times of the cheapest valid ``offers`` (:func:`packaging_lead_times`), and the
       policies (:func:`packaging_policies`).

    The two frames stack under the goods' policies and forecast for
    :func:`~shopops.planning.netting.net_requirements`.
    """
    _require(cartons, "cartons", ("carton_code", "sku_id"))
    _require(forecast, "forecast", ("sku_id",))
    ratios = units_per_parcel(shipments, order_lines, as_of=as_of, weeks=weeks)
    network = None
    if ratios.height:
        network = float(ratios.get_column("units").sum()) / float(ratios["parcels"].sum())
    goods = forecast.join(cartons.select("sku_id").drop_nulls(), on="sku_id", how="anti")
    demand = packaging_forecast(
        carton_usage_history(shipments),
        forecast_parcels(goods, ratios, default_units_per_parcel=network),
        cartons,
        as_of=as_of,
        weeks=weeks,
    )
    policies = packaging_policies(
        demand,
        packaging_lead_times(offers, cartons, as_of=as_of),
        review_days=review_days,
        cover_days=cover_days,
        safety_share=safety_share,
    )
    return PackagingPlanInputs(policies=policies, forecast=demand)
