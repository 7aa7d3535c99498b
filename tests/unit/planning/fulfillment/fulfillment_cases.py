"""Small batches for the fulfillment tests: frames built from plain Python values."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from shopops.planning.fulfillment.rates import RateTable

MONDAY = dt.date(2026, 3, 2)


@dataclass
class Service:
    service_id: str
    bands: tuple[tuple[float, tuple[float, ...]], ...]
    """(band max kg, prices for zones 1..8)."""
    transit_days: tuple[int, ...]
    """Zones 1..8; 0 means not served."""
    fuel: float = 0.0
    dim_divisor: float = 5000.0
    max_weight_kg: float = 30.0
    pickup: int = 1000


@dataclass
class Case:
    services: list[Service]
    warehouses: list[tuple[str, int, float, float]]
    """(warehouse_id, outbound capacity, handling per order, handling per extra unit)."""
    zones: list[tuple[str, str, int, float]]
    skus: list[tuple[str, float, float, float, float]]
    stock: list[tuple[str, str, int]]
    orders: list[tuple[int, str, dt.date, dt.date]]
    lines: list[tuple[int, int, str, int]]
    extra: dict[str, object] = field(default_factory=dict)

    def rates(self) -> RateTable:
        services = pl.DataFrame(
            {
                "service_id": [s.service_id for s in self.services],
                "fuel_surcharge_rate": [s.fuel for s in self.services],
                "dim_divisor_cm3_per_kg": [s.dim_divisor for s in self.services],
                "max_weight_kg": [s.max_weight_kg for s in self.services],
                "daily_pickup_capacity_parcels": [s.pickup for s in self.services],
            }
        )
        cards = [
            (s.service_id, zone, limit, prices[zone - 1])
            for s in self.services
            for limit, prices in s.bands
            for zone in range(1, 9)
        ]
        times = [
            (s.service_id, zone, days)
            for s in self.services
            for zone, days in enumerate(s.transit_days, start=1)
            if days > 0
        ]
        return RateTable.from_frames(
            services,
            pl.DataFrame(
                cards, schema=["service_id", "zone", "max_weight_kg", "rate_usd"], orient="row"
            ),
            pl.DataFrame(times, schema=["service_id", "zone", "transit_days"], orient="row"),
        )

    def frames(self) -> dict[str, pl.DataFrame]:
        return {
            "orders": pl.DataFrame(
                self.orders,
                schema=[
                    "order_id",
                    "region_id",
                    "promised_dispatch_date",
                    "promised_delivery_date",
                ],
                orient="row",
            ),
            "lines": pl.DataFrame(
                self.lines, schema=["order_id", "line_no", "sku_id", "quantity_units"], orient="row"
            ),
            "skus": pl.DataFrame(
                self.skus,
                schema=["sku_id", "weight_kg", "length_cm", "width_cm", "height_cm"],
                orient="row",
            ),
            "stock": pl.DataFrame(
                self.stock, schema=["sku_id", "warehouse_id", "available_units"], orient="row"
            ),
            "warehouses": pl.DataFrame(
                self.warehouses,
                schema=[
                    "warehouse_id",
                    "outbound_capacity_orders_per_day",
                    "handling_cost_usd_per_order",
                    "handling_cost_usd_per_unit",
                ],
                orient="row",
            ),
            "zones": pl.DataFrame(
                self.zones,
                schema=["warehouse_id", "region_id", "zone", "distance_km"],
                orient="row",
            ),
        }

    def inputs(self) -> dict[str, object]:
        return {**self.frames(), "rates": self.rates()}


def random_case(rng: np.random.Generator, *, orders: int = 6, max_lines: int = 3) -> Case:
    """3 warehouses, 2 services, 4 SKUs, up to ``orders`` orders of up to ``max_lines`` lines;
    stock and capacities tight enough to bind."""
    flat = [round(float(rng.uniform(4, 9)), 2) for _ in range(8)]
    heavy = [round(p + float(rng.uniform(3, 8)), 2) for p in flat]
    fast = [round(p * 1.8, 2) for p in flat]
    fast_heavy = [round(p * 1.8, 2) for p in heavy]
    services = [
        Service("GRD", ((2.0, tuple(flat)), (10.0, tuple(heavy))), (1, 2, 2, 3, 3, 4, 5, 5),
                fuel=0.1, pickup=int(rng.integers(2, 7))),
        Service("EXP", ((2.0, tuple(fast)), (10.0, tuple(fast_heavy))), (1, 1, 1, 1, 2, 2, 2, 2),
                fuel=0.2, max_weight_kg=8.0, pickup=int(rng.integers(1, 5))),
    ]  # fmt: skip
    warehouses = [
        (f"W{w}", int(rng.integers(2, 6)), round(float(rng.uniform(1, 3)), 2), 0.5)
        for w in range(3)
    ]
    regions = ["R1", "R2"]
    zones = [
        (f"W{w}", r, int(rng.integers(1, 9)), float(rng.integers(50, 2000)))
        for w in range(3)
        for r in regions
    ]
    skus = [
        (f"K{k}", round(float(rng.uniform(0.2, 3.0)), 2), 30.0, 20.0, float(rng.integers(5, 30)))
        for k in range(4)
    ]
    stock = [
        (f"K{k}", f"W{w}", int(rng.integers(0, 4)))
        for k in range(4)
        for w in range(3)
        if rng.random() < 0.7
    ]
    order_rows, line_rows = [], []
    for o in range(int(rng.integers(1, orders + 1))):
        promise = MONDAY + dt.timedelta(days=int(rng.integers(1, 4)))
        order_rows.append((o + 1, regions[int(rng.integers(0, 2))], MONDAY, promise))
        n_lines = 1 + int(
            rng.choice(max_lines, p=np.arange(max_lines, 0, -1) / max_lines / (max_lines + 1) * 2)
        )
        chosen = rng.choice(4, size=n_lines, replace=False)
        for line_no, k in enumerate(chosen, start=1):
            line_rows.append((o + 1, line_no, f"K{k}", int(rng.integers(1, 3))))
    return Case(services, warehouses, zones, skus, stock, order_rows, line_rows)
