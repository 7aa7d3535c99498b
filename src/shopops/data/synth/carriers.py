"""Parcel carriers, their services, rate cards by zone and weight band, and transit times."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import polars as pl

from shopops.data.schemas import CARRIER_SERVICES, CARRIERS, RATE_CARDS, TRANSIT_TIMES

ZONES = np.arange(1, 9)
WEIGHT_BANDS_KG = (0.5, 1.0, 2.0, 3.0, 5.0, 7.5, 10.0, 15.0, 20.0, 30.0, 45.0, 68.0)


class ServiceSpec(NamedTuple):
    service_id: str
    carrier_id: str
    name: str
    level: str
    mode: str
    base_usd: float  # zone 1, lightest band
    usd_per_kg: float
    zone_step: tuple[float, float]  # per zone beyond 1: growth of the base and the per-kg part
    max_weight_kg: float
    fuel_surcharge_rate: float
    dim_divisor_cm3_per_kg: float
    transit_days: tuple[int, ...]  # zones 1..8
    volume_share: float  # share of parcels it is sized for at pickup
    tracking_prefix: str


CARRIER_NAMES = (
    ("NWP", "Northwind Parcel"),
    ("RLX", "Redline Express"),
    ("LBP", "Liberty Post"),
    ("LKR", "Lakeshore Regional"),
)

# Postal economy is cheapest for light parcels, the integrators' ground for heavy ones, the
# regional carrier for short distances; air services cost several times ground.
SERVICES: tuple[ServiceSpec, ...] = (
    ServiceSpec("NWP-GRD", "NWP", "Northwind Ground", "standard", "road", 7.4, 0.95, (0.09, 0.15),
                68.0, 0.17, 5000, (1, 1, 2, 3, 4, 4, 5, 5), 0.35, "1Z"),
    ServiceSpec("NWP-2DA", "NWP", "Northwind 2nd Day Air", "express", "air", 16.0, 3.0,
                (0.08, 0.12), 68.0, 0.21, 5000, (2, 2, 2, 2, 2, 2, 2, 2), 0.08, "1Z"),
    ServiceSpec("NWP-NDA", "NWP", "Northwind Next Day Air", "next_day", "air", 28.0, 4.8,
                (0.08, 0.12), 68.0, 0.21, 5000, (1, 1, 1, 1, 1, 1, 1, 1), 0.04, "1Z"),
    ServiceSpec("RLX-HOME", "RLX", "Redline Home Delivery", "standard", "road", 7.6, 0.95,
                (0.09, 0.15), 68.0, 0.18, 5000, (1, 2, 2, 3, 4, 5, 5, 5), 0.35, "RX"),
    ServiceSpec("RLX-SAVER", "RLX", "Redline Express Saver", "express", "air", 15.0, 3.1,
                (0.08, 0.12), 68.0, 0.22, 5000, (1, 2, 2, 2, 3, 3, 3, 3), 0.06, "RX"),
    ServiceSpec("RLX-PRIO", "RLX", "Redline Priority Overnight", "next_day", "air", 30.0, 4.6,
                (0.08, 0.12), 68.0, 0.22, 5000, (1, 1, 1, 1, 1, 1, 1, 1), 0.03, "RX"),
    ServiceSpec("LBP-GA", "LBP", "Liberty Ground Advantage", "economy", "road", 4.6, 3.2,
                (0.06, 0.2), 30.0, 0.0, 6000, (2, 2, 3, 3, 4, 4, 5, 5), 0.45, "94"),
    ServiceSpec("LBP-PRI", "LBP", "Liberty Priority", "express", "air", 9.5, 2.8, (0.08, 0.15),
                30.0, 0.0, 6000, (1, 2, 2, 2, 3, 3, 3, 3), 0.08, "94"),
    ServiceSpec("LKR-ECO", "LKR", "Lakeshore Economy", "economy", "rail", 7.2, 1.1, (0.07, 0.12),
                30.0, 0.15, 5000, (3, 3, 4, 5, 6, 7, 8, 8), 0.15, "LK"),
    ServiceSpec("LKR-GRD", "LKR", "Lakeshore Regional Ground", "standard", "road", 6.6, 0.9,
                (0.2, 0.25), 45.0, 0.15, 5000, (1, 1, 2, 3, 4, 5, 6, 6), 0.2, "LK"),
)  # fmt: skip


@dataclass(frozen=True)
class Carriers:
    """Carrier frames plus rate and transit arrays indexed [service, zone, band]."""

    carriers: pl.DataFrame
    services: pl.DataFrame
    rate_cards: pl.DataFrame
    transit_times: pl.DataFrame
    service_ids: pl.Series
    tracking_prefix: pl.Series
    max_weight_kg: np.ndarray
    fuel_surcharge_rate: np.ndarray
    dim_divisor: np.ndarray
    transit_days: np.ndarray  # [service, zone]; column 0 unused
    band_limit_kg: np.ndarray  # [service, band]; inf past the service's last band
    rate_usd: np.ndarray  # [service, zone, band]; nan past the last band


def build_carriers(rng: np.random.Generator, parcels_per_warehouse_day: float) -> Carriers:
    """Four carriers with ten services at a negotiated discount off list that varies by carrier."""
    price_level = {code: rng.uniform(0.72, 0.8) for code, _ in CARRIER_NAMES}
    n_bands = len(WEIGHT_BANDS_KG)
    limits = np.full((len(SERVICES), n_bands), np.inf)
    rates = np.full((len(SERVICES), 9, n_bands), np.nan)
    transit = np.zeros((len(SERVICES), 9), dtype=np.int64)
    for v, spec in enumerate(SERVICES):
        bands = np.array([b for b in WEIGHT_BANDS_KG if b < spec.max_weight_kg])
        bands = np.append(bands, spec.max_weight_kg)
        limits[v, : len(bands)] = bands
        level = price_level[spec.carrier_id]
        base_step, kg_step = spec.zone_step
        base = spec.base_usd * (1 + base_step * (ZONES - 1))[:, None]
        per_kg = spec.usd_per_kg * (1 + kg_step * (ZONES - 1))[:, None] * bands[None, :]
        rates[v, 1:, : len(bands)] = np.round(level * (base + per_kg), 2)
        transit[v, 1:] = spec.transit_days
    capacity = np.array([s.volume_share for s in SERVICES]) * parcels_per_warehouse_day
    return Carriers(
        carriers=_carriers(),
        services=_services(np.ceil(capacity * rng.uniform(1.5, 3.0, len(SERVICES)))),
        rate_cards=_rate_cards(limits, rates),
        transit_times=_transit_times(transit),
        service_ids=pl.Series([s.service_id for s in SERVICES]),
        tracking_prefix=pl.Series([s.tracking_prefix for s in SERVICES]),
        max_weight_kg=np.array([s.max_weight_kg for s in SERVICES]),
        fuel_surcharge_rate=np.array([s.fuel_surcharge_rate for s in SERVICES]),
        dim_divisor=np.array([s.dim_divisor_cm3_per_kg for s in SERVICES], dtype=np.float64),
        transit_days=transit,
        band_limit_kg=limits,
        rate_usd=rates,
    )


def _carriers() -> pl.DataFrame:
    """``carriers`` rows; a tracking number is the service's prefix and twelve digits."""
    prefix = {s.carrier_id: s.tracking_prefix for s in SERVICES}
    frame = pl.DataFrame(
        {
            "carrier_id": [code for code, _ in CARRIER_NAMES],
            "name": [name for _, name in CARRIER_NAMES],
            "tracking_number_pattern": [
                f"^{prefix[code]}[0-9]{{12}}$" for code, _ in CARRIER_NAMES
            ],
        }
    )
    return CARRIERS.conform(frame)


