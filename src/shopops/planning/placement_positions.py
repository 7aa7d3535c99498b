"""Where each SKU stands for placement, and the moves of its units that would pay.

Per SKU: the cheapest postage of its typical parcel on every lane, each region's home (its
cheapest lane), whole-unit demand per region, stock and cover per warehouse (the demand of
its home regions), hence surplus and deficit; and the candidate moves, surplus source ->
short home for one region, whose postage saved beats their per-unit transfer cost.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl
from numpy.typing import NDArray

from shopops.planning.placement_lanes import PlacementNetwork, cheapest_postage
from shopops.planning.placement_milp import TransferMoves

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class SkuPosition:
    """One SKU's lanes and positions, indexed by warehouse and region."""

    sku_id: str
    weight_kg: float
    postage: FloatArray
    home: IntArray
    demand: IntArray
    stock: IntArray
    cover: IntArray

    @property
    def surplus(self) -> IntArray:
        surplus: IntArray = np.maximum(self.stock - self.cover, 0)
        return surplus

    @property
    def deficit(self) -> IntArray:
        deficit: IntArray = np.maximum(self.cover - self.stock, 0)
        return deficit


@dataclass(frozen=True)
class Move:
    """A candidate column: units from ``source`` to ``home`` for ``region`` of one SKU."""

    sku: int
    source: int
    region: int
    home: int
    saving_usd: float
    cost_usd: float
    bound: int


def sku_positions(
    demand: pl.DataFrame,
    stock: pl.DataFrame,
    skus: pl.DataFrame,
    network: PlacementNetwork,
    packing_factor: float,
) -> list[SkuPosition]:
    """The SKUs with demand: postage of their lanes, homes, demand, stock and cover."""
    n_w, n_r = len(network.warehouse_ids), len(network.region_ids)
    r_index = {r: i for i, r in enumerate(network.region_ids)}
    w_index = {w: i for i, w in enumerate(network.warehouse_ids)}
    wanted = demand.filter(pl.col("units") > 0, pl.col("region_id").is_in(network.region_ids))
    sizes = skus.filter(pl.col("sku_id").is_in(wanted["sku_id"].unique().to_list())).sort("sku_id")
    sku_ids = sizes["sku_id"].to_list()
    s_index = {s: i for i, s in enumerate(sku_ids)}
    demand_units = np.zeros((len(sku_ids), n_r))
    for s, r, u in wanted.select("sku_id", "region_id", "units").iter_rows():
        if s in s_index:
            demand_units[s_index[s], r_index[r]] += u
    stock_units = np.zeros((len(sku_ids), n_w), dtype=np.int64)
    for s, w, u in stock.select("sku_id", "warehouse_id", "stock_units").iter_rows():
        if s in s_index and w in w_index:
            stock_units[s_index[s], w_index[w]] += max(int(u), 0)
    postage = cheapest_postage(sizes, network, packing_factor)
    home = np.where(np.isfinite(postage).any(axis=1), np.argmin(postage, axis=1), -1)
    whole = np.ceil(demand_units - 1e-9).astype(np.int64)
    items = []
    for s, sku_id in enumerate(sku_ids):
        served = home[s] >= 0
        cover = np.bincount(home[s][served], whole[s][served], minlength=n_w).astype(np.int64)
        items.append(
            SkuPosition(
                sku_id=sku_id,
                weight_kg=float(sizes["weight_kg"][s]),
                postage=postage[s],
                home=home[s],
                demand=np.where(served, whole[s], 0),
                stock=stock_units[s],
                cover=cover,
            )
        )
    return items


def candidate_moves(
    s: int,
    item: SkuPosition,
    network: PlacementNetwork,
    *,
    handling_usd_per_unit: float,
    cost_usd_per_kg_100km: float,
) -> list[Move]:
    """Columns of one SKU: surplus source -> short home, for each of its regions, that pay."""
    surplus, deficit = item.surplus, item.deficit
    moves = []
    for region in np.flatnonzero(item.demand > 0):
        home = int(item.home[region])
        if deficit[home] == 0:
            continue
        for source in np.flatnonzero(surplus > 0):
            if source == home or not np.isfinite(item.postage[source, region]):
                continue
            saving = float(item.postage[source, region] - item.postage[home, region])
            cost = handling_usd_per_unit + (
                cost_usd_per_kg_100km * item.weight_kg * network.road_km[source, home] / 100
            )
            if saving - cost > 1e-9:
                bound = min(surplus[source], item.demand[region], deficit[home])
                moves.append(Move(s, int(source), int(region), home, saving, cost, int(bound)))
    return moves


def move_arrays(moves: list[Move], items: list[SkuPosition]) -> TransferMoves:
    return TransferMoves(
        sku=np.array([m.sku for m in moves], dtype=np.int64),
        source=np.array([m.source for m in moves], dtype=np.int64),
        region=np.array([m.region for m in moves], dtype=np.int64),
        home=np.array([m.home for m in moves], dtype=np.int64),
        net_usd=np.array([m.saving_usd - m.cost_usd for m in moves]),
        bound=np.array([m.bound for m in moves], dtype=np.int64),
        surplus=np.array([item.surplus for item in items], dtype=np.int64),
        demand=np.array([item.demand for item in items], dtype=np.int64),
        deficit=np.array([item.deficit for item in items], dtype=np.int64),
    )
