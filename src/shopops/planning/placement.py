"""Inventory placement: weekly transfer proposals that bring stock nearer to its demand.

Inputs are the expected demand per SKU and destination region over the cover period, the
stock per SKU and warehouse, and the network. For each SKU:

* ``postage[w, r]``: the cheapest service's price of the SKU's typical parcel (one unit,
  packed) from warehouse ``w`` to region ``r``; region ``r``'s *home* is its cheapest lane;
* a warehouse's *cover* is the demand of its home regions (rounded up to whole units);
  ``surplus = max(stock - cover, 0)``, ``deficit = max(cover - stock, 0)``;
* moving a unit from ``u`` to ``v`` for region ``r`` (homed at ``v``) saves
  ``postage[u, r] - postage[v, r]`` (without it the unit would ship from ``u``) and costs
  ``handling + rate x weight_kg x road_km(u, v) / 100``, road km = great-circle x 1.2;
* a transfer *line* (one SKU from ``u`` to ``v``) costs ``handling_usd_per_line`` once
  (pick, label, receive), and each *lane* ``u -> v`` used in the week costs
  ``dispatch_usd_per_lane`` (one line-haul dispatch, shared by its lines).

Maximise the postage saved less every cost over whole units, with no source giving up its
own cover, no region served beyond its demand and no home filled beyond its deficit: a
MILP with a binary per line and per lane (:mod:`shopops.planning.placement_milp`), solved by
HiGHS to ``mip_gap`` within ``time_limit_seconds``. Without fixed costs it is the flow LP
whose optimal vertex is whole.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl
from numpy.typing import NDArray

from shopops.planning.placement_lanes import PlacementNetwork, great_circle_km
from shopops.planning.placement_milp import solve_transfers
from shopops.planning.placement_positions import (
    Move,
    SkuPosition,
    candidate_moves,
    move_arrays,
    sku_positions,
)
from shopops.planning.solvers import SolverOptions, SolveStatus

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
    """Costs of a transfer, how parcels and roads are measured, and the solve's limits.

    Parameters
    ----------
    handling_usd_per_unit, cost_usd_per_kg_100km
        Cost of each unit moved: handling plus line-haul by weight and road distance.
    handling_usd_per_line
        Once per SKU x source x destination transfer line: picking, labelling and receiving
        it (5 USD by default, a few minutes of warehouse work at both ends).
    dispatch_usd_per_lane
        Once per source -> destination lane used in the week: the truck or pallet dispatch
        its lines travel on together (150 USD by default, a part load on a regional lane).
    packing_factor, road_factor
        Parcel volume over the product's; road over great-circle distance.
    cover_weeks
        Only for the explanations: the period the demand covers.
    mip_gap, time_limit_seconds
        Relative gap the MILP is solved to, and its wall-time limit (``None``: none).
    """

    handling_usd_per_unit: float = 0.5
    cost_usd_per_kg_100km: float = 0.05
    handling_usd_per_line: float = 5.0
    dispatch_usd_per_lane: float = 150.0
    packing_factor: float = 1.2
    road_factor: float = 1.2
    cover_weeks: float = 4.0
    mip_gap: float = 1e-3
    time_limit_seconds: float | None = 30.0

    def __post_init__(self) -> None:
        costs = {
            "handling_usd_per_unit": self.handling_usd_per_unit,
            "cost_usd_per_kg_100km": self.cost_usd_per_kg_100km,
            "handling_usd_per_line": self.handling_usd_per_line,
            "dispatch_usd_per_lane": self.dispatch_usd_per_lane,
            "mip_gap": self.mip_gap,
        }
        for name, value in costs.items():
            if not value >= 0.0:
                raise ValueError(f"{name} must be a number >= 0, got {value}")


@dataclass(frozen=True)
class Placement:
    """Proposed transfers (:data:`TRANSFER_SCHEMA`) and what they add up to.

    ``status`` and ``gap`` are those of the MILP: ``feasible`` with a gap when its time
    limit stopped it before the optimum was proven.
    """

    transfers: pl.DataFrame
    net_saving_usd: float
    status: SolveStatus
    gap: float = 0.0

    @property
    def units(self) -> int:
        return int(self.transfers["quantity_units"].sum()) if self.transfers.height else 0

    @property
    def lanes(self) -> int:
        """Source -> destination lanes the transfers use."""
        return self.transfers.select("from_warehouse_id", "to_warehouse_id").n_unique()


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
    items = sku_positions(demand, stock, skus, network, rules.packing_factor)
    moves = [
        move
        for s, item in enumerate(items)
        for move in candidate_moves(
            s,
            item,
            network,
            handling_usd_per_unit=rules.handling_usd_per_unit,
            cost_usd_per_kg_100km=rules.cost_usd_per_kg_100km,
        )
    ]
    if not moves:
        return Placement(pl.DataFrame(schema=TRANSFER_SCHEMA), 0.0, SolveStatus.OPTIMAL)
    solution = solve_transfers(
        move_arrays(moves, items),
        n_warehouses=len(network.warehouse_ids),
        line_usd=rules.handling_usd_per_line,
        lane_usd=rules.dispatch_usd_per_lane,
        options=SolverOptions(
            mip_rel_gap=rules.mip_gap, time_limit_seconds=rules.time_limit_seconds
        ),
    )
    transfers = _transfers(moves, solution.units, items, network, rules)
    net = sum(
        u * (m.saving_usd - m.cost_usd) for u, m in zip(solution.units, moves, strict=True)
    ) - _fixed_costs_usd(transfers, rules)
    return Placement(transfers, round(float(net), 2), solution.status, solution.gap)


def _fixed_costs_usd(transfers: pl.DataFrame, rules: PlacementRules) -> float:
    lanes = transfers.select("from_warehouse_id", "to_warehouse_id").n_unique()
    return transfers.height * rules.handling_usd_per_line + lanes * rules.dispatch_usd_per_lane


def _transfers(
    moves: list[Move],
    units: IntArray,
    items: list[SkuPosition],
    network: PlacementNetwork,
    rules: PlacementRules,
) -> pl.DataFrame:
    """One row per SKU x source x destination (a line); its cost holds the line's handling
    and its share of the lane's dispatch, by units."""
    grouped: dict[tuple[int, int, int], list[tuple[Move, int]]] = {}
    for move, count in zip(moves, units, strict=True):
        if count > 0:
            grouped.setdefault((move.sku, move.source, move.home), []).append((move, int(count)))
    lane_units: dict[tuple[int, int], list[int]] = {}
    for (_, source, home), parts in grouped.items():
        lane_units.setdefault((source, home), []).append(sum(c for _, c in parts))
    rows = []
    for (s, source, home), parts in sorted(grouped.items()):
        item, ids = items[s], network.warehouse_ids
        line = _Line(item, source, home, parts, lane_units[source, home])
        rows.append(
            {
                "sku_id": item.sku_id,
                "from_warehouse_id": ids[source],
                "to_warehouse_id": ids[home],
                "quantity_units": line.units,
                "transfer_cost_usd": round(line.cost_usd(rules), 2),
                "shipping_saved_usd": round(line.saved_usd, 2),
                "explanation": _explain(line, network, rules),
            }
        )
    return pl.DataFrame(rows, schema=TRANSFER_SCHEMA)


