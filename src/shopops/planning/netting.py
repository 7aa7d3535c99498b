"""Net requirements: when each SKU x warehouse must order, how much, and by when it is needed.

:func:`net_requirements` walks the days of a planning horizon for every SKU x warehouse row
of an inventory policy frame at once (one NumPy step per day, arrays over rows), projects
the stock position and the stock on hand from today's stock, the open supply and the daily
forecast, and raises a requirement each time the position reaches the reorder point. The
requirements are what the sourcing optimiser turns into purchase orders; the projection is
what a planner charts to see why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from shopops.errors import DataError

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

KEYS = ("sku_id", "warehouse_id")
PLANNED = "planned"
TOLERANCE_UNITS = 1e-9
POLICY_COLUMNS = (
    "policy_status",
    "safety_stock_units",
    "reorder_point_units",
    "order_up_to_level_units",
    "order_quantity_units",
    "lead_time_mean_days",
)
STOCK_COLUMNS = ("on_hand_units", "reserved_units")
SUPPLY_COLUMNS = ("expected_date", "open_units")
FORECAST_COLUMNS = ("week_start", "units")

REQUIREMENT_SCHEMA: dict[str, pl.DataType] = {
    "requirement_id": pl.Int64(),
    "sku_id": pl.String(),
    "warehouse_id": pl.String(),
    "order_by_date": pl.Date(),
    "need_by_date": pl.Date(),
    "quantity_units": pl.Int64(),
    "projected_position_units": pl.Float64(),
    "projected_on_hand_units": pl.Float64(),
    "urgent": pl.Boolean(),
    "explanation": pl.String(),
}


@dataclass(frozen=True, slots=True)
class NetRequirements:
    """What :func:`net_requirements` found.

    ``requirements``: one row per requirement (columns in :data:`REQUIREMENT_SCHEMA`).
    ``projection``: ``sku_id``, ``warehouse_id``, ``date``, ``on_hand_units``,
    ``position_units`` per day of the horizon, with every requirement in.
    ``skipped``: ``sku_id``, ``warehouse_id``, ``reason`` of the rows that were not netted.
    """

    requirements: pl.DataFrame
    projection: pl.DataFrame
    skipped: pl.DataFrame


@dataclass(frozen=True, slots=True)
class _Policy:
    """Policy numbers of the netted rows, one entry per row."""

    safety_stock_units: FloatArray
    reorder_point_units: FloatArray
    order_up_to_level_units: FloatArray
    order_quantity_units: FloatArray
    lead_time_days: IntArray


@dataclass(frozen=True, slots=True)
class _Projection:
    """Stock before any requirement: ``rows x days`` arrays, day 0 is ``as_of``."""

    cumulative_demand_units: FloatArray
    on_hand_units: FloatArray
    position_start_units: FloatArray
    overdue_units: FloatArray


@dataclass(frozen=True, slots=True)
class _Arrivals:
    """Requirements received, ``rows x days`` by need-by day, in all before today, and the
    last need-by day of each row (-1 before any)."""

    units: FloatArray
    before_today_units: FloatArray
    last_day: IntArray


@dataclass(frozen=True, slots=True)
class _Raised:
    """The requirements of a walk, in the order they were raised."""

    row: IntArray
    order_day: IntArray
    need_day: IntArray
    quantity_units: IntArray
    position_units: FloatArray
    on_hand_units: FloatArray
    urgent: npt.NDArray[np.bool_]


def net_requirements(
    policies: pl.DataFrame,
    stock: pl.DataFrame,
    open_supply: pl.DataFrame,
    forecast: pl.DataFrame,
    *,
    as_of: dt.date,
    horizon_days: int,
    projection_skus: Collection[str] | None = None,
) -> NetRequirements:
    """Requirements per SKU x warehouse over the days ``as_of .. as_of + horizon_days - 1``.

    Day ``t`` runs from ``as_of`` (``t = 0``); every quantity is taken at the end of its day.

    - Demand: a forecast row covers the seven days from its ``week_start`` with
      ``units / 7`` a day; days without a row have none. ``D(t)`` is the demand of days
      ``0 .. t``.
    - Open supply (open POs, transfers in) counts in full in the position and in the stock
      on hand from its ``expected_date``; an overdue line (expected before ``as_of``) is
      counted as arriving on ``as_of``, and the explanation says so.
    - Stock position ``IP(t) = on hand - reserved + all open supply + requirements already
      raised - D(t)``.
    - On a day where ``IP(t) <= reorder point`` a requirement is raised (at most one a day):
      ``max(order_up_to - IP(t), order_quantity)`` when the order-up-to level is set, else
      the smallest multiple of the order quantity that lifts the position above the reorder
      point (one order quantity unless the position is already far below it); rounded up to
      whole units, at least one. Its quantity joins the position and the walk goes on, so a
      long horizon gets several requirements.
    - Projected on hand ``OH(s) = on hand - reserved + supply expected by s + earlier
      requirements from their need-by day - D(s)``, projected beyond the horizon for the
      longest lead time (forecast rows there count, days without one have no demand).
    - Need-by: ``order_by + lead time`` (the mean lead time rounded to days); earlier, the
      first day from ``order_by`` on where ``OH`` falls below the safety stock (no safety
      stock: below zero), so never before ``as_of``. Such a requirement cannot arrive in
      time if ordered on its order-by day: it is ``urgent``.

    Rows whose ``policy_status`` is not ``planned``, or planned without a reorder point,
    an order quantity or order-up-to level, or a lead time, are listed in ``skipped``.

    Parameters
    ----------
    policies
        ``sku_id``, ``warehouse_id`` and :data:`POLICY_COLUMNS` (the inventory policy
        table's columns), one row per key.
    stock
        Keys, ``on_hand_units``, ``reserved_units``; a missing key has no stock.
    open_supply
        Keys, ``expected_date``, ``open_units`` (still to be received).
    forecast
        Keys, ``week_start`` (a Monday), ``units`` of that week.
    projection_skus
        SKUs whose daily projection is returned; ``None`` for every netted row.

    Examples
    --------
    >>> import polars as pl
    >>> day = dt.date(2026, 1, 5)
    >>> policies = pl.DataFrame({"sku_id": ["A"], "warehouse_id": ["W"],
    ...     "policy_status": ["planned"], "safety_stock_units": [20.0],
    ...     "reorder_point_units": [90.0], "order_up_to_level_units": [200.0],
    ...     "order_quantity_units": [50.0], "lead_time_mean_days": [7.0]})
    >>> stock = pl.DataFrame({"sku_id": ["A"], "warehouse_id": ["W"],
    ...     "on_hand_units": [150], "reserved_units": [0]})
    >>> supply = pl.DataFrame(schema={"sku_id": pl.String, "warehouse_id": pl.String,
    ...     "expected_date": pl.Date, "open_units": pl.Int64})
    >>> forecast = pl.DataFrame({"sku_id": ["A"] * 2, "warehouse_id": ["W"] * 2,
    ...     "week_start": [day, day + dt.timedelta(7)], "units": [70.0, 70.0]})
    >>> result = net_requirements(policies, stock, supply, forecast, as_of=day,
    ...     horizon_days=14)
    >>> result.requirements.select("order_by_date", "need_by_date", "quantity_units").row(0)
    (datetime.date(2026, 1, 10), datetime.date(2026, 1, 17), 110)
    """
    if horizon_days < 1:
        raise DataError("net_requirements needs a horizon of at least one day")
    _require(policies, "policies", POLICY_COLUMNS)
    _require(stock, "stock", STOCK_COLUMNS)
    _require(open_supply, "open_supply", SUPPLY_COLUMNS)
    _require(forecast, "forecast", FORECAST_COLUMNS)
    if policies.select(KEYS).is_duplicated().any():
        raise DataError("policies has more than one row for some SKU x warehouse")
    rows, skipped = _split_rows(policies)
    policy = _policy_arrays(rows)
    days = horizon_days + int(policy.lead_time_days.max(initial=0))
    base = _project(rows, stock, open_supply, forecast, as_of, days)
    raised, arrived = _walk(policy, base, horizon_days)
    chosen = _projection_rows(rows, projection_skus)
    return NetRequirements(
        requirements=_requirements_frame(rows, policy, base, raised, as_of),
        projection=_projection_frame(rows, chosen, base, arrived, raised, as_of, horizon_days),
        skipped=skipped,
    )


def _require(frame: pl.DataFrame, name: str, columns: tuple[str, ...]) -> None:
    missing = [c for c in (*KEYS, *columns) if c not in frame.columns]
    if missing:
        raise DataError(f"{name} lacks the column(s) {', '.join(missing)}")


def _split_rows(policies: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The rows to net, and the others with the reason they are not netted."""
    reason = (
        pl.when(pl.col("policy_status").fill_null("no_policy_status") != PLANNED)
        .then(pl.col("policy_status").fill_null("no_policy_status"))
        .when(pl.col("reorder_point_units").is_null() | pl.col("reorder_point_units").is_nan())
        .then(pl.lit("no_reorder_point"))
        .when(
            pl.col("order_up_to_level_units").fill_nan(None).is_null()
            & pl.col("order_quantity_units").fill_nan(None).is_null()
        )
        .then(pl.lit("no_order_quantity"))
        .when(pl.col("lead_time_mean_days").fill_nan(None).is_null())
        .then(pl.lit("no_lead_time"))
        .alias("reason")
    )
    marked = policies.with_columns(
        pl.col(c).cast(pl.Float64) for c in POLICY_COLUMNS if c != "policy_status"
    ).with_columns(reason)
    rows = marked.filter(pl.col("reason").is_null()).drop("reason").sort(KEYS)
    skipped = marked.filter(pl.col("reason").is_not_null()).select(*KEYS, "reason").sort(KEYS)
    return rows, skipped


def _floats(rows: pl.DataFrame, name: str) -> FloatArray:
    return rows.get_column(name).fill_nan(None).to_numpy().astype(np.float64)


def _policy_arrays(rows: pl.DataFrame) -> _Policy:
    safety = _floats(rows, "safety_stock_units")
    lead = np.maximum(np.rint(_floats(rows, "lead_time_mean_days")), 0.0)
    return _Policy(
        safety_stock_units=np.where(np.isnan(safety), 0.0, safety),
        reorder_point_units=_floats(rows, "reorder_point_units"),
        order_up_to_level_units=_floats(rows, "order_up_to_level_units"),
        order_quantity_units=_floats(rows, "order_quantity_units"),
        lead_time_days=lead.astype(np.int64),
    )


def _row_index(rows: pl.DataFrame, frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` joined to the netted rows: its ``_row`` is the row's position."""
    index = rows.select(KEYS).with_row_index("_row")
    keyed = frame.with_columns(pl.col(k).cast(rows.schema[k]) for k in KEYS)
    return keyed.join(index, on=list(KEYS), how="inner")


def _day_offsets(frame: pl.DataFrame, column: str, as_of: dt.date) -> IntArray:
    offset = frame.select((pl.col(column) - pl.lit(as_of)).dt.total_days()).to_series()
    return offset.to_numpy().astype(np.int64)


def _add_up(rows: int, days: int, row: IntArray, day: IntArray, units: FloatArray) -> FloatArray:
    """``rows x days`` totals of ``units`` at (``row``, ``day``); other days are left out."""
    inside = (day >= 0) & (day < days)
    flat = row[inside] * days + day[inside]
    totals = np.bincount(flat, weights=units[inside], minlength=rows * days)
    return totals.astype(np.float64, copy=False).reshape(rows, days)


def _cumulative_demand(
    rows: pl.DataFrame, forecast: pl.DataFrame, as_of: dt.date, days: int
) -> FloatArray:
    """Forecast units of days ``0 .. t``, ``rows x days``: a week's units spread over its days.

    Weeks are laid on one grid per weekday they start on (a single grid for Monday weeks),
    added up per row and week, then read back a day at a time.
    """
    weeks = _row_index(rows, forecast.select(*KEYS, *FORECAST_COLUMNS))
    start = _day_offsets(weeks, "week_start", as_of)
    row = weeks.get_column("_row").to_numpy().astype(np.int64)
    rate = weeks.get_column("units").cast(pl.Float64).fill_null(0.0).to_numpy() / 7.0
    demand = None
    for phase in np.unique(start % 7):
        first = int(phase) - 7
        on_grid = start % 7 == phase
        week = (start[on_grid] - first) // 7
        grid = _add_up(rows.height, (days - first + 6) // 7, row[on_grid], week, rate[on_grid])
        daily = grid[:, (np.arange(days) - first) // 7]
        demand = daily if demand is None else np.add(demand, daily, out=demand)
    if demand is None:
        demand = np.zeros((rows.height, days))
    return np.cumsum(demand, axis=1, out=demand)


def _supply(
    rows: pl.DataFrame, open_supply: pl.DataFrame, as_of: dt.date, days: int
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Open supply received by each day (overdue lines on day 0); per row its total and
    the overdue part."""
    lines = _row_index(rows, open_supply.select(*KEYS, *SUPPLY_COLUMNS))
    row = lines.get_column("_row").to_numpy().astype(np.int64)
    units = lines.get_column("open_units").cast(pl.Float64).fill_null(0.0).to_numpy()
    offset = _day_offsets(lines, "expected_date", as_of)
    total = np.bincount(row, weights=units, minlength=rows.height).astype(np.float64)
    late = np.where(offset < 0, units, 0.0)
    overdue = np.bincount(row, weights=late, minlength=rows.height).astype(np.float64)
    received = _add_up(rows.height, days, row, np.maximum(offset, 0), units)
    return np.cumsum(received, axis=1, out=received), total, overdue


def _available(rows: pl.DataFrame, stock: pl.DataFrame) -> FloatArray:
    """On hand less reserved per row; rows without stock have none."""
    levels = stock.group_by(KEYS).agg(
        (pl.col("on_hand_units").fill_null(0) - pl.col("reserved_units").fill_null(0))
        .cast(pl.Float64)
        .sum()
        .alias("available")
    )
    joined = _row_index(rows, levels)
    row = joined.get_column("_row").to_numpy().astype(np.int64)
    units = joined.get_column("available").to_numpy().astype(np.float64)
    return np.bincount(row, weights=units, minlength=rows.height).astype(np.float64)


def _project(
    rows: pl.DataFrame,
    stock: pl.DataFrame,
    open_supply: pl.DataFrame,
    forecast: pl.DataFrame,
    as_of: dt.date,
    days: int,
) -> _Projection:
    cumulative = _cumulative_demand(rows, forecast, as_of, days)
    on_hand, supply_total, overdue = _supply(rows, open_supply, as_of, days)
    available = _available(rows, stock)
    on_hand -= cumulative
    on_hand += available[:, None]
    return _Projection(cumulative, on_hand, available + supply_total, overdue)


def _order_quantity(position: FloatArray, policy: _Policy, due: IntArray) -> IntArray:
    """Units to order for the ``due`` rows at ``position`` (see :func:`net_requirements`)."""
    up_to = policy.order_up_to_level_units[due]
    lot = np.nan_to_num(policy.order_quantity_units[due], nan=0.0)
    reorder = policy.reorder_point_units[due]
    lots = np.floor((reorder - position) / np.where(lot > 0, lot, 1.0) + TOLERANCE_UNITS) + 1.0
    raw = np.where(np.isnan(up_to), lots * lot, np.maximum(up_to - position, lot))
    return np.maximum(np.ceil(raw - TOLERANCE_UNITS), 1.0).astype(np.int64)


def _need_by(
    base: _Projection, arrived: _Arrivals, due: IntArray, day: int, policy: _Policy
) -> tuple[IntArray, FloatArray, npt.NDArray[np.bool_]]:
    """Need-by day of requirements raised on ``day``, on hand then, and whether urgent."""
    lead = policy.lead_time_days[due]
    end = day + int(lead.max(initial=0)) + 1
    window = base.on_hand_units[due, day:end] + arrived.before_today_units[due, None]
    pending = arrived.last_day[due] >= day
    if pending.any():
        window[pending] += np.cumsum(arrived.units[due[pending], day:end], axis=1)
    short = np.arange(end - day) < lead[:, None]
    short &= window < policy.safety_stock_units[due, None] - TOLERANCE_UNITS
    urgent = np.asarray(short.any(axis=1), dtype=np.bool_)
    need = np.where(urgent, short.argmax(axis=1), lead).astype(np.int64)
    return day + need, window[np.arange(due.size), need], urgent


def _walk(policy: _Policy, base: _Projection, horizon_days: int) -> tuple[_Raised, _Arrivals]:
    """Raise the requirements day by day; each is received on its need-by day."""
    position = base.position_start_units.copy()
    arrived = _Arrivals(
        np.zeros_like(base.on_hand_units),
        np.zeros_like(position),
        np.full(position.size, -1, dtype=np.int64),
    )
    parts: list[tuple[IntArray, ...]] = []
    floats: list[tuple[FloatArray, ...]] = []
    flags: list[npt.NDArray[np.bool_]] = []
    for day in range(horizon_days):
        if day > 0:
            np.add(
                arrived.before_today_units,
                arrived.units[:, day - 1],
                out=arrived.before_today_units,
            )
        today = position - base.cumulative_demand_units[:, day]
        due = np.flatnonzero(today <= policy.reorder_point_units + TOLERANCE_UNITS)
        if due.size == 0:
            continue
        quantity = _order_quantity(today[due], policy, due)
        need, stock_then, urgent = _need_by(base, arrived, due, day, policy)
        position[due] += quantity
        arrived.units[due, need] += quantity
        arrived.last_day[due] = np.maximum(arrived.last_day[due], need)
        parts.append((due.astype(np.int64), np.full(due.size, day), need, quantity))
        floats.append((today[due], stock_then))
        flags.append(urgent)
    return _collect(parts, floats, flags), arrived


def _collect(
    parts: list[tuple[IntArray, ...]],
    floats: list[tuple[FloatArray, ...]],
    flags: list[npt.NDArray[np.bool_]],
) -> _Raised:
    """The requirements of all days, ordered by row and order day."""

    def ints(i: int) -> IntArray:
        return np.concatenate([p[i] for p in parts]) if parts else np.zeros(0, dtype=np.int64)

    def reals(i: int) -> FloatArray:
        return np.concatenate([f[i] for f in floats]) if floats else np.zeros(0)

    urgent = np.concatenate(flags) if flags else np.zeros(0, dtype=np.bool_)
    order = np.lexsort((ints(1), ints(0)))
    return _Raised(
        ints(0)[order],
        ints(1)[order],
        ints(2)[order],
        ints(3)[order],
        reals(0)[order],
        reals(1)[order],
        urgent[order],
    )


def _dates(as_of: dt.date, offsets: IntArray) -> pl.Series:
    return pl.Series(np.datetime64(as_of, "D") + offsets.astype("timedelta64[D]"))


def _requirements_frame(
    rows: pl.DataFrame, policy: _Policy, base: _Projection, raised: _Raised, as_of: dt.date
) -> pl.DataFrame:
    if raised.row.size == 0:
        return pl.DataFrame(schema=_schema(rows))
    keys = rows.select(KEYS)[raised.row]
    frame = keys.with_columns(
        _dates(as_of, raised.order_day).alias("order_by_date"),
        _dates(as_of, raised.need_day).alias("need_by_date"),
        pl.Series("quantity_units", raised.quantity_units, dtype=pl.Int64),
        pl.Series("projected_position_units", raised.position_units, dtype=pl.Float64),
        pl.Series("projected_on_hand_units", raised.on_hand_units, dtype=pl.Float64),
        pl.Series("urgent", raised.urgent, dtype=pl.Boolean),
        pl.Series("_first_day", raised.order_day == 0),
        pl.Series("_reorder", policy.reorder_point_units[raised.row]),
        pl.Series("_up_to", policy.order_up_to_level_units[raised.row], nan_to_null=True),
        pl.Series("_safety", policy.safety_stock_units[raised.row]),
        pl.Series("_lead", policy.lead_time_days[raised.row]),
        pl.Series("_overdue", base.overdue_units[raised.row]),
    )
    explained = frame.with_columns(_explanation(as_of))
    numbered = explained.with_row_index("requirement_id", offset=1)
    return numbered.select(
        pl.col("requirement_id").cast(pl.Int64),
        *[c for c in REQUIREMENT_SCHEMA if c in KEYS],
        *[pl.col(c) for c in REQUIREMENT_SCHEMA if c not in (*KEYS, "requirement_id")],
    )


def _schema(rows: pl.DataFrame) -> dict[str, pl.DataType]:
    return {name: rows.schema.get(name, dtype) for name, dtype in REQUIREMENT_SCHEMA.items()}


def _number(expr: pl.Expr) -> pl.Expr:
    """A quantity as a planner reads it: to one decimal, whole numbers bare."""
    return expr.round(1).cast(pl.String).str.strip_suffix(".0").replace("-0", "0")


def _explanation(as_of: dt.date) -> pl.Expr:
    position = _number(pl.col("projected_position_units"))
    trigger = pl.format(
        "stock position {} {} the reorder point {} on {}",
        position,
        pl.when(pl.col("_first_day"))
        .then(pl.lit("is already at or below"))
        .otherwise(pl.lit("falls to")),
        _number(pl.col("_reorder")),
        pl.col("order_by_date"),
    )
    after = _number(pl.col("projected_position_units") + pl.col("quantity_units"))
    order = pl.format(
        "ordering {} {} {}",
        pl.col("quantity_units"),
        pl.when(pl.col("_up_to").is_null())
        .then(pl.lit("(order quantity), position"))
        .otherwise(pl.lit("up to")),
        after,
    )
    plain = pl.format("needed by {} (lead time {} days)", pl.col("need_by_date"), pl.col("_lead"))
    early = pl.format(
        "needed by {}, when on hand {} falls below the safety stock {}, inside the {}-day "
        "lead time: urgent",
        pl.col("need_by_date"),
        _number(pl.col("projected_on_hand_units")),
        _number(pl.col("_safety")),
        pl.col("_lead"),
    )
    need = pl.when(pl.col("urgent")).then(early).otherwise(plain)
    overdue = pl.when(pl.col("_overdue") > 0).then(
        pl.format(
            "counting {} overdue units as received on {}",
            _number(pl.col("_overdue")),
            pl.lit(as_of.isoformat()),
        )
    )
    parts = [trigger, order, need, overdue]
    return pl.concat_str(parts, separator="; ", ignore_nulls=True).alias("explanation")


def _projection_rows(rows: pl.DataFrame, skus: Collection[str] | None) -> IntArray:
    if skus is None:
        return np.arange(rows.height, dtype=np.int64)
    chosen = rows.get_column("sku_id").is_in(list(skus)).to_numpy()
    return np.flatnonzero(chosen).astype(np.int64)


def _projection_frame(
    rows: pl.DataFrame,
    chosen: IntArray,
    base: _Projection,
    arrived: _Arrivals,
    raised: _Raised,
    as_of: dt.date,
    horizon_days: int,
) -> pl.DataFrame:
    """Daily on hand and position of the chosen rows, every requirement counted."""
    slot = np.full(rows.height, -1, dtype=np.int64)
    slot[chosen] = np.arange(chosen.size)
    kept = slot[raised.row] >= 0
    ordered = _add_up(
        chosen.size,
        horizon_days,
        slot[raised.row][kept],
        raised.order_day[kept],
        raised.quantity_units[kept].astype(np.float64),
    )
    position = np.cumsum(ordered, axis=1) + base.position_start_units[chosen, None]
    position -= base.cumulative_demand_units[chosen, :horizon_days]
    on_hand = np.cumsum(arrived.units[chosen, :horizon_days], axis=1)
    on_hand += base.on_hand_units[chosen, :horizon_days]
    keys = rows.select(KEYS)[np.repeat(chosen, horizon_days)]
    days = np.tile(np.arange(horizon_days, dtype=np.int64), chosen.size)
    return keys.with_columns(
        _dates(as_of, days).alias("date"),
        pl.Series("on_hand_units", on_hand.ravel(), dtype=pl.Float64),
        pl.Series("position_units", position.ravel(), dtype=pl.Float64),
    )
