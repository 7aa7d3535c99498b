"""The lanes of the network for placement: road distances and the cheapest postage.

Road distance between warehouses is the great-circle distance (haversine) times a road
factor; the postage of a lane is the cheapest carrier service's price of a parcel on it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl
from numpy.typing import NDArray

from shopops.planning.fulfillment.rates import NOT_SERVED, RateTable

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

EARTH_RADIUS_KM = 6371.0
_POSTAGE_CHUNK = 256


@dataclass(frozen=True)
class PlacementNetwork:
    """Warehouses (with coordinates), the zone of each lane and the carriers' rates."""

    warehouse_ids: tuple[str, ...]
    road_km: FloatArray
    region_ids: tuple[str, ...]
    zone: IntArray
    rates: RateTable

    @classmethod
    def from_frames(
        cls,
        *,
        warehouses: pl.DataFrame,
        shipping_zones: pl.DataFrame,
        rates: RateTable,
        road_factor: float = 1.2,
    ) -> PlacementNetwork:
        """From the ``warehouses`` and ``shipping_zones`` tables; ``zone`` 0 means no lane."""
        warehouses = warehouses.sort("warehouse_id")
        ids = tuple(warehouses["warehouse_id"].to_list())
        regions = tuple(sorted(set(shipping_zones["region_id"].to_list())))
        w_index = {w: i for i, w in enumerate(ids)}
        r_index = {r: i for i, r in enumerate(regions)}
        zone = np.zeros((len(ids), len(regions)), dtype=np.int64)
        for w, r, z in shipping_zones.select("warehouse_id", "region_id", "zone").iter_rows():
            if w in w_index:
                zone[w_index[w], r_index[r]] = z
        latitude = warehouses["latitude"].to_numpy().astype(np.float64)
        longitude = warehouses["longitude"].to_numpy().astype(np.float64)
        road = great_circle_km(latitude, longitude) * road_factor
        return cls(ids, road, regions, zone, rates)


def great_circle_km(latitude: FloatArray, longitude: FloatArray) -> FloatArray:
    """Pairwise great-circle distances (haversine, Earth radius 6,371 km)."""
    lat, lon = np.radians(latitude), np.radians(longitude)
    d_lat = lat[:, None] - lat[None, :]
    d_lon = lon[:, None] - lon[None, :]
    h = (
        np.sin(d_lat / 2) ** 2
        + np.cos(lat[:, None]) * np.cos(lat[None, :]) * np.sin(d_lon / 2) ** 2
    )
    distance: FloatArray = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    return distance


def cheapest_postage(
    sizes: pl.DataFrame, network: PlacementNetwork, packing_factor: float
) -> FloatArray:
    """``postage[s, w, r]``: cheapest price of one packed unit of SKU ``s`` (inf: no lane)."""
    rates, zone = network.rates, network.zone
    services = np.arange(len(rates.service_ids))
    weight = sizes["weight_kg"].to_numpy().astype(np.float64)
    volume = (sizes["length_cm"] * sizes["width_cm"] * sizes["height_cm"]).to_numpy()
    postage = np.full((len(weight), *zone.shape), np.inf)
    if not len(services):
        return postage
    transit = rates.transit(services[None, None, :], zone[:, :, None])
    served = ((transit != NOT_SERVED) & (zone[:, :, None] > 0))[None]
    for start in range(0, len(weight), _POSTAGE_CHUNK):
        part = slice(start, start + _POSTAGE_CHUNK)
        _, price = rates.parcel_cost_usd(
            services[None, None, None, :],
            zone[None, :, :, None],
            weight[part, None, None, None],
            volume[part, None, None, None].astype(np.float64) * packing_factor,
        )
        postage[part] = np.where(served & np.isfinite(price), price, np.inf).min(axis=3)
    return postage
