"""The fulfillment network: regions, warehouses, shipping zones.

Zones follow the US parcel carriers' convention: bands of great-circle distance between
origin and destination, zone 1 local to zone 8 farthest. Road distance is estimated as
the great-circle distance times a typical circuity factor.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from shopops.data.schemas import REGIONS, SHIPPING_ZONES, WAREHOUSES
from shopops.data.synth.carriers import Carriers, build_carriers
from shopops.data.synth.config import MarketplaceConfig
from shopops.data.synth.geography import (
    METROS,
    WAREHOUSE_SITES,
    WarehouseSite,
    great_circle_km,
)
from shopops.data.synth.randomness import stream

ZONE_LIMITS_KM = np.array([80.0, 241.0, 483.0, 966.0, 1609.0, 2253.0, 2897.0])
"""Upper great-circle distance of zones 1..7 (50, 150, 300, 600, 1000, 1400, 1800 miles)."""
ROAD_CIRCUITY = 1.2
TRUCK_KM_PER_DAY = 700.0


@dataclass(frozen=True)
class Network:
    """Regions, warehouses and carriers as frames, plus the arrays the simulation uses."""

    regions: pl.DataFrame
    warehouses: pl.DataFrame
    shipping_zones: pl.DataFrame
    carriers: Carriers
    region_ids: pl.Series
    warehouse_ids: pl.Series
    population: np.ndarray  # per region
    zone: np.ndarray  # [warehouse, region] carrier zone 1..8
    rank: np.ndarray  # [region, k]: the k-th nearest warehouse
    cutoff_hour: np.ndarray  # per warehouse, UTC
    transfer_days: np.ndarray  # [from, to] truck days between warehouses
    road_km: np.ndarray  # [from, to] road distance between warehouses

    @property
    def size(self) -> int:
        """Number of warehouses."""
        return len(self.warehouse_ids)


def build_network(config: MarketplaceConfig, expected_orders_per_day: float) -> Network:
    """The first ``config.warehouses`` sites, sized for the expected order volume."""
    rng = stream(config.seed, "network")
    sites = WAREHOUSE_SITES[: config.warehouses]
    m_lat = np.array([m.latitude for m in METROS])
    m_lon = np.array([m.longitude for m in METROS])
    w_lat = np.array([s.latitude for s in sites])
    w_lon = np.array([s.longitude for s in sites])
    km = great_circle_km(w_lat[:, None], w_lon[:, None], m_lat[None, :], m_lon[None, :])
    zone = np.searchsorted(ZONE_LIMITS_KM, km) + 1
    between = great_circle_km(w_lat[:, None], w_lon[:, None], w_lat[None, :], w_lon[None, :])
    region_ids = pl.Series("region_id", [m.code for m in METROS])
    warehouse_ids = pl.Series("warehouse_id", [s.code for s in sites])
    cutoff = np.round(19 + 3 * (-75.0 - w_lon) / 45.0).clip(18, 22).astype(np.int64)
    per_warehouse = expected_orders_per_day / len(sites)
    return Network(
        regions=_regions(),
        warehouses=_warehouses(rng, sites, km.argmin(axis=1), cutoff, per_warehouse),
        shipping_zones=_zones(warehouse_ids, region_ids, zone, km),
        carriers=build_carriers(rng, per_warehouse),
        region_ids=region_ids,
        warehouse_ids=warehouse_ids,
        population=np.array([m.population for m in METROS], dtype=np.float64),
        zone=zone,
        rank=np.argsort(km.T, axis=1, kind="stable"),
        cutoff_hour=cutoff,
        transfer_days=np.maximum(1, np.ceil(between * ROAD_CIRCUITY / TRUCK_KM_PER_DAY)).astype(
            np.int64
        ),
        road_km=np.round(between * ROAD_CIRCUITY, 1),
    )


def _regions() -> pl.DataFrame:
    """``regions`` rows: the US metro areas."""
    frame = pl.DataFrame(
        {
            "region_id": [m.code for m in METROS],
            "name": [m.name for m in METROS],
            "country_code": ["US"] * len(METROS),
            "latitude": [m.latitude for m in METROS],
            "longitude": [m.longitude for m in METROS],
            "population": [m.population for m in METROS],
        }
    )
    return REGIONS.conform(frame)


def _warehouses(
    rng: np.random.Generator,
    sites: tuple[WarehouseSite, ...],
    nearest_metro: np.ndarray,
    cutoff: np.ndarray,
    orders_per_day: float,
) -> pl.DataFrame:
    """Warehouse master data; capacities are a few times the average daily load."""
    n = len(sites)
    partner = [s.partner_name for s in sites]
    own = np.array([p is None for p in partner])
    units_per_day = orders_per_day * 1.7
    frame = pl.DataFrame(
        {
            "warehouse_id": [s.code for s in sites],
            "name": [s.name for s in sites],
            "operator": np.where(own, "own", "3pl"),
            "partner_name": partner,
            "region_id": [METROS[i].code for i in nearest_metro],
            "city": [s.city for s in sites],
            "latitude": [s.latitude for s in sites],
            "longitude": [s.longitude for s in sites],
            "storage_capacity_units": _at_least_one(units_per_day * rng.uniform(60, 120, n)),
            "outbound_capacity_orders_per_day": _at_least_one(
                orders_per_day * rng.uniform(2.0, 3.5, n)
            ),
            "inbound_capacity_units_per_day": _at_least_one(
                units_per_day * rng.uniform(3.0, 6.0, n)
            ),
            "handling_cost_usd_per_order": np.round(
                np.where(own, rng.uniform(2.4, 3.2, n), rng.uniform(3.0, 4.4, n)), 2
            ),
            "handling_cost_usd_per_unit": np.round(rng.uniform(0.25, 0.6, n), 2),
            "storage_cost_usd_per_unit_day": np.round(rng.uniform(0.008, 0.025, n), 4),
            "order_cutoff_hour": cutoff,
        }
    )
    return WAREHOUSES.conform(frame)


def _at_least_one(values: np.ndarray) -> np.ndarray:
    """Capacities as whole numbers of at least one."""
    return np.asarray(np.maximum(1, np.ceil(values)), dtype=np.int64)


def _zones(
    warehouse_ids: pl.Series, region_ids: pl.Series, zone: np.ndarray, km: np.ndarray
) -> pl.DataFrame:
    """``shipping_zones`` rows for every warehouse and region, with the road distance."""
    w, r = np.meshgrid(np.arange(zone.shape[0]), np.arange(zone.shape[1]), indexing="ij")
    frame = pl.DataFrame(
        {
            "warehouse_id": warehouse_ids.gather(w.ravel()),
            "region_id": region_ids.gather(r.ravel()),
            "zone": zone.ravel(),
            "distance_km": np.round(km.ravel() * ROAD_CIRCUITY, 1),
        }
    )
    return SHIPPING_ZONES.conform(frame)
