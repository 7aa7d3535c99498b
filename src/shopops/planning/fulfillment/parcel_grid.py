"""The cost of many parcels from every warehouse by every service, by table lookups.

The same numbers as :func:`~shopops.planning.fulfillment.costs.price_parcels` on a
``parcels x warehouses x services`` broadcast, element for element, but computed the way the
cost is built rather than per parcel: the billable weight once per (parcel, service), the
weight band once per (parcel, service, zone) by a binary search in that rate card, the
price with fuel from a ``(service, zone, band)`` table, and the late days from a table per
(promise dates, service, zone) — a batch has only a handful of promise dates, so the
calendar arithmetic runs on a few hundred cells instead of millions.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from shopops.planning.fulfillment.batch import FloatArray, IntArray, Network
from shopops.planning.fulfillment.costs import arrival_and_late_days
from shopops.planning.fulfillment.rates import N_ZONES, NOT_SERVED, RateTable, billable_weight_kg
from shopops.planning.fulfillment.rules import AllocationRules


def parcel_cost_grid(
    network: Network,
    rates: RateTable,
    rules: AllocationRules,
    *,
    region: ArrayLike,
    units: ArrayLike,
    weight_kg: ArrayLike,
    volume_cm3: ArrayLike,
    dispatch_by: ArrayLike,
    deliver_by: ArrayLike,
) -> FloatArray:
    """``cost[i, w, s]`` of parcel ``i`` (1-d arguments) from warehouse ``w`` by service
    ``s``: shipping + handling + late penalty, ``inf`` where it cannot ship."""
    region = np.asarray(region, dtype=np.int64)
    zone = network.zone[:, region].T
    price = _price_by_zone(rates, rules, weight_kg, volume_cm3)
    late = _late_penalty_by_zone(rates, rules, dispatch_by, deliver_by)
    n, n_zones = len(region), N_ZONES + 1
    rows_of_zone = np.arange(n)[:, None] * n_zones + zone
    shipping = price.reshape(n * n_zones, -1)[rows_of_zone]
    extra_units = np.maximum(np.asarray(units, dtype=np.int64) - 1, 0)
    handling = network.handling_usd_per_order[None, :] + (
        network.handling_usd_per_unit[None, :] * extra_units[:, None]
    )
    dates, penalty = late
    late_penalty = penalty.reshape(-1, penalty.shape[2])[dates[:, None] * n_zones + zone]
    total = shipping + handling[:, :, None] + late_penalty
    cost: FloatArray = np.where(np.isnan(total), np.inf, total)
    return cost


def _price_by_zone(
    rates: RateTable, rules: AllocationRules, weight_kg: ArrayLike, volume_cm3: ArrayLike
) -> FloatArray:
    """``price[i, z, s]`` with fuel, NaN where the service does not take the parcel or does
    not serve the zone (and in zone 0, no zone)."""
    weight = np.asarray(weight_kg, dtype=np.float64)
    volume = np.asarray(volume_cm3, dtype=np.float64) * rules.packing_factor
    n_s, n_bands = len(rates.service_ids), rates.rate_usd.shape[2]
    price = np.full((len(weight), N_ZONES + 1, n_s), np.nan)
    for s in range(n_s):
        billable = billable_weight_kg(weight, volume, rates.dim_divisor_cm3_per_kg[s])
        accepted = billable <= rates.max_weight_kg[s]
        with_fuel = rates.rate_usd[s] * (1.0 + rates.fuel_surcharge_rate[s])
        for z in range(1, N_ZONES + 1):
            if rates.transit_days[s, z] == NOT_SERVED:
                continue
            band = np.searchsorted(rates.band_limit_kg[s, z], billable, side="left")
            inside = accepted & (band < n_bands)
            price[:, z, s] = np.where(inside, with_fuel[z, np.minimum(band, n_bands - 1)], np.nan)
    return price


def _late_penalty_by_zone(
    rates: RateTable, rules: AllocationRules, dispatch_by: ArrayLike, deliver_by: ArrayLike
) -> tuple[IntArray, FloatArray]:
    """Index of each parcel's promise dates, and ``penalty[dates, z, s]`` of being late."""
    dispatch = np.asarray(dispatch_by, dtype="datetime64[D]").astype(np.int64)
    deliver = np.asarray(deliver_by, dtype="datetime64[D]").astype(np.int64)
    span = int(deliver.max() - deliver.min()) + 1 if len(deliver) else 1
    code = (dispatch - (dispatch.min() if len(dispatch) else 0)) * span + (
        deliver - (deliver.min() if len(deliver) else 0)
    )
    _, first, index = np.unique(code, return_index=True, return_inverse=True)
    n_s = len(rates.service_ids)
    service = np.arange(n_s)[None, None, :]
    zone = np.arange(N_ZONES + 1)[None, :, None]
    _, late, _ = arrival_and_late_days(
        rates,
        rules,
        service=service,
        zone=zone,
        dispatch_by=dispatch[first].astype("datetime64[D]")[:, None, None],
        deliver_by=deliver[first].astype("datetime64[D]")[:, None, None],
    )
    penalty = rules.late_penalty_usd_per_day * np.broadcast_to(late, (len(first), N_ZONES + 1, n_s))
    return index.ravel().astype(np.int64), penalty.astype(np.float64)
