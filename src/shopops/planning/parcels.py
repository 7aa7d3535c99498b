"""A parcel's carton, weight, carrier service and postage, from its contents and lane.

For each parcel:

1. carton: the smallest one its contents fit in with void fill, i.e. contents volume x
   ``packing_volume_factor`` <= the carton's inner volume (:func:`choose_cartons`);
2. weight: contents + the carton's tare; volume: the carton's (a parcel no carton holds
   keeps the biggest carton, at least its padded contents' volume);
3. service: the allocated one when it carries the parcel on the lane; else the cheapest
   arriving by the promised delivery date; else the fastest (then cheapest). Arrival is
   the ship date plus the service's transit business days (Mon-Fri);
4. billable weight ``max(actual, volume / dim divisor)`` and price with fuel surcharge
   from the rate cards (:class:`RateTable`).
"""

from __future__ import annotations

import numpy as np
import polars as pl

from shopops.errors import DataError
from shopops.planning.fulfillment.rates import NOT_SERVED, RateTable
from shopops.planning.packaging import choose_cartons

LANE_COLUMNS = ("parcel_id", "zone", "ship_date", "promised_delivery_date", "allocated_service_id")

ALLOCATED = "allocated"
CHEAPEST_ON_TIME = "cheapest on time"
FASTEST = "fastest (none on time)"


def plan_parcels(
    items: pl.DataFrame,
    lanes: pl.DataFrame,
    cartons: pl.DataFrame,
    rates: RateTable,
    *,
    packing_volume_factor: float,
) -> pl.DataFrame:
    """Carton, weights, service and postage of each parcel.

    Parameters
    ----------
    items
        One row per parcel line, as :func:`choose_cartons` takes them: ``parcel_id``, the
        SKU's sides, ``weight_kg``, ``quantity``, optionally ``packaging_type``.
    lanes
        One row per parcel: :data:`LANE_COLUMNS` (``allocated_service_id`` may be empty).

    Returns
    -------
    polars.DataFrame
        By ``parcel_id``: ``carton_code``, ``packaging_sku_id``, ``oversize``,
        ``weight_kg``, ``volume_cm3``, ``service_id``, ``service_choice``,
        ``billable_weight_kg``, ``shipping_cost_usd``, ``transit_days``,
        ``arrival_date``, ``on_time``. ``service_id`` is empty where no service carries
        the parcel on its lane.
    """
    missing = [c for c in LANE_COLUMNS if c not in lanes.columns]
    if missing:
        raise DataError(f"lanes lacks the column(s) {', '.join(missing)}")
    if packing_volume_factor < 1:
        raise DataError(f"packing_volume_factor must be at least 1: {packing_volume_factor}")
    boxes = choose_cartons(items, cartons, void_fill_share=packing_volume_factor - 1.0)
    padded = pl.col("items_volume_cm3") * packing_volume_factor
    parcels = boxes.select(
        "parcel_id",
        "carton_code",
        "packaging_sku_id",
        "oversize",
        pl.col("packed_weight_kg").round(3).alias("weight_kg"),
        pl.max_horizontal("carton_volume_cm3", padded).alias("volume_cm3"),
    ).join(lanes.select(LANE_COLUMNS), on="parcel_id", how="left")
    if parcels.get_column("zone").null_count():
        raise DataError("lanes has no row for some parcels")
    return pl.concat([parcels.drop(LANE_COLUMNS[1:]), _services(parcels, rates)], how="horizontal")


def _services(parcels: pl.DataFrame, rates: RateTable) -> pl.DataFrame:
    """The chosen service of each parcel, with its billable weight, price and arrival."""
    n, services = parcels.height, np.arange(len(rates.service_ids))
    zone = parcels.get_column("zone").cast(pl.Int64).to_numpy()[:, None]
    weight = parcels.get_column("weight_kg").to_numpy()[:, None]
    volume = parcels.get_column("volume_cm3").to_numpy()[:, None]
    billable, price = rates.parcel_cost_usd(services[None, :], zone, weight, volume)
    transit = rates.transit(services[None, :], zone)
    usable = ~np.isnan(price) & (transit != NOT_SERVED)
    ship = parcels.get_column("ship_date").to_numpy().astype("datetime64[D]")[:, None]
    arrival = np.busday_offset(ship, np.where(usable, transit, 0), roll="forward")
    promised = parcels.get_column("promised_delivery_date").to_numpy().astype("datetime64[D]")
    on_time = usable & (arrival <= promised[:, None])
    chosen, how = _choose(parcels, rates, price, arrival, usable, on_time)
    rows, found = np.arange(n), chosen >= 0
    pick = np.where(found, chosen, 0)
    ids = np.array(rates.service_ids, dtype=object)
    return pl.DataFrame(
        {
            "service_id": pl.Series(
                [ids[c] if f else None for c, f in zip(pick, found, strict=True)], dtype=pl.String
            ),
            "service_choice": pl.Series(how, dtype=pl.String),
            "billable_weight_kg": np.where(found, billable[rows, pick], np.nan),
            "shipping_cost_usd": np.round(np.where(found, price[rows, pick], np.nan), 2),
            "transit_days": pl.Series(np.where(found, transit[rows, pick], 0)).cast(pl.Int64),
            "arrival_date": pl.Series(arrival[rows, pick]).cast(pl.Date),
            "on_time": pl.Series(found & on_time[rows, pick]),
        }
    ).with_columns(
        pl.when(pl.col("service_id").is_null()).then(None).otherwise(pl.col(c)).alias(c)
        for c in ("billable_weight_kg", "shipping_cost_usd", "transit_days", "arrival_date")
    )


def _choose(
    parcels: pl.DataFrame,
    rates: RateTable,
    price: np.ndarray,
    arrival: np.ndarray,
    usable: np.ndarray,
    on_time: np.ndarray,
) -> tuple[np.ndarray, list[str | None]]:
    """Service position per parcel (-1: none) and how it was chosen."""
    position = {service_id: i for i, service_id in enumerate(rates.service_ids)}
    allocated = [position.get(s, -1) if s else -1 for s in parcels["allocated_service_id"]]
    cheapest = np.where(on_time, price, np.inf).argmin(axis=1)
    days = (arrival - arrival.min()).astype(np.int64)
    fastest = np.lexsort(
        (np.where(usable, price, np.inf), np.where(usable, days, np.iinfo(np.int64).max)), axis=1
    )[:, 0]
    chosen = np.full(parcels.height, -1, dtype=np.int64)
    how: list[str | None] = [None] * parcels.height
    for k, service in enumerate(allocated):
        if service >= 0 and usable[k, service]:
            chosen[k], how[k] = service, ALLOCATED
        elif on_time[k].any():
            chosen[k], how[k] = int(cheapest[k]), CHEAPEST_ON_TIME
        elif usable[k].any():
            chosen[k], how[k] = int(fastest[k]), FASTEST
    return chosen, how
