"""What a buyer needs to negotiate with one supplier: prices paid, alternatives, volume levers.

Money is in US dollars, converted at ``currencies.usd_per_unit``. An order line counts once
its purchase order was sent (``ordered_date`` set, status not cancelled), for its units not
cancelled. An offer is *current* on ``as_of`` when ``valid_from <= as_of <= valid_to`` (an
empty ``valid_to`` is open-ended); of several current offers of one supplier for one SKU, the
one valid from the latest date applies. Offer tiers are all-units discounts priced landed::

    landed_unit_cost_usd = unit_price x usd_per_unit x (1 + duty_rate) + freight_usd_per_unit

at the tier an order quantity reaches: the largest ``min_quantity_units`` not above it, or the
first tier for a smaller quantity (the order is raised to it). Changes, gaps and shares named
``*_pct`` are percentages (4.0 is 4 %).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from shopops.domain.supply import PurchaseOrderStatus, SupplierStatus
from shopops.errors import DataError

LINE_KEYS = ("sku_id", "supplier_id", "month")
BRIEF_TABLES = (
    "suppliers",
    "supplier_certifications",
    "supplier_offers",
    "offer_price_tiers",
    "currencies",
    "purchase_orders",
    "purchase_order_lines",
    "skus",
    "categories",
)
SCORECARD_COLUMNS = ("period", "metric", "value", "score", "standing")
CERTIFICATE_WARNING_DAYS = 90


def price_history(
    po_lines: pl.DataFrame,
    purchase_orders: pl.DataFrame,
    currencies: pl.DataFrame,
    *,
    supplier_id: str | None = None,
    sku_id: str | None = None,
) -> pl.DataFrame:
    """Prices paid per SKU x supplier x month, to show how a supplier's prices moved.

    ``avg_unit_price_usd`` is value-weighted (value / units of the month's lines);
    ``price_change_pct`` compares it with the previous month in which the SKU was ordered
    from that supplier (empty for the first).

    Returns
    -------
    polars.DataFrame
        ``sku_id``, ``supplier_id``, ``month`` (first day), ``units_ordered``, ``value_usd``,
        ``avg_unit_price_usd``, ``min_unit_price_usd``, ``max_unit_price_usd``,
        ``price_change_pct``; sorted by SKU, supplier and month.
    """
    lines = _ordered_lines(po_lines, purchase_orders, currencies)
    if supplier_id is not None:
        lines = lines.filter(pl.col("supplier_id") == supplier_id)
    if sku_id is not None:
        lines = lines.filter(pl.col("sku_id") == sku_id)
    return _monthly_prices(lines)


def best_alternatives(
    offers: pl.DataFrame,
    tiers: pl.DataFrame,
    currencies: pl.DataFrame,
    suppliers: pl.DataFrame,
    *,
    supplier_id: str,
    as_of: dt.date,
    quantities: pl.DataFrame,
) -> pl.DataFrame:
    """Each SKU the supplier offers on ``as_of`` beside its best alternative (the BATNA).

    Both are priced landed at the tier our typical order quantity reaches (``quantities``:
    ``sku_id``, ``quantity_units``; a SKU missing there is priced at the first tier). The
    alternative is the cheapest current offer of another supplier that is not blocked;
    ties go to an approved supplier, then the shorter lead time.

    Returns
    -------
    polars.DataFrame
        ``sku_id``, ``offer_id``, ``quantity_units``, ``tier_units``,
        ``landed_unit_cost_usd``, ``lead_time_days``, ``alternative_supplier_id``,
        ``alternative_supplier_name``, ``alternative_offer_id``, ``alternative_tier_units``,
        ``alternative_landed_unit_cost_usd``, ``alternative_lead_time_days``,
        ``alternative_moq_units``, ``alternative_saving_usd_per_unit`` (own minus
        alternative: positive when the alternative is cheaper), ``alternative_saving_pct``
        (of our landed cost) and ``batna``: ``"cheaper alternative"``, ``"no cheaper
        alternative"`` or ``"no alternative"``.
    """
    landed = _landed_tiers(offers, tiers, currencies)
    current = _current_offers(offers, as_of).join(
        suppliers.select(
            "supplier_id",
            pl.col("name").alias("supplier_name"),
            pl.col("status").alias("supplier_status"),
        ),
        on="supplier_id",
        how="left",
    )
    own = _priced(
        current.filter(pl.col("supplier_id") == supplier_id)
        .join(quantities.select("sku_id", "quantity_units"), on="sku_id", how="left")
        .select(
            "sku_id",
            "offer_id",
            pl.col("quantity_units").cast(pl.Float64),
            pl.col("lead_time_mean_days").alias("lead_time_days"),
        ),
        landed,
        "quantity_units",
    ).rename({"unit_cost_usd": "landed_unit_cost_usd"})
    return _with_batna(own, _cheapest_others(current, own, landed, supplier_id=supplier_id))


def volume_commitment_savings(
    offers: pl.DataFrame,
    tiers: pl.DataFrame,
    currencies: pl.DataFrame,
    forecast: pl.DataFrame,
    po_lines: pl.DataFrame,
    purchase_orders: pl.DataFrame,
    *,
    supplier_id: str,
    as_of: dt.date,
    horizon_weeks: int,
    orders_per_period: int,
    lookback_days: int = 365,
) -> pl.DataFrame:
    """What committing the supplier's forecast volume would save, per SKU, over the horizon.

    The supplier's volume of a SKU x warehouse is the forecast ``units`` of the weeks
    starting in ``[as_of, as_of + 7 x horizon_weeks)`` times the supplier's share of the
    units that warehouse bought of the SKU over the ``lookback_days`` up to ``as_of``.
    It is bought in ``orders_per_period`` orders over the horizon. Today each warehouse
    orders on its own, so its order quantity is its volume / ``orders_per_period`` and
    reaches the tier of that quantity. Committed, one order per SKU covers every warehouse
    (tiers are per SKU offer), so the order quantity is the SKU's volume /
    ``orders_per_period`` and may reach a higher tier::

        saving_usd = sum_w volume_w x cost(volume_w / n) - volume x cost(volume / n)

    The next step up is the next tier above the committed order quantity:
    ``extra_units_per_order`` more units per order (``extra_units`` over the horizon) would
    cut the unit cost by ``next_tier_price_cut_pct`` and save ``next_tier_saving_usd`` on
    the forecast volume.

    Returns
    -------
    polars.DataFrame
        One row per SKU with volume: ``sku_id``, ``offer_id``, ``warehouses``,
        ``horizon_units``, ``today_cost_usd``, ``today_unit_cost_usd``, ``order_units``,
        ``committed_tier_units``, ``committed_unit_cost_usd``, ``committed_cost_usd``,
        ``saving_usd``, ``saving_pct``, ``next_tier_units``, ``next_unit_cost_usd``,
        ``extra_units_per_order``, ``extra_units``, ``next_tier_price_cut_pct``,
        ``next_tier_saving_usd`` (the ``next_*`` and ``extra_*`` columns are empty at the
        top tier); sorted by SKU.
    """
    if horizon_weeks < 1 or orders_per_period < 1 or lookback_days < 1:
        raise DataError("horizon_weeks, orders_per_period and lookback_days must be at least 1")
    own = _current_offers(offers, as_of).filter(pl.col("supplier_id") == supplier_id)
    volume = _supplier_volume(
        forecast,
        _ordered_lines(po_lines, purchase_orders, currencies),
        supplier_id=supplier_id,
        as_of=as_of,
        horizon_weeks=horizon_weeks,
        lookback_days=lookback_days,
    ).join(own.select("sku_id", "offer_id"), on="sku_id", how="inner")
    landed = _landed_tiers(offers, tiers, currencies)
    per_order = (pl.col("horizon_units") / orders_per_period).alias("order_units")
    today = (
        _priced(volume.with_columns(per_order), landed, "order_units")
        .group_by("sku_id")
        .agg(
            pl.len().alias("warehouses"),
            (pl.col("horizon_units") * pl.col("unit_cost_usd")).sum().alias("today_cost_usd"),
        )
    )
    committed = _priced(
        volume.group_by("sku_id", "offer_id")
        .agg(pl.col("horizon_units").sum())
        .with_columns(per_order),
        landed,
        "order_units",
    )
    return _commitment_columns(committed.join(today, on="sku_id"), orders_per_period)


@dataclass(frozen=True, slots=True)
class SupplierFacts:
    """Who the supplier is and how risky: one row of ``suppliers``."""

    supplier_id: str
    name: str
    country_code: str
    city: str
    currency_code: str
    status: str
    payment_terms_days: int
    country_risk_score: float
    financial_risk_score: float
    compliance_risk_score: float


@dataclass(frozen=True, slots=True)
class NegotiationBriefData:
    """Everything a one-page negotiation brief shows for one supplier.

    Spend covers the 12 calendar months ``window_start`` .. ``as_of`` (the month of
    ``as_of`` included); BATNA and volume savings cover the ``horizon_weeks`` after it.

    Frames: ``certifications`` (``certification``, ``expiry_date``, ``days_to_expiry``,
    ``standing``: valid, expiring or expired); ``spend_by_month`` (``month``,
    ``spend_usd``, every month of the window); ``spend_by_category`` (``category_id``,
    ``category_name``, ``spend_usd``, ``category_spend_usd`` of all suppliers,
    ``share_of_category_pct``); ``price_history`` as :func:`price_history` over the
    window; ``price_changes`` per SKU (``first_month``, ``first_unit_price_usd``,
    ``last_month``, ``last_unit_price_usd``, ``spend_usd``, ``price_change_pct``,
    ``sku_name``); ``alternatives`` as :func:`best_alternatives` plus ``units_ordered``,
    ``spend_usd``, ``horizon_units`` and ``sku_name``, by spend; ``volume`` as
    :func:`volume_commitment_savings`; ``scorecard`` as given (:data:`SCORECARD_COLUMNS`).
    """

    supplier: SupplierFacts
    as_of: dt.date
    window_start: dt.date
    horizon_weeks: int
    certifications: pl.DataFrame
    spend_usd: float
    spend_by_month: pl.DataFrame
    spend_by_category: pl.DataFrame
    category_share_pct: float | None
    price_history: pl.DataFrame
    price_changes: pl.DataFrame
    price_trend_pct: float | None
    alternatives: pl.DataFrame
    batna_saving_usd: float
    volume: pl.DataFrame
    volume_saving_usd: float
    scorecard: pl.DataFrame | None = None


def negotiation_brief_data(
    tables: Mapping[str, pl.DataFrame],
    forecast: pl.DataFrame,
    *,
    supplier_id: str,
    as_of: dt.date,
    horizon_weeks: int,
    orders_per_period: int,
    scorecard: pl.DataFrame | None = None,
) -> NegotiationBriefData:
    """Gather the brief of ``supplier_id`` from the tables named in :data:`BRIEF_TABLES`.

    Our typical order quantity of a SKU (for the BATNA) is the mean units of its order lines
    to the supplier over the window; ``batna_saving_usd`` is what matching each cheaper
    alternative would save on the supplier's forecast volume over the horizon.
    ``scorecard`` rows (:data:`SCORECARD_COLUMNS`) are passed through. ``price_trend_pct``
    is the spend-weighted mean of each SKU's change from its first to its last month.
    """
    _check_brief_inputs(tables, scorecard)
    window_start = _months_before(as_of.replace(day=1), 11)
    lines = _ordered_lines(
        tables["purchase_order_lines"], tables["purchase_orders"], tables["currencies"]
    ).filter(pl.col("ordered_date").is_between(window_start, as_of))
    own = lines.filter(pl.col("supplier_id") == supplier_id)
    volume = volume_commitment_savings(
        tables["supplier_offers"],
        tables["offer_price_tiers"],
        tables["currencies"],
        forecast,
        tables["purchase_order_lines"],
        tables["purchase_orders"],
        supplier_id=supplier_id,
        as_of=as_of,
        horizon_weeks=horizon_weeks,
        orders_per_period=orders_per_period,
    )
    alternatives = _brief_alternatives(tables, own, volume, supplier_id=supplier_id, as_of=as_of)
    history = _monthly_prices(own)
    changes = _price_changes(history, tables["skus"])
    by_category = _spend_by_category(lines, own, tables["skus"], tables["categories"])
    return NegotiationBriefData(
        supplier=_supplier_facts(tables["suppliers"], supplier_id),
        as_of=as_of,
        window_start=window_start,
        horizon_weeks=horizon_weeks,
        certifications=_certifications(tables["supplier_certifications"], supplier_id, as_of),
        spend_usd=float(own["value_usd"].sum()),
        spend_by_month=_spend_by_month(own, window_start, as_of),
        spend_by_category=by_category,
        category_share_pct=_share_pct(by_category["spend_usd"], by_category["category_spend_usd"]),
        price_history=history,
        price_changes=changes,
        price_trend_pct=_weighted_change_pct(changes),
        alternatives=alternatives,
        batna_saving_usd=_batna_saving_usd(alternatives),
        volume=volume,
        volume_saving_usd=float(volume["saving_usd"].sum()),
        scorecard=scorecard.select(SCORECARD_COLUMNS).sort("period", "metric")
        if scorecard is not None
        else None,
    )


def _check_brief_inputs(tables: Mapping[str, pl.DataFrame], scorecard: pl.DataFrame | None) -> None:
    missing = [name for name in BRIEF_TABLES if name not in tables]
    if missing:
        raise DataError(f"negotiation brief needs the tables {', '.join(missing)}")
    if scorecard is not None and (absent := set(SCORECARD_COLUMNS) - set(scorecard.columns)):
        raise DataError(f"scorecard lacks the columns {', '.join(sorted(absent))}")


def _batna_saving_usd(alternatives: pl.DataFrame) -> float:
    """What matching every cheaper alternative would save on the horizon volume."""
    gain = alternatives["alternative_saving_usd_per_unit"].clip(lower_bound=0.0)
    return float((gain * alternatives["horizon_units"]).sum())


def _ordered_lines(
    po_lines: pl.DataFrame, purchase_orders: pl.DataFrame, currencies: pl.DataFrame
) -> pl.DataFrame:
    """Order lines sent to suppliers, net of cancelled units, priced in US dollars."""
    sent = purchase_orders.filter(
        pl.col("ordered_date").is_not_null()
        & (pl.col("status") != PurchaseOrderStatus.CANCELLED.value)
    ).select("po_id", "supplier_id", "warehouse_id", "currency_code", "ordered_date")
    return (
        po_lines.join(sent, on="po_id", how="inner")
        .join(currencies.select("currency_code", "usd_per_unit"), on="currency_code", how="left")
        .with_columns(
            (pl.col("quantity_units") - pl.col("cancelled_units")).alias("units"),
            (pl.col("unit_price") * pl.col("usd_per_unit")).alias("unit_price_usd"),
            pl.col("ordered_date").dt.truncate("1mo").alias("month"),
        )
        .filter(pl.col("units") > 0)
        .with_columns((pl.col("units") * pl.col("unit_price_usd")).alias("value_usd"))
        .select(
            "sku_id",
            "supplier_id",
            "warehouse_id",
            "ordered_date",
            "month",
            "units",
            "unit_price_usd",
            "value_usd",
        )
    )


def _monthly_prices(lines: pl.DataFrame) -> pl.DataFrame:
    """Order lines summed per SKU x supplier x month (see :func:`price_history`)."""
    average = pl.col("value_usd") / pl.col("units_ordered")
    previous = pl.col("avg_unit_price_usd").shift(1).over(["sku_id", "supplier_id"])
    return (
        lines.group_by(LINE_KEYS)
        .agg(
            pl.col("units").sum().alias("units_ordered"),
            pl.col("value_usd").sum(),
            pl.col("unit_price_usd").min().alias("min_unit_price_usd"),
            pl.col("unit_price_usd").max().alias("max_unit_price_usd"),
        )
        .with_columns(average.alias("avg_unit_price_usd"))
        .sort(LINE_KEYS)
        .with_columns(
            ((pl.col("avg_unit_price_usd") / previous - 1.0) * 100.0).alias("price_change_pct")
        )
        .select(
            *LINE_KEYS,
            "units_ordered",
            "value_usd",
            "avg_unit_price_usd",
            "min_unit_price_usd",
            "max_unit_price_usd",
            "price_change_pct",
        )
    )


def _current_offers(offers: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    """Offers valid on ``as_of``, the latest one per supplier x SKU."""
    valid = (pl.col("valid_from") <= as_of) & (
        pl.col("valid_to").is_null() | (pl.col("valid_to") >= as_of)
    )
    return (
        offers.filter(valid)
        .sort("valid_from", descending=True)
        .unique(["supplier_id", "sku_id"], keep="first", maintain_order=True)
    )


def _landed_tiers(
    offers: pl.DataFrame, tiers: pl.DataFrame, currencies: pl.DataFrame
) -> pl.DataFrame:
    """Each offer's tiers as landed US dollars per unit: offer_id, tier_units, unit_cost_usd."""
    landed = pl.col("unit_price") * pl.col("usd_per_unit") * (1.0 + pl.col("duty_rate")) + pl.col(
        "freight_usd_per_unit"
    )
    return (
        tiers.join(
            offers.select("offer_id", "currency_code", "duty_rate", "freight_usd_per_unit"),
            on="offer_id",
            how="inner",
        )
        .join(currencies.select("currency_code", "usd_per_unit"), on="currency_code", how="left")
        .select(
            "offer_id",
            pl.col("min_quantity_units").cast(pl.Float64).alias("tier_units"),
            landed.alias("unit_cost_usd"),
        )
    )


def _priced(frame: pl.DataFrame, landed: pl.DataFrame, quantity: str) -> pl.DataFrame:
    """``frame`` with the tier its ``quantity`` reaches on its ``offer_id`` and the next one:
    ``tier_units``, ``unit_cost_usd``, ``next_tier_units``, ``next_unit_cost_usd``."""
    rows = frame.with_row_index("_row")
    reached = pl.col("tier_units") <= pl.max_horizontal(
        pl.col(quantity), pl.col("tier_units").min().over("_row")
    )
    candidates = (
        rows.select("_row", "offer_id", quantity)
        .join(landed, on="offer_id", how="inner")
        .sort("_row", "tier_units")
        .with_columns(reached.alias("_reached"))
    )
    picked = candidates.group_by("_row").agg(
        pl.col("tier_units").filter("_reached").last(),
        pl.col("unit_cost_usd").filter("_reached").last(),
        pl.col("tier_units").filter(~pl.col("_reached")).first().alias("next_tier_units"),
        pl.col("unit_cost_usd").filter(~pl.col("_reached")).first().alias("next_unit_cost_usd"),
    )
    return rows.join(picked, on="_row", how="left").sort("_row").drop("_row")


def _cheapest_others(
    current: pl.DataFrame, own: pl.DataFrame, landed: pl.DataFrame, *, supplier_id: str
) -> pl.DataFrame:
    """The cheapest current offer per SKU of ``own`` from another, unblocked supplier."""
    others = current.filter(
        (pl.col("supplier_id") != supplier_id)
        & (pl.col("supplier_status") != SupplierStatus.BLOCKED.value)
    ).join(own.select("sku_id", "quantity_units"), on="sku_id", how="inner")
    ranking = ["sku_id", "unit_cost_usd", "_probation", "lead_time_mean_days", "offer_id"]
    return (
        _priced(others, landed, "quantity_units")
        .with_columns(
            (pl.col("supplier_status") != SupplierStatus.APPROVED.value).alias("_probation")
        )
        .sort(ranking)
        .unique("sku_id", keep="first", maintain_order=True)
        .select(
            "sku_id",
            pl.col("supplier_id").alias("alternative_supplier_id"),
            pl.col("supplier_name").alias("alternative_supplier_name"),
            pl.col("offer_id").alias("alternative_offer_id"),
            pl.col("tier_units").alias("alternative_tier_units"),
            pl.col("unit_cost_usd").alias("alternative_landed_unit_cost_usd"),
            pl.col("lead_time_mean_days").alias("alternative_lead_time_days"),
            pl.col("moq_units").alias("alternative_moq_units"),
        )
    )


def _with_batna(own: pl.DataFrame, best: pl.DataFrame) -> pl.DataFrame:
    saving = pl.col("landed_unit_cost_usd") - pl.col("alternative_landed_unit_cost_usd")
    batna = (
        pl.when(pl.col("alternative_offer_id").is_null())
        .then(pl.lit("no alternative"))
        .when(pl.col("alternative_saving_usd_per_unit") > 0)
        .then(pl.lit("cheaper alternative"))
        .otherwise(pl.lit("no cheaper alternative"))
    )
    return (
        own.drop("next_tier_units", "next_unit_cost_usd")
        .join(best, on="sku_id", how="left")
        .with_columns(saving.alias("alternative_saving_usd_per_unit"))
        .with_columns(
            (
                pl.col("alternative_saving_usd_per_unit") / pl.col("landed_unit_cost_usd") * 100.0
            ).alias("alternative_saving_pct"),
            batna.alias("batna"),
        )
        .sort("sku_id")
    )


def _supplier_volume(
    forecast: pl.DataFrame,
    lines: pl.DataFrame,
    *,
    supplier_id: str,
    as_of: dt.date,
    horizon_weeks: int,
    lookback_days: int,
) -> pl.DataFrame:
    """The supplier's share of the forecast per SKU x warehouse: ``horizon_units``."""
    since = as_of - dt.timedelta(days=lookback_days)
    bought = (
        lines.filter((pl.col("ordered_date") > since) & (pl.col("ordered_date") <= as_of))
        .group_by("sku_id", "warehouse_id")
        .agg(
            (
                pl.col("units").filter(pl.col("supplier_id") == supplier_id).sum()
                / pl.col("units").sum()
            ).alias("share")
        )
        .filter(pl.col("share") > 0)
    )
    end = as_of + dt.timedelta(weeks=horizon_weeks)
    demand = (
        forecast.filter((pl.col("week_start") >= as_of) & (pl.col("week_start") < end))
        .group_by("sku_id", "warehouse_id")
        .agg(pl.col("units").sum())
    )
    return (
        demand.join(bought, on=["sku_id", "warehouse_id"], how="inner")
        .select(
            "sku_id", "warehouse_id", (pl.col("units") * pl.col("share")).alias("horizon_units")
        )
        .filter(pl.col("horizon_units") > 0)
    )


def _commitment_columns(frame: pl.DataFrame, orders_per_period: int) -> pl.DataFrame:
    committed = pl.col("horizon_units") * pl.col("committed_unit_cost_usd")
    extra = (pl.col("next_tier_units") - pl.col("order_units")).ceil()
    cut = pl.col("committed_unit_cost_usd") - pl.col("next_unit_cost_usd")
    return (
        frame.rename(
            {"tier_units": "committed_tier_units", "unit_cost_usd": "committed_unit_cost_usd"}
        )
        .with_columns(
            (pl.col("today_cost_usd") / pl.col("horizon_units")).alias("today_unit_cost_usd"),
            committed.alias("committed_cost_usd"),
            (pl.col("today_cost_usd") - committed).alias("saving_usd"),
            ((1.0 - committed / pl.col("today_cost_usd")) * 100.0).alias("saving_pct"),
            extra.alias("extra_units_per_order"),
            (extra * orders_per_period).alias("extra_units"),
            (cut / pl.col("committed_unit_cost_usd") * 100.0).alias("next_tier_price_cut_pct"),
            (cut * pl.col("horizon_units")).alias("next_tier_saving_usd"),
        )
        .select(
            "sku_id",
            "offer_id",
            pl.col("warehouses").cast(pl.Int64),
            "horizon_units",
            "today_cost_usd",
            "today_unit_cost_usd",
            "order_units",
            "committed_tier_units",
            "committed_unit_cost_usd",
            "committed_cost_usd",
            "saving_usd",
            "saving_pct",
            "next_tier_units",
            "next_unit_cost_usd",
            "extra_units_per_order",
            "extra_units",
            "next_tier_price_cut_pct",
            "next_tier_saving_usd",
        )
        .sort("sku_id")
    )


def _brief_alternatives(
    tables: Mapping[str, pl.DataFrame],
    own: pl.DataFrame,
    volume: pl.DataFrame,
    *,
    supplier_id: str,
    as_of: dt.date,
) -> pl.DataFrame:
    """The BATNA table with each SKU's name, window spend and horizon volume, by spend."""
    bought = own.group_by("sku_id").agg(
        pl.col("units").mean().alias("quantity_units"),
        pl.col("units").sum().alias("units_ordered"),
        pl.col("value_usd").sum().alias("spend_usd"),
    )
    table = best_alternatives(
        tables["supplier_offers"],
        tables["offer_price_tiers"],
        tables["currencies"],
        tables["suppliers"],
        supplier_id=supplier_id,
        as_of=as_of,
        quantities=bought,
    )
    return (
        table.join(bought.drop("quantity_units"), on="sku_id", how="left")
        .join(volume.select("sku_id", "horizon_units"), on="sku_id", how="left")
        .join(
            tables["skus"].select("sku_id", pl.col("name").alias("sku_name")),
            on="sku_id",
            how="left",
        )
        .with_columns(
            pl.col("units_ordered").fill_null(0),
            pl.col("spend_usd").fill_null(0.0),
            pl.col("horizon_units").fill_null(0.0),
        )
        .sort(["spend_usd", "sku_id"], descending=[True, False])
    )


def _price_changes(history: pl.DataFrame, skus: pl.DataFrame) -> pl.DataFrame:
    """Per SKU: first and last month's price in ``history`` and the change between them."""
    return (
        history.sort("month")
        .group_by("sku_id")
        .agg(
            pl.col("month").first().alias("first_month"),
            pl.col("avg_unit_price_usd").first().alias("first_unit_price_usd"),
            pl.col("month").last().alias("last_month"),
            pl.col("avg_unit_price_usd").last().alias("last_unit_price_usd"),
            pl.col("value_usd").sum().alias("spend_usd"),
        )
        .with_columns(
            pl.when(pl.col("last_month") > pl.col("first_month"))
            .then((pl.col("last_unit_price_usd") / pl.col("first_unit_price_usd") - 1.0) * 100.0)
            .alias("price_change_pct")
        )
        .join(skus.select("sku_id", pl.col("name").alias("sku_name")), on="sku_id", how="left")
        .sort(["spend_usd", "sku_id"], descending=[True, False])
    )


def _weighted_change_pct(changes: pl.DataFrame) -> float | None:
    moved = changes.filter(pl.col("price_change_pct").is_not_null())
    weight = float(moved["spend_usd"].sum())
    if weight <= 0:
        return None
    return float((moved["price_change_pct"] * moved["spend_usd"]).sum()) / weight


def _spend_by_month(own: pl.DataFrame, window_start: dt.date, as_of: dt.date) -> pl.DataFrame:
    """Spend per month of the window, months without orders included at zero."""
    months = pl.DataFrame(
        {"month": pl.date_range(window_start, as_of.replace(day=1), "1mo", eager=True)}
    )
    spend = own.group_by("month").agg(pl.col("value_usd").sum().alias("spend_usd"))
    return (
        months.join(spend, on="month", how="left")
        .with_columns(pl.col("spend_usd").fill_null(0.0))
        .sort("month")
    )


def _spend_by_category(
    lines: pl.DataFrame, own: pl.DataFrame, skus: pl.DataFrame, categories: pl.DataFrame
) -> pl.DataFrame:
    """The supplier's spend per category beside all suppliers' spend there, and its share."""
    category = skus.select("sku_id", "category_id")

    def per_category(frame: pl.DataFrame, name: str) -> pl.DataFrame:
        return (
            frame.join(category, on="sku_id", how="left")
            .group_by("category_id")
            .agg(pl.col("value_usd").sum().alias(name))
        )

    return (
        per_category(own, "spend_usd")
        .join(per_category(lines, "category_spend_usd"), on="category_id", how="left")
        .join(
            categories.select("category_id", pl.col("name").alias("category_name")),
            on="category_id",
            how="left",
        )
        .with_columns(
            (pl.col("spend_usd") / pl.col("category_spend_usd") * 100.0).alias(
                "share_of_category_pct"
            )
        )
        .select(
            "category_id",
            "category_name",
            "spend_usd",
            "category_spend_usd",
            "share_of_category_pct",
        )
        .sort(["spend_usd", "category_id"], descending=[True, False])
    )


def _share_pct(part: pl.Series, whole: pl.Series) -> float | None:
    total = float(whole.sum())
    return float(part.sum()) / total * 100.0 if total > 0 else None


def _supplier_facts(suppliers: pl.DataFrame, supplier_id: str) -> SupplierFacts:
    rows = suppliers.filter(pl.col("supplier_id") == supplier_id).to_dicts()
    if not rows:
        raise DataError(f"no supplier {supplier_id!r}")
    row = rows[0]
    return SupplierFacts(
        supplier_id=supplier_id,
        name=str(row["name"]),
        country_code=str(row["country_code"]),
        city=str(row["city"]),
        currency_code=str(row["currency_code"]),
        status=str(row["status"]),
        payment_terms_days=int(row["payment_terms_days"]),
        country_risk_score=float(row["country_risk_score"]),
        financial_risk_score=float(row["financial_risk_score"]),
        compliance_risk_score=float(row["compliance_risk_score"]),
    )


def _certifications(certifications: pl.DataFrame, supplier_id: str, as_of: dt.date) -> pl.DataFrame:
    """The supplier's certificates with days to expiry and a standing: valid, expiring
    (within :data:`CERTIFICATE_WARNING_DAYS`) or expired."""
    days = (pl.col("expiry_date") - pl.lit(as_of)).dt.total_days()
    standing = (
        pl.when(days < 0)
        .then(pl.lit("expired"))
        .when(days <= CERTIFICATE_WARNING_DAYS)
        .then(pl.lit("expiring"))
        .otherwise(pl.lit("valid"))
    )
    return (
        certifications.filter(pl.col("supplier_id") == supplier_id)
        .select(
            "certification",
            "expiry_date",
            days.alias("days_to_expiry"),
            standing.alias("standing"),
        )
        .sort("expiry_date")
    )


def _months_before(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)
