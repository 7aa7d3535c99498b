"""What delivery promises are made from: rules, and reference data loaded once as arrays.

Warehouses (cut-off hours, handling fees), the zone of each lane, SKU weights and sizes and
the carriers' rates change rarely; a checkout process builds a :class:`PromiseReference`
once and prices every request against it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import polars as pl
from numpy.typing import NDArray

from shopops.planning.fulfillment.rates import RateTable

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class PromiseRules:
    """How promises are made: packing, handling time, the carriers' business days.

    ``max_plans`` bounds the ways a split cart's lines are shared among its warehouses that
    are priced (large carts only; the first ones in warehouse order are kept).
    """

    packing_factor: float = 1.2
    handling_business_days: int = 0
    weekmask: str = "1111100"
    holidays: tuple[dt.date, ...] = ()
    max_plans: int = 4096

    def __post_init__(self) -> None:
        if self.packing_factor < 1.0:
            raise ValueError("packing_factor must be at least 1")
        if self.handling_business_days < 0:
            raise ValueError("handling_business_days must not be negative")


@dataclass(frozen=True)
class PromiseReference:
    """The slowly changing data promises need, as arrays: load once, promise many times.

    ``zone[w, r]`` is the carrier zone from warehouse ``w`` to region ``r`` (0: no lane).
    """

    rates: RateTable
    warehouse_ids: tuple[str, ...]
    cutoff_hour: IntArray
    handling_usd_per_parcel: FloatArray
    handling_usd_per_unit: FloatArray
    region_index: dict[str, int]
    zone: IntArray
    sku_ids: tuple[str, ...]
    sku_index: dict[str, int]
    sku_weight_kg: FloatArray
    sku_volume_cm3: FloatArray
    rules: PromiseRules = field(default_factory=PromiseRules)

    @classmethod
    def from_frames(
        cls,
        *,
        warehouses: pl.DataFrame,
        shipping_zones: pl.DataFrame,
        skus: pl.DataFrame,
        rates: RateTable,
        rules: PromiseRules | None = None,
    ) -> PromiseReference:
        """Build from the ``warehouses``, ``shipping_zones`` and ``skus`` tables and rates."""
        warehouses = warehouses.sort("warehouse_id")
        warehouse_ids = tuple(warehouses["warehouse_id"].to_list())
        w_index = {w: i for i, w in enumerate(warehouse_ids)}
        regions = sorted(set(shipping_zones["region_id"].to_list()))
        region_index = {r: i for i, r in enumerate(regions)}
        zone = np.zeros((len(warehouse_ids), len(regions)), dtype=np.int64)
        for w, r, z in shipping_zones.select("warehouse_id", "region_id", "zone").iter_rows():
            if w in w_index:
                zone[w_index[w], region_index[r]] = z
        volume = skus["length_cm"] * skus["width_cm"] * skus["height_cm"]
        sku_ids = tuple(skus["sku_id"].to_list())
        return cls(
            rates=rates,
            warehouse_ids=warehouse_ids,
            cutoff_hour=warehouses["order_cutoff_hour"].to_numpy().astype(np.int64),
            handling_usd_per_parcel=_floats(warehouses["handling_cost_usd_per_order"]),
            handling_usd_per_unit=_floats(warehouses["handling_cost_usd_per_unit"]),
            region_index=region_index,
            zone=zone,
            sku_ids=sku_ids,
            sku_index={s: i for i, s in enumerate(sku_ids)},
            sku_weight_kg=_floats(skus["weight_kg"]),
            sku_volume_cm3=_floats(volume),
            rules=rules or PromiseRules(),
        )


def _floats(series: pl.Series) -> FloatArray:
    return series.to_numpy().astype(np.float64)


def business_calendar(weekmask: str, holidays: tuple[dt.date, ...]) -> np.busdaycalendar:
    """The carriers' business days, as :func:`numpy.busday_offset` takes them."""
    return np.busdaycalendar(weekmask=weekmask, holidays=np.array(holidays, dtype="datetime64[D]"))
