"""Inventory placement: weekly transfer proposals that bring stock nearer to its demand.

Inputs are the expected demand per SKU and destination region over the cover period, the
stock per SKU and warehouse, and the network. For each SKU:

* ``postage[w, r]``: the cheapest service's price of the SKU's typical parcel (one unit,
  packed) from warehouse ``w`` to region ``r``; region ``r``'s *home* is its cheapest lane;
* a warehouse's *cover* is the demand of its home regions (rounded up to whole units);
  ``surplus = max(stock - cover, 0)``, ``deficit = max(cover - stock, 0)``;
* moving a unit from ``u`` to ``v`` for region ``r`` (homed at ``v``) saves
  ``postage[u, r] - postage[v, r]`` (without it the unit would ship from ``u``) and costs
  ``handling + rate x weight_kg x road_km(u, v) / 100``, road km = great-circle x 1.2.

Maximise ``sum (saving - cost) x[u, r]`` over units ``x >= 0`` with ``sum_r x[u, r] <=
surplus[u]`` (never the source's own cover), ``sum_u x[u, r] <= demand[r]`` and
``sum_{u, r homed at v} x[u, r] <= deficit[v]``, only on moves that pay. It is a flow
(source -> u -> r -> v -> sink), so the LP (HiGHS, :mod:`shopops.planning.solvers`) has an
integral optimal vertex: the proposal is the optimum in whole units.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl
from numpy.typing import NDArray

from shopops.planning.placement_lanes import PlacementNetwork, cheapest_postage, great_circle_km
from shopops.planning.solvers import LinearProblem, SolveStatus, SparseRows, solve

__all__ = [
    "TRANSFER_SCHEMA",
    "Placement",
    "PlacementNetwork",
    "PlacementRules",
    "great_circle_km",
    "propose_transfers",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


TRANSFER_SCHEMA = pl.Schema(
    {
        "sku_id": pl.String(),
        "from_warehouse_id": pl.String(),
        "to_warehouse_id": pl.String(),
        "quantity_units": pl.Int64(),
        "transfer_cost_usd": pl.Float64(),
        "shipping_saved_usd": pl.Float64(),
        "explanation": pl.String(),
    }
)


@dataclass(frozen=True)
class PlacementRules:
    """Costs of a transfer and how parcels and roads are measured."""

    handling_usd_per_unit: float = 0.5
    cost_usd_per_kg_100km: float = 0.05
    packing_factor: float = 1.2
    road_factor: float = 1.2
    cover_weeks: float = 4.0
    """Only for the explanations: the period the demand covers."""


@dataclass(frozen=True)
class Placement:
    """Proposed transfers (:data:`TRANSFER_SCHEMA`) and what they add up to."""

    transfers: pl.DataFrame
    net_saving_usd: float
    status: SolveStatus

    @property
    def units(self) -> int:
        return int(self.transfers["quantity_units"].sum()) if self.transfers.height else 0


@dataclass(frozen=True)
class _Sku:
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
class _Move:
    """A candidate column: units from ``source`` to ``home`` for ``region`` of one SKU."""

    sku: int
    source: int
    region: int
    home: int
    saving_usd: float
    cost_usd: float
    bound: int


def propose_transfers(
    demand: pl.DataFrame,
    stock: pl.DataFrame,
    skus: pl.DataFrame,
    network: PlacementNetwork,
    rules: PlacementRules | None = None,
) -> Placement:
    """Transfers that save more postage than they cost, never touching a source's cover.

    ``demand``: ``sku_id``, ``region_id``, ``units`` expected over the cover period;
    ``stock``: ``sku_id``, ``warehouse_id``, ``stock_units`` (what each warehouse will have
    to ship from); ``skus``: ``sku_id``, ``weight_kg``, ``length_cm``, ``width_cm``,
    ``height_cm``.
    """
    rules = rules or PlacementRules()
    items = _sku_positions(demand, stock, skus, network, rules)
    moves = [move for s, item in enumerate(items) for move in _moves(s, item, network, rules)]
    if not moves:
        return Placement(pl.DataFrame(schema=TRANSFER_SCHEMA), 0.0, SolveStatus.OPTIMAL)
    units, status = _solve(moves, items, len(network.warehouse_ids), len(network.region_ids))
    net = float(sum(u * (m.saving_usd - m.cost_usd) for u, m in zip(units, moves, strict=True)))
    transfers = _transfers(moves, units, items, network, rules)
    return Placement(transfers, round(net, 2), status)


def _sku_positions(
    demand: pl.DataFrame,
    stock: pl.DataFrame,
    skus: pl.DataFrame,
    network: PlacementNetwork,
    rules: PlacementRules,
) -> list[_Sku]:
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
    postage = cheapest_postage(sizes, network, rules.packing_factor)
    home = np.where(np.isfinite(postage).any(axis=1), np.argmin(postage, axis=1), -1)
    whole = np.ceil(demand_units - 1e-9).astype(np.int64)
    items = []
    for s, sku_id in enumerate(sku_ids):
        served = home[s] >= 0
        cover = np.bincount(home[s][served], whole[s][served], minlength=n_w).astype(np.int64)
        items.append(
            _Sku(
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


def _moves(s: int, item: _Sku, network: PlacementNetwork, rules: PlacementRules) -> list[_Move]:
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
            cost = rules.handling_usd_per_unit + (
                rules.cost_usd_per_kg_100km * item.weight_kg * network.road_km[source, home] / 100
            )
            if saving - cost > 1e-9:
                bound = min(surplus[source], item.demand[region], deficit[home])
                moves.append(_Move(s, int(source), int(region), home, saving, cost, int(bound)))
    return moves


def _solve(
    moves: list[_Move], items: list[_Sku], n_warehouses: int, n_regions: int
) -> tuple[IntArray, SolveStatus]:
    """Whole units of each move at the optimum of the flow LP."""
    n = len(moves)
    sku = np.array([m.sku for m in moves])
    source = np.array([m.source for m in moves])
    region = np.array([m.region for m in moves])
    home = np.array([m.home for m in moves])
    keys = (
        sku * n_warehouses + source,
        len(items) * n_warehouses + sku * n_regions + region,
        len(items) * (n_warehouses + n_regions) + sku * n_warehouses + home,
    )
    row_keys = np.concatenate(keys)
    used, row = np.unique(row_keys, return_inverse=True)
    limits = _row_limits(used, items, n_warehouses, n_regions)
    rows = SparseRows.from_coo(
        row=row,
        column=np.tile(np.arange(n), 3),
        value=np.ones(3 * n),
        lower=np.full(len(used), -np.inf),
        upper=limits,
    )
    benefit = np.array([m.saving_usd - m.cost_usd for m in moves])
    bound = np.array([m.bound for m in moves], dtype=np.float64)
    solution = solve(LinearProblem(cost=-benefit, lower=np.zeros(n), upper=bound, rows=rows))
    if not solution.has_values:
        raise RuntimeError(f"placement LP ended {solution.status.value}")
    return np.rint(solution.values).astype(np.int64), solution.status


def _row_limits(keys: IntArray, items: list[_Sku], n_warehouses: int, n_regions: int) -> FloatArray:
    """Right-hand sides of the rows keyed as in :func:`_solve`."""
    limits = np.empty(len(keys))
    surplus_rows = len(items) * n_warehouses
    region_rows = surplus_rows + len(items) * n_regions
    for i, key in enumerate(keys):
        if key < surplus_rows:
            s, w = divmod(int(key), n_warehouses)
            limits[i] = items[s].surplus[w]
        elif key < region_rows:
            s, r = divmod(int(key) - surplus_rows, n_regions)
            limits[i] = items[s].demand[r]
        else:
            s, w = divmod(int(key) - region_rows, n_warehouses)
            limits[i] = items[s].deficit[w]
    return limits


def _transfers(
    moves: list[_Move],
    units: IntArray,
    items: list[_Sku],
    network: PlacementNetwork,
    rules: PlacementRules,
) -> pl.DataFrame:
    """One row per SKU x source x destination, with its explanation."""
    grouped: dict[tuple[int, int, int], list[tuple[_Move, int]]] = {}
    for move, count in zip(moves, units, strict=True):
        if count > 0:
            grouped.setdefault((move.sku, move.source, move.home), []).append((move, int(count)))
    rows = []
    for (s, source, home), parts in sorted(grouped.items()):
        item, ids = items[s], network.warehouse_ids
        rows.append(
            {
                "sku_id": item.sku_id,
                "from_warehouse_id": ids[source],
                "to_warehouse_id": ids[home],
                "quantity_units": sum(count for _, count in parts),
                "transfer_cost_usd": round(sum(m.cost_usd * c for m, c in parts), 2),
                "shipping_saved_usd": round(sum(m.saving_usd * c for m, c in parts), 2),
                "explanation": _explain(item, source, home, parts, network, rules),
            }
        )
    return pl.DataFrame(rows, schema=TRANSFER_SCHEMA)


def _explain(
    item: _Sku,
    source: int,
    home: int,
    parts: list[tuple[_Move, int]],
    network: PlacementNetwork,
    rules: PlacementRules,
) -> str:
    """The demand served, both warehouses' positions, and each region's per-unit figures."""
    ids, regions = network.warehouse_ids, network.region_ids
    units = sum(count for _, count in parts)
    road_km = network.road_km[source, home]
    line_haul = rules.cost_usd_per_kg_100km * item.weight_kg * road_km / 100
    per_region = "; ".join(
        f"{regions[m.region]}: {item.demand[m.region]} units expected, postage "
        f"{item.postage[source, m.region]:.2f} USD from {ids[source]} vs "
        f"{item.postage[home, m.region]:.2f} from {ids[home]}"
        for m, _ in parts
    )
    saved = sum(m.saving_usd * c for m, c in parts)
    cost = sum(m.cost_usd * c for m, c in parts)
    return (
        f"{units} units of {item.sku_id} to {ids[home]}, the cheapest lane for its regions "
        f"over the next {rules.cover_weeks:g} weeks ({per_region}). {ids[home]} holds "
        f"{item.stock[home]} for a cover of {item.cover[home]}; {ids[source]} holds "
        f"{item.stock[source]} for a cover of {item.cover[source]}. Transfer "
        f"{rules.handling_usd_per_unit + line_haul:.2f} USD a unit "
        f"({rules.handling_usd_per_unit:.2f} handling + {item.weight_kg:g} kg x "
        f"{road_km:,.0f} km); saves {saved:,.2f} USD postage for {cost:,.2f} USD, "
        f"net {saved - cost:,.2f} USD."
    )