@dataclass(frozen=True)
class _Line:
    """A proposed line: its moves with their units, and the units of each line on its lane."""

    item: SkuPosition
    source: int
    home: int
    parts: list[tuple[Move, int]]
    lane_line_units: list[int]

    @property
    def units(self) -> int:
        return sum(count for _, count in self.parts)

    @property
    def saved_usd(self) -> float:
        return sum(m.saving_usd * c for m, c in self.parts)

    @property
    def unit_costs_usd(self) -> float:
        return sum(m.cost_usd * c for m, c in self.parts)

    def dispatch_share_usd(self, rules: PlacementRules) -> float:
        return rules.dispatch_usd_per_lane * self.units / sum(self.lane_line_units)

    def cost_usd(self, rules: PlacementRules) -> float:
        return self.unit_costs_usd + rules.handling_usd_per_line + self.dispatch_share_usd(rules)


def _explain(line: _Line, network: PlacementNetwork, rules: PlacementRules) -> str:
    """The demand served, both warehouses' positions, the per-unit figures and fixed costs."""
    item, source, home = line.item, line.source, line.home
    ids, regions = network.warehouse_ids, network.region_ids
    road_km = network.road_km[source, home]
    line_haul = rules.cost_usd_per_kg_100km * item.weight_kg * road_km / 100
    per_region = "; ".join(
        f"{regions[m.region]}: {item.demand[m.region]} units expected, postage "
        f"{item.postage[source, m.region]:.2f} USD from {ids[source]} vs "
        f"{item.postage[home, m.region]:.2f} from {ids[home]}"
        for m, _ in line.parts
    )
    saved, cost = line.saved_usd, line.cost_usd(rules)
    return (
        f"{line.units} units of {item.sku_id} to {ids[home]}, the cheapest lane for its "
        f"regions over the next {rules.cover_weeks:g} weeks ({per_region}). {ids[home]} holds "
        f"{item.stock[home]} for a cover of {item.cover[home]}; {ids[source]} holds "
        f"{item.stock[source]} for a cover of {item.cover[source]}. Transfer "
        f"{rules.handling_usd_per_unit + line_haul:.2f} USD a unit "
        f"({rules.handling_usd_per_unit:.2f} handling + {item.weight_kg:g} kg x "
        f"{road_km:,.0f} km), {rules.handling_usd_per_line:.2f} USD for the line and "
        f"{line.dispatch_share_usd(rules):.2f} USD, its share by units of the "
        f"{rules.dispatch_usd_per_lane:.2f} USD dispatch {ids[source]} -> {ids[home]} "
        f"({len(line.lane_line_units)} lines, {sum(line.lane_line_units)} units); saves "
        f"{saved:,.2f} USD postage for {cost:,.2f} USD, net {saved - cost:,.2f} USD."
    )
