"""The allocation batch as arrays: orders grouped by identical content, the network, the stock.

Identical orders — the same lines (SKU and quantity), region and promise dates — are one
*group* with a count, so a million single-line orders over a few thousand SKUs become far
fewer rows to optimise; the allocation of a group's count is handed back order by order.
Lines of an order are kept sorted by (SKU, quantity, line number), so line ``p`` of a
group is line ``p`` of each of its orders.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl
from numpy.typing import NDArray

from shopops.planning.fulfillment.rates import RateTable

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
DayArray = NDArray[np.datetime64]

ORDER_COLUMNS = ("order_id", "region_id", "promised_dispatch_date", "promised_delivery_date")
LINE_COLUMNS = ("order_id", "line_no", "sku_id", "quantity_units")
SKU_COLUMNS = ("sku_id", "weight_kg", "length_cm", "width_cm", "height_cm")
STOCK_COLUMNS = ("sku_id", "warehouse_id", "available_units")
WAREHOUSE_COLUMNS = (
    "warehouse_id",
    "outbound_capacity_orders_per_day",
    "handling_cost_usd_per_order",
    "handling_cost_usd_per_unit",
)
ZONE_COLUMNS = ("warehouse_id", "region_id", "zone", "distance_km")


@dataclass(frozen=True)
class Network:
    """Warehouses, regions, zones, SKUs and stock; the last SKU row is a stand-in for SKUs
    missing from the catalogue (no stock anywhere)."""

    warehouse_ids: tuple[str, ...]
    outbound_capacity: IntArray
    handling_usd_per_order: FloatArray
    handling_usd_per_unit: FloatArray
    region_ids: tuple[str, ...]
    zone: IntArray
    """``zone[w, r]``, 0 where warehouse ``w`` has no zone to region ``r``."""
    distance_km: FloatArray
    """``distance_km[w, r]``, ``inf`` where there is no zone."""
    sku_ids: tuple[str, ...]
    sku_weight_kg: FloatArray
    sku_volume_cm3: FloatArray
    stock_units: IntArray
    """``stock_units[k, w]``: available units of SKU ``k`` at warehouse ``w``."""
    pickup_capacity: IntArray
    """``pickup_capacity[w, s]``: parcels service ``s`` collects at ``w`` that day."""

    @property
    def num_warehouses(self) -> int:
        return len(self.warehouse_ids)

    @property
    def num_services(self) -> int:
        return int(self.pickup_capacity.shape[1])


@dataclass(frozen=True)
class Orders:
    """Open orders, their lines (sorted within the order) and their groups."""

    order_id: IntArray
    region: IntArray
    dispatch_by: DayArray
    deliver_by: DayArray
    line_start: IntArray
    """Lines of order ``i`` are ``line_start[i]:line_start[i+1]``."""
    line_no: IntArray
    line_sku: IntArray
    line_quantity: IntArray
    group: IntArray
    """Group of each order."""
    group_first_order: IntArray
    group_size: IntArray

    @property
    def num_orders(self) -> int:
        return len(self.order_id)

    @property
    def num_lines(self) -> IntArray:
        return np.diff(self.line_start)


def require_columns(frame: pl.DataFrame, columns: tuple[str, ...], name: str) -> None:
    """Raise ``ValueError`` naming the first of ``columns`` that ``frame`` lacks."""
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise ValueError(f"{name} needs the columns {missing} (has {frame.columns})")


def _index(values: pl.Series, ids: tuple[str, ...], what: str, missing: int | None) -> IntArray:
    """Positions of ``values`` in ``ids``; unknown values map to ``missing`` or raise."""
    position = pl.DataFrame({"id": list(ids), "i": np.arange(len(ids), dtype=np.int64)})
    found = pl.DataFrame({"id": values.cast(pl.String)}).join(
        position, on="id", how="left", maintain_order="left"
    )
    unknown = found.filter(pl.col("i").is_null())
    if unknown.height and missing is None:
        raise ValueError(f"{what}: unknown id {unknown['id'][0]!r}")
    return found["i"].fill_null(missing if missing is not None else -1).to_numpy().astype(np.int64)


def build_network(
    warehouses: pl.DataFrame,
    zones: pl.DataFrame,
    skus: pl.DataFrame,
    stock: pl.DataFrame,
    rates: RateTable,
    region_ids: tuple[str, ...],
) -> Network:
    """Arrays of the network; checks columns, unique keys and signs."""
    require_columns(warehouses, WAREHOUSE_COLUMNS, "warehouses")
    require_columns(zones, ZONE_COLUMNS, "zones")
    require_columns(skus, SKU_COLUMNS, "skus")
    require_columns(stock, STOCK_COLUMNS, "stock")
    warehouses = warehouses.sort("warehouse_id")
    _unique(warehouses, ("warehouse_id",), "warehouses")
    _unique(skus, ("sku_id",), "skus")
    _unique(stock, ("sku_id", "warehouse_id"), "stock")
    _unique(zones, ("warehouse_id", "region_id"), "zones")
    _non_negative(warehouses, WAREHOUSE_COLUMNS[1:], "warehouses")
    _non_negative(skus, SKU_COLUMNS[1:], "skus")
    w_ids = tuple(str(w) for w in warehouses["warehouse_id"].to_list())
    k_ids = tuple(str(k) for k in skus["sku_id"].to_list())
    zone, distance = _zone_matrix(zones, w_ids, region_ids)
    k_stock = _index(stock["sku_id"], k_ids, "stock.sku_id", len(k_ids))
    w_stock = _index(stock["warehouse_id"], w_ids, "stock.warehouse_id", None)
    units = np.zeros((len(k_ids) + 1, len(w_ids)), dtype=np.int64)
    available = stock["available_units"].fill_null(0).to_numpy().astype(np.int64)
    np.add.at(units, (k_stock, w_stock), np.maximum(available, 0))
    units[-1] = 0
    volume = (skus["length_cm"] * skus["width_cm"] * skus["height_cm"]).to_numpy()
    return Network(
        warehouse_ids=w_ids,
        outbound_capacity=_column(warehouses, "outbound_capacity_orders_per_day").astype(np.int64),
        handling_usd_per_order=_column(warehouses, "handling_cost_usd_per_order"),
        handling_usd_per_unit=_column(warehouses, "handling_cost_usd_per_unit"),
        region_ids=region_ids,
        zone=zone,
        distance_km=distance,
        sku_ids=k_ids,
        sku_weight_kg=np.append(skus["weight_kg"].to_numpy().astype(np.float64), 0.0),
        sku_volume_cm3=np.append(volume.astype(np.float64), 0.0),
        stock_units=units,
        pickup_capacity=np.broadcast_to(
            rates.pickup_capacity_parcels, (len(w_ids), len(rates.service_ids))
        ).copy(),
    )


def _column(frame: pl.DataFrame, name: str) -> FloatArray:
    return frame[name].cast(pl.Float64).to_numpy().astype(np.float64)


def _unique(frame: pl.DataFrame, key: tuple[str, ...], name: str) -> None:
    duplicated = frame.filter(pl.struct(list(key)).is_duplicated())
    if duplicated.height:
        row = duplicated.row(0, named=True)
        raise ValueError(f"{name}: {', '.join(key)} must be unique; repeated {row}")


def _non_negative(frame: pl.DataFrame, columns: tuple[str, ...], name: str) -> None:
    for column in columns:
        bad = frame.filter(pl.col(column).is_null() | (pl.col(column) < 0))
        if bad.height:
            raise ValueError(
                f"{name}.{column} must be a number >= 0; got {bad[column][0]} in {bad.row(0)}"
            )


def _zone_matrix(
    zones: pl.DataFrame, w_ids: tuple[str, ...], region_ids: tuple[str, ...]
) -> tuple[IntArray, FloatArray]:
    known = zones.filter(
        pl.col("warehouse_id").is_in(list(w_ids)) & pl.col("region_id").is_in(list(region_ids))
    )
    bad = known.filter((pl.col("zone") < 1) | (pl.col("zone") > 8))
    if bad.height:
        raise ValueError(f"zones.zone must lie in 1..8; got {bad.row(0, named=True)}")
    w = _index(known["warehouse_id"], w_ids, "zones.warehouse_id", None)
    r = _index(known["region_id"], region_ids, "zones.region_id", None)
    zone = np.zeros((len(w_ids), len(region_ids)), dtype=np.int64)
    distance = np.full((len(w_ids), len(region_ids)), np.inf)
    zone[w, r] = known["zone"].to_numpy()
    distance[w, r] = known["distance_km"].cast(pl.Float64).to_numpy()
    return zone, distance


def build_orders(orders: pl.DataFrame, lines: pl.DataFrame, network: Network) -> Orders:
    """Orders sorted by id, their lines sorted by (SKU, quantity, line number), and groups."""
    require_columns(orders, ORDER_COLUMNS, "orders")
    require_columns(lines, LINE_COLUMNS, "lines")
    _unique(orders, ("order_id",), "orders")
    _unique(lines, ("order_id", "line_no"), "lines")
    bad = lines.filter(pl.col("quantity_units").is_null() | (pl.col("quantity_units") <= 0))
    if bad.height:
        raise ValueError(f"lines.quantity_units must be a positive integer; got {bad.row(0)}")
    for column in ORDER_COLUMNS:
        if orders[column].null_count():
            raise ValueError(f"orders.{column} must not be empty")
    orders = orders.sort("order_id").with_columns(
        pl.int_range(pl.len(), dtype=pl.Int64).alias("_i")
    )
    stray = lines.join(orders.select("order_id"), on="order_id", how="anti")
    if stray.height:
        raise ValueError(f"lines: order_id {stray['order_id'][0]} is not among the orders")
    sku = _index(lines["sku_id"], network.sku_ids, "lines.sku_id", len(network.sku_ids))
    table = (
        lines.select("order_id", "line_no", "quantity_units")
        .with_columns(pl.Series("_k", sku))
        .join(orders.select("order_id", "_i"), on="order_id")
        .sort("_i", "_k", "quantity_units", "line_no")
    )
    counts = np.bincount(table["_i"].to_numpy(), minlength=orders.height)
    if orders.height and counts.min() == 0:
        empty = orders["order_id"][int(np.argmin(counts))]
        raise ValueError(f"orders: order {empty} has no lines")
    start = np.zeros(orders.height + 1, dtype=np.int64)
    np.cumsum(counts, out=start[1:])
    region = _index(orders["region_id"], network.region_ids, "orders.region_id", None)
    group, first, size = _groups(orders, table, region)
    return Orders(
        order_id=orders["order_id"].to_numpy().astype(np.int64),
        region=region,
        dispatch_by=orders["promised_dispatch_date"].cast(pl.Date).to_numpy(),
        deliver_by=orders["promised_delivery_date"].cast(pl.Date).to_numpy(),
        line_start=start,
        line_no=table["line_no"].to_numpy().astype(np.int64),
        line_sku=table["_k"].to_numpy().astype(np.int64),
        line_quantity=table["quantity_units"].to_numpy().astype(np.int64),
        group=group,
        group_first_order=first,
        group_size=size,
    )


def _groups(
    orders: pl.DataFrame, table: pl.DataFrame, region: IntArray
) -> tuple[IntArray, IntArray, IntArray]:
    """Group id per order (orders with identical content share one), first order, size."""
    content = table.group_by("_i", maintain_order=True).agg(
        pl.format("{}x{}", "_k", "quantity_units").str.join(",").alias("_content")
    )
    keyed = (
        orders.select("_i", "promised_dispatch_date", "promised_delivery_date")
        .with_columns(pl.Series("_r", region))
        .join(content, on="_i", how="left")
        .with_columns(pl.col("_content").fill_null(""))
    )
    group = (
        keyed.select(
            pl.struct("_r", "promised_dispatch_date", "promised_delivery_date", "_content")
            .rank("dense")
            .cast(pl.Int64)
            - 1
        )
        .to_series()
        .to_numpy()
    )
    n_groups = int(group.max()) + 1 if len(group) else 0
    first = np.full(n_groups, len(group), dtype=np.int64)
    np.minimum.at(first, group, np.arange(len(group), dtype=np.int64))
    return group.astype(np.int64), first, np.bincount(group, minlength=n_groups).astype(np.int64)