def _services(pickup_capacity: np.ndarray) -> pl.DataFrame:
    """``carrier_services`` rows, with each service's daily pick-up capacity."""
    frame = pl.DataFrame(
        {
            "service_id": [s.service_id for s in SERVICES],
            "carrier_id": [s.carrier_id for s in SERVICES],
            "name": [s.name for s in SERVICES],
            "service_level": [s.level for s in SERVICES],
            "transport_mode": [s.mode for s in SERVICES],
            "fuel_surcharge_rate": [s.fuel_surcharge_rate for s in SERVICES],
            "dim_divisor_cm3_per_kg": [s.dim_divisor_cm3_per_kg for s in SERVICES],
            "max_weight_kg": [s.max_weight_kg for s in SERVICES],
            "daily_pickup_capacity_parcels": np.maximum(pickup_capacity, 1).astype(np.int64),
        }
    )
    return CARRIER_SERVICES.conform(frame)


def _rate_cards(limits: np.ndarray, rates: np.ndarray) -> pl.DataFrame:
    """``rate_cards`` rows: every band each service prices, in every zone."""
    v, z, b = np.nonzero(~np.isnan(rates))
    frame = pl.DataFrame(
        {
            "service_id": pl.Series([s.service_id for s in SERVICES]).gather(v),
            "zone": z,
            "max_weight_kg": limits[v, b],
            "rate_usd": rates[v, z, b],
        }
    )
    return RATE_CARDS.conform(frame)


def _transit_times(transit: np.ndarray) -> pl.DataFrame:
    """``transit_times`` rows: business days per service and zone."""
    v, z = np.meshgrid(np.arange(len(SERVICES)), ZONES, indexing="ij")
    frame = pl.DataFrame(
        {
            "service_id": pl.Series([s.service_id for s in SERVICES]).gather(v.ravel()),
            "zone": z.ravel(),
            "transit_days": transit[v.ravel(), z.ravel()],
        }
    )
    return TRANSIT_TIMES.conform(frame)
