"""What a parcel costs and how long it travels, from the carriers' rate cards.

A carrier prices a parcel by service, zone and billable weight, where billable weight is
``max(actual kg, L x W x H cm3 / dim divisor)``; the rate card gives a price per weight band
(a band covers weights up to its ``max_weight_kg``) and the fuel surcharge is added as a share
of that price. Parcels heavier than the service's limit or its last band are not accepted
(cost NaN). Transit time is business days by service and zone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

N_ZONES = 8
NOT_SERVED = -1
"""Transit days of a (service, zone) the carrier has no time for."""


def billable_weight_kg(
    weight_kg: FloatArray, volume_cm3: FloatArray, dim_divisor_cm3_per_kg: FloatArray | float
) -> FloatArray:
    """``max(actual, dimensional)`` weight, dimensional = volume / divisor (rounded to 10 g)."""
    dimensional = np.round(np.asarray(volume_cm3) / dim_divisor_cm3_per_kg, 2)
    return np.maximum(np.asarray(weight_kg, dtype=np.float64), dimensional)


@dataclass(frozen=True)
class RateTable:
    """Rate cards and transit times as arrays indexed by service position and zone.

    ``band_limit_kg[s, z, b]`` are the band limits of service ``s`` in zone ``z`` (1-8; row 0
    unused), ascending and padded with ``inf``; ``rate_usd[s, z, b]`` their prices (NaN where
    padded); ``transit_days[s, z]`` the business days in transit (:data:`NOT_SERVED` if none).
    """

    service_ids: tuple[str, ...]
    fuel_surcharge_rate: FloatArray
    dim_divisor_cm3_per_kg: FloatArray
    max_weight_kg: FloatArray
    pickup_capacity_parcels: IntArray
    band_limit_kg: FloatArray
    rate_usd: FloatArray
    transit_days: IntArray

    @classmethod
    def from_frames(
        cls, services: pl.DataFrame, rate_cards: pl.DataFrame, transit_times: pl.DataFrame
    ) -> RateTable:
        """Build from the ``carrier_services``, ``rate_cards`` and ``transit_times`` tables."""
        services = services.sort("service_id")
        ids = tuple(services["service_id"].to_list())
        position = {service_id: i for i, service_id in enumerate(ids)}
        cards = rate_cards.filter(pl.col("service_id").is_in(ids)).sort(
            "service_id", "zone", "max_weight_kg"
        )
        band = cards.select(
            pl.col("service_id").replace_strict(position, return_dtype=pl.Int64).alias("s"),
            pl.col("zone").cast(pl.Int64).alias("z"),
            (pl.int_range(pl.len()).over("service_id", "zone")).cast(pl.Int64).alias("b"),
            pl.col("max_weight_kg").cast(pl.Float64),
            pl.col("rate_usd").cast(pl.Float64),
        )
        n_bands = int(band["b"].to_numpy().max()) + 1 if band.height else 1
        shape = (len(ids), N_ZONES + 1, n_bands)
        limits, rates = np.full(shape, np.inf), np.full(shape, np.nan)
        s, z, b = (band[c].to_numpy() for c in ("s", "z", "b"))
        limits[s, z, b] = band["max_weight_kg"].to_numpy()
        rates[s, z, b] = band["rate_usd"].to_numpy()
        transit = np.full((len(ids), N_ZONES + 1), NOT_SERVED, dtype=np.int64)
        times = transit_times.filter(pl.col("service_id").is_in(ids))
        transit[
            times["service_id"].replace_strict(position, return_dtype=pl.Int64).to_numpy(),
            times["zone"].to_numpy(),
        ] = times["transit_days"].to_numpy()
        return cls(
            service_ids=ids,
            fuel_surcharge_rate=services["fuel_surcharge_rate"].to_numpy().astype(np.float64),
            dim_divisor_cm3_per_kg=services["dim_divisor_cm3_per_kg"].to_numpy().astype(np.float64),
            max_weight_kg=services["max_weight_kg"].to_numpy().astype(np.float64),
            pickup_capacity_parcels=services["daily_pickup_capacity_parcels"]
            .to_numpy()
            .astype(np.int64),
            band_limit_kg=limits,
            rate_usd=rates,
            transit_days=transit,
        )

    def index(self, service_ids: pl.Series | list[str]) -> IntArray:
        """Positions of the given service ids in this table."""
        position = {service_id: i for i, service_id in enumerate(self.service_ids)}
        return np.array([position[s] for s in service_ids], dtype=np.int64)

    def parcel_cost_usd(
        self,
        service: IntArray,
        zone: IntArray,
        weight_kg: FloatArray,
        volume_cm3: FloatArray,
    ) -> tuple[FloatArray, FloatArray]:
        """Billable weight and price with fuel surcharge of each parcel; NaN if not accepted.

        Arrays broadcast against each other, so one parcel can be priced for every service
        (``service[None, :]``) or every parcel for one service.
        """
        service, zone = np.asarray(service), np.asarray(zone)
        billable = billable_weight_kg(weight_kg, volume_cm3, self.dim_divisor_cm3_per_kg[service])
        limits = self.band_limit_kg[service, zone]
        band = (limits < billable[..., None]).sum(axis=-1)
        n_bands = self.rate_usd.shape[2]
        inside = band < n_bands
        rate = np.take_along_axis(
            self.rate_usd[service, zone], np.minimum(band, n_bands - 1)[..., None], axis=-1
        )[..., 0]
        accepted = inside & (billable <= self.max_weight_kg[service])
        price = np.where(accepted, rate * (1.0 + self.fuel_surcharge_rate[service]), np.nan)
        return billable, price

    def transit(self, service: IntArray, zone: IntArray) -> IntArray:
        """Business days in transit; :data:`NOT_SERVED` where the service has no time."""
        return self.transit_days[np.asarray(service), np.asarray(zone)]
