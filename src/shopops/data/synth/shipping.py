"""Parcels: lines of an order leaving one warehouse together, and what shipping them costs.

Each shipment gets the smallest fitting carton for its dominant packaging, a billable
weight (the larger of actual and dimensional weight), the cheapest carrier service that
still meets the promised delivery date (else the fastest), its rate-card price with fuel
surcharge, and pick, pack, carrier pick-up and delivery times. Orders placed after the
warehouse's cut-off ship the next day; a few deliveries are late, more so in peak season.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from shopops.data.schemas import CARTONS as CARTONS_TABLE
from shopops.data.synth.carriers import Carriers
from shopops.data.synth.catalog import Catalog
from shopops.data.synth.columns import US_PER_DAY, US_PER_HOUR, US_PER_MINUTE

CARTONS = (
    # code, family, length, width, height (cm), tare kg
    ("ENV-A4", "envelope", 32, 23, 2, 0.02),
    ("POLY-S", "poly_bag", 30, 25, 5, 0.02),
    ("POLY-M", "poly_bag", 40, 30, 8, 0.03),
    ("POLY-L", "poly_bag", 55, 45, 12, 0.05),
    ("MLR-S", "mailer", 25, 18, 8, 0.06),
    ("MLR-M", "mailer", 35, 25, 10, 0.09),
    ("TUBE-L", "tube", 95, 12, 12, 0.15),
    ("BOX-S", "box", 30, 20, 15, 0.12),
    ("BOX-M", "box", 40, 30, 25, 0.22),
    ("BOX-L", "box", 55, 40, 35, 0.4),
    ("BOX-XL", "box", 70, 50, 45, 0.65),
    ("BOX-XXL", "box", 100, 60, 50, 1.0),
)
CARTON_CODES = tuple(c[0] for c in CARTONS)
CARTON_FAMILIES = tuple(c[1] for c in CARTONS)
CARTON_MAX_WEIGHT_KG = (0.5, 2.0, 5.0, 10.0, 3.0, 6.0, 5.0, 10.0, 20.0, 30.0, 30.0, 40.0)
CARTON_SIDES_CM = np.array([c[2:5] for c in CARTONS], dtype=np.float64)
CARTON_TARE_KG = np.array([c[5] for c in CARTONS])
SHIPMENT_STATUSES = ("picking", "packed", "in_transit", "delivered", "exception")
NO_CARTON = -1
"""Carton index of a parcel that ships without one (in the product's own packaging)."""
CARTON_VOLUME_CM3 = CARTON_SIDES_CM.prod(axis=1)
_FAMILY = np.array(CARTON_FAMILIES)
EXCEPTION_RATE = 0.003


def cartons_frame(sku_ids: pl.Series) -> pl.DataFrame:
    """The ``cartons`` master data: the packaging the warehouses ship in, and its SKU."""
    frame = pl.DataFrame(
        {
            "carton_code": list(CARTON_CODES),
            "family": list(CARTON_FAMILIES),
            "length_cm": CARTON_SIDES_CM[:, 0],
            "width_cm": CARTON_SIDES_CM[:, 1],
            "height_cm": CARTON_SIDES_CM[:, 2],
            "max_weight_kg": list(CARTON_MAX_WEIGHT_KG),
            "tare_weight_kg": CARTON_TARE_KG,
            "sku_id": sku_ids,
        }
    )
    return CARTONS_TABLE.conform(frame)


@dataclass(frozen=True)
class Shipments:
    """One day's shipments as columns (timestamps in microseconds, -1 when not yet)."""

    order_row: np.ndarray
    warehouse: np.ndarray
    service: np.ndarray
    carton: np.ndarray
    weight_kg: np.ndarray
    billable_kg: np.ndarray
    zone: np.ndarray
    cost_usd: np.ndarray
    created_us: np.ndarray
    picked_us: np.ndarray
    packed_us: np.ndarray
    shipped_us: np.ndarray
    delivered_us: np.ndarray
    status: np.ndarray  # index into SHIPMENT_STATUSES


def pack(
    catalog: Catalog, shipment: np.ndarray, sku: np.ndarray, quantity: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Carton, contents' weight and contents' volume of ``n`` shipments from their lines."""
    unit_volume = catalog.volume_cm3[sku]
    volume = np.bincount(shipment, quantity * unit_volume, minlength=n)
    weight = np.bincount(shipment, quantity * catalog.weight_kg[sku], minlength=n)
    length = np.zeros(n)
    np.maximum.at(length, shipment, catalog.skus["length_cm"].to_numpy()[sku])
    biggest = np.lexsort((-quantity * unit_volume, shipment))
    first = np.ones(len(biggest), dtype=bool)
    first[1:] = shipment[biggest][1:] != shipment[biggest][:-1]
    family = catalog.packaging[sku[biggest[first]]].astype(str)
    soft = np.isin(_FAMILY, ["poly_bag", "envelope"])[None, :]
    room = (
        np.where(soft, CARTON_VOLUME_CM3[None, :], CARTON_VOLUME_CM3[None, :] / 1.2)
        >= volume[:, None]
    )
    fits = room & (CARTON_SIDES_CM[:, 0][None, :] >= length[:, None] * np.where(soft, 0.9, 1.0))
    own_family = _FAMILY[None, :] == family[:, None]
    preference = np.where(own_family, 0, np.where(_FAMILY[None, :] == "box", 1, 2))
    score = np.where(fits & (preference < 2), preference * 100 + np.arange(len(CARTONS)), 999)
    carton = np.where(score.min(axis=1) < 999, score.argmin(axis=1), len(CARTONS) - 1)
    return carton, weight, volume


def packed_size(
    carton: np.ndarray, weight_kg: np.ndarray, volume_cm3: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Parcel weight (contents and carton) and billable volume; :data:`NO_CARTON` adds none."""
    boxed = carton != NO_CARTON
    tare = np.where(boxed, CARTON_TARE_KG[carton], 0.0)
    billed_volume = np.where(
        boxed, np.maximum(CARTON_VOLUME_CM3[carton], volume_cm3 * 1.2), volume_cm3 * 1.2
    )
    return np.round(weight_kg + tare, 3), billed_volume


def times(
    rng: np.random.Generator, ordered_us: np.ndarray, day_start_us: int, cutoff_hour: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Created, picked, packed and carrier pick-up times; picking starts at 08:00 at earliest."""
    n = len(ordered_us)
    created = ordered_us + rng.integers(1, 15, n) * US_PER_MINUTE
    shift_start = day_start_us + 8 * US_PER_HOUR
    late = created - day_start_us >= (cutoff_hour - 2) * US_PER_HOUR
    start = np.where(late, shift_start + US_PER_DAY, np.maximum(created, shift_start))
    picked = start + rng.integers(10, 150, n) * US_PER_MINUTE
    packed = picked + rng.integers(5, 40, n) * US_PER_MINUTE
    pickup = (packed - day_start_us) // US_PER_DAY * US_PER_DAY + day_start_us
    pickup += (cutoff_hour + 1) * US_PER_HOUR
    pickup = np.where(pickup < packed, pickup + US_PER_DAY, pickup)
    shipped = pickup + rng.integers(0, 25, n) * US_PER_MINUTE
    return created, picked, packed, shipped, shipped // US_PER_DAY


def choose_service(
    carriers: Carriers,
    weight_kg: np.ndarray,
    billed_volume: np.ndarray,
    zone: np.ndarray,
    ship_day: np.ndarray,
    promised_day: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Service, billable weight, cost and arrival day of each parcel.

    The cheapest service arriving by the promised day; if none does, the fastest; a parcel
    heavier than every service's limit goes as several pieces of the heaviest service.
    """
    n_services = len(carriers.max_weight_kg)
    dimensional = np.round(billed_volume[:, None] / carriers.dim_divisor, 2)
    billable = np.maximum(weight_kg[:, None], dimensional)
    transit = carriers.transit_days[:, zone].T
    days = np.repeat(ship_day.astype("datetime64[D]")[:, None], n_services, axis=1)
    arrival = np.busday_offset(days, transit, roll="forward").astype(np.int64)
    cost = np.empty_like(billable)
    for v in range(n_services):
        band = np.searchsorted(carriers.band_limit_kg[v], billable[:, v], side="left")
        band = np.minimum(band, carriers.rate_usd.shape[2] - 1)
        cost[:, v] = carriers.rate_usd[v, zone, band] * (1 + carriers.fuel_surcharge_rate[v])
    usable = ~np.isnan(cost)
    on_time = usable & (arrival <= promised_day[:, None])
    cheapest = np.where(on_time, cost, np.inf).argmin(axis=1)
    fastest = np.where(usable, arrival * 1000 + cost, np.inf).argmin(axis=1)
    service = np.where(on_time.any(axis=1), cheapest, fastest)
    rows = np.arange(len(zone))
    price = cost[rows, service]
    too_heavy = ~usable.any(axis=1)
    if too_heavy.any():
        service[too_heavy], price[too_heavy] = _pieces(
            carriers, billable[too_heavy], zone[too_heavy]
        )
    return service, billable[rows, service], np.round(price, 2), arrival[rows, service]


def _pieces(
    carriers: Carriers, billable: np.ndarray, zone: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Heaviest service, cost of the parcel split into pieces within its weight limit."""
    v = int(np.argmax(carriers.max_weight_kg))
    pieces = np.ceil(billable[:, v] / carriers.max_weight_kg[v])
    band = np.searchsorted(carriers.band_limit_kg[v], billable[:, v] / pieces, side="left")
    rate = carriers.rate_usd[v, zone, band] * (1 + carriers.fuel_surcharge_rate[v])
    return np.full(len(zone), v), pieces * rate


def deliveries(
    rng: np.random.Generator, arrival_day: np.ndarray, peak: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Delivery time (a late one now and then, more in peak) and whether the parcel was lost."""
    n = len(arrival_day)
    late = rng.random(n) < np.where(peak, 0.12, 0.04)
    day = arrival_day + np.where(late, rng.integers(1, 4, n), 0)
    at = day * US_PER_DAY + rng.integers(14 * US_PER_HOUR, 24 * US_PER_HOUR, n)
    return at, rng.random(n) < EXCEPTION_RATE
