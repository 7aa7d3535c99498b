"""The ShopOps data model: every table, defined once.

``TABLES`` lists the marketplace's data and business parameters and ``RESULT_TABLES`` what
plan runs produce; ``ALL_TABLES`` is both, in load order (a table comes after every table
it references), which is also the order of import, export and the Excel workbook's sheets.
Money is in US dollars unless the column says it is in the supplier's currency; times
are UTC; weights in kg, lengths in cm, durations in days.
"""

from __future__ import annotations

from shopops.data.spec import Column, DType, ForeignKey, Monotonic, Rule, Table
from shopops.domain.budget import OverBudgetAction
from shopops.domain.calendar import SalesEventType
from shopops.domain.catalog import CartonFamily, PackagingType, SkuStatus
from shopops.domain.inventory import MovementReference, MovementType, TransferStatus
from shopops.domain.network import ServiceLevel, TransportMode, WarehouseOperator
from shopops.domain.orders import (
    AllocationMethod,
    CancelReason,
    ConditionGrade,
    Disposition,
    OrderLineStatus,
    OrderStatus,
    ReturnReason,
    ReturnStatus,
    SalesChannel,
    ShipmentStatus,
)
from shopops.domain.params import AbcClass, PlanParams, ServiceMeasure, XyzClass
from shopops.domain.planning import PlanRunKind, PlanRunStatus
from shopops.domain.supply import Incoterm, PurchaseOrderStatus, ScorecardKind, SupplierStatus

S, INT, F, D, T = DType.STRING, DType.INTEGER, DType.FLOAT, DType.DATE, DType.DATETIME
B = DType.BOOLEAN


def _codes(enum: type) -> tuple[str, ...]:
    return tuple(member.value for member in enum)  # type: ignore[attr-defined]


def _key(
    name: str, description: str, references: str | None = None, *, nullable: bool = False
) -> Column:
    return Column(name, S, description, nullable=nullable, references=references, max_length=64)


def _name(description: str = "Display name.") -> Column:
    return Column("name", S, description, max_length=200)


def _amount(name: str, description: str, unit: str = "USD", *, positive: bool = False) -> Column:
    return Column(name, F, description, unit=unit, minimum=0, minimum_exclusive=positive)


def _units(name: str, description: str, *, positive: bool = False) -> Column:
    return Column(name, INT, description, unit="units", minimum=0, minimum_exclusive=positive)


def _share(name: str, description: str) -> Column:
    return Column(name, F, description, unit="fraction", minimum=0, maximum=1)


def _latitude() -> Column:
    return Column("latitude", F, "Latitude (WGS 84).", unit="degrees", minimum=-90, maximum=90)


def _longitude() -> Column:
    return Column("longitude", F, "Longitude (WGS 84).", unit="degrees", minimum=-180, maximum=180)


def _country() -> Column:
    return Column("country_code", S, "ISO 3166-1 alpha-2 country code.", max_length=2)


def _not_before(later: str, earlier: str, *, name: str | None = None) -> Rule:
    return Rule(
        name or f"{later}_not_before_{earlier}",
        f"{later} >= {earlier}",
        f"{later} must not be before {earlier}",
    )


CURRENCIES = Table(
    "currencies",
    "Currencies that suppliers quote in, with the rate used to convert to US dollars.",
    (
        Column("currency_code", S, "ISO 4217 currency code.", max_length=3),
        _name("Currency name."),
        Column(
            "usd_per_unit",
            F,
            "US dollars for one unit of this currency.",
            unit="USD",
            minimum=0,
            minimum_exclusive=True,
        ),
    ),
    primary_key=("currency_code",),
)

REGIONS = Table(
    "regions",
    "Destination regions orders ship to; demand and shipping zones are per region.",
    (
        _key("region_id", "Region code."),
        _name("Region name (metro area or province)."),
        _country(),
        _latitude(),
        _longitude(),
        Column("population", INT, "Population, for demand shares.", unit="people", minimum=0),
    ),
    primary_key=("region_id",),
)

CATEGORIES = Table(
    "categories",
    "Product categories, optionally nested; budgets, uplifts and return rates are per category.",
    (
        _key("category_id", "Category code."),
        _name("Category name."),
        _key(
            "parent_category_id",
            "Parent category, empty for a top-level one.",
            references="categories.category_id",
            nullable=True,
        ),
        _share("expected_return_rate", "Share of units sold that buyers are expected to return."),
    ),
    primary_key=("category_id",),
)

SKUS = Table(
    "skus",
    "Stock-keeping units: what is sold, with cost, price, weight and dimensions.",
    (
        _key("sku_id", "SKU code."),
        _name("Product name."),
        _key("category_id", "Category of the SKU.", references="categories.category_id"),
        _amount("unit_cost_usd", "Standard purchase cost of one unit."),
        _amount("price_usd", "Current selling price of one unit.", positive=True),
        Column(
            "weight_kg",
            F,
            "Shipping weight of one packed unit.",
            unit="kg",
            minimum=0,
            minimum_exclusive=True,
        ),
        Column(
            "length_cm",
            F,
            "Longest side of one packed unit.",
            unit="cm",
            minimum=0,
            minimum_exclusive=True,
        ),
        Column(
            "width_cm",
            F,
            "Middle side of one packed unit.",
            unit="cm",
            minimum=0,
            minimum_exclusive=True,
        ),
        Column(
            "height_cm",
            F,
            "Shortest side of one packed unit.",
            unit="cm",
            minimum=0,
            minimum_exclusive=True,
        ),
        Column("packaging_type", S, "How the unit ships.", choices=_codes(PackagingType)),
        Column("launch_date", D, "First day on sale; empty if long established.", nullable=True),
        Column("status", S, "Whether the SKU is still sold.", choices=_codes(SkuStatus)),
    ),
    primary_key=("sku_id",),
)

CARTONS = Table(
    "cartons",
    "Boxes, mailers, bags and envelopes parcels ship in; each is a procured packaging SKU.",
    (
        Column("carton_code", S, "Carton code, as printed on shipments.", max_length=32),
        Column("family", S, "Kind of packaging.", choices=_codes(CartonFamily)),
        Column("length_cm", F, "Inner length.", unit="cm", minimum=0, minimum_exclusive=True),
        Column("width_cm", F, "Inner width.", unit="cm", minimum=0, minimum_exclusive=True),
        Column("height_cm", F, "Inner height.", unit="cm", minimum=0, minimum_exclusive=True),
        Column(
            "max_weight_kg",
            F,
            "Heaviest contents it carries.",
            unit="kg",
            minimum=0,
            minimum_exclusive=True,
        ),
        Column("tare_weight_kg", F, "Weight of the empty carton.", unit="kg", minimum=0),
        _key(
            "sku_id",
            "Packaging SKU bought for it; empty if not procured through ShopOps.",
            references="skus.sku_id",
            nullable=True,
        ),
    ),
    primary_key=("carton_code",),
    rules=(
        Rule(
            "carton_sides_sorted",
            "length_cm >= width_cm AND width_cm >= height_cm",
            "sides must be given longest first: length_cm >= width_cm >= height_cm",
        ),
    ),
)

SUPPLIERS = Table(
    "suppliers",
    "Suppliers with location, currency, standing and risk attributes.",
    (
        _key("supplier_id", "Supplier code."),
        _name("Supplier's legal or trading name."),
        _country(),
        Column("city", S, "City of the shipping site.", max_length=100),
        _latitude(),
        _longitude(),
        _key(
            "currency_code",
            "Currency the supplier invoices in.",
            references="currencies.currency_code",
        ),
        Column(
            "status",
            S,
            "approved: sourced freely; probation: sourced with a warning; blocked: never sourced.",
            choices=_codes(SupplierStatus),
        ),
        Column("payment_terms_days", INT, "Days from invoice to payment.", unit="days", minimum=0),
        _share(
            "country_risk_score",
            "Political, customs and logistics risk of the country (0 lowest, 1 highest).",
        ),
        _share("financial_risk_score", "Risk that the supplier fails financially (0 to 1)."),
        _share(
            "compliance_risk_score", "Social, environmental and legal compliance risk (0 to 1)."
        ),
    ),
    primary_key=("supplier_id",),
)

SUPPLIER_CERTIFICATIONS = Table(
    "supplier_certifications",
    "Certifications a supplier holds (quality, social, product safety) and when they expire.",
    (
        _key("supplier_id", "Certified supplier.", references="suppliers.supplier_id"),
        Column(
            "certification", S, "Standard certified against, e.g. ISO 9001, BSCI.", max_length=100
        ),
        Column("certificate_number", S, "Certificate number.", nullable=True, max_length=100),
        Column("issued_date", D, "Date of issue."),
        Column("expiry_date", D, "Last day the certificate is valid."),
    ),
    primary_key=("supplier_id", "certification"),
    rules=(_not_before("expiry_date", "issued_date"),),
)

SUPPLIER_OFFERS = Table(
    "supplier_offers",
    "What a supplier offers for a SKU: order rules, lead time, capacity, validity and landed-"
    "cost terms. Unit prices are in offer_price_tiers.",
    (
        _key("offer_id", "Offer code."),
        _key("supplier_id", "Offering supplier.", references="suppliers.supplier_id"),
        _key("sku_id", "SKU offered.", references="skus.sku_id"),
        _key(
            "currency_code", "Currency of the tier prices.", references="currencies.currency_code"
        ),
        _units("moq_units", "Minimum order quantity per purchase order line.", positive=True),
        _units("order_multiple_units", "Quantities must be a multiple of this.", positive=True),
        Column(
            "lead_time_mean_days",
            F,
            "Quoted mean days from order to receipt at our dock.",
            unit="days",
            minimum=0,
            minimum_exclusive=True,
        ),
        Column(
            "lead_time_sd_days", F, "Standard deviation of the lead time.", unit="days", minimum=0
        ),
        _units("capacity_units_per_week", "Most units the supplier can ship per week."),
        Column("valid_from", D, "First day the offer applies."),
        Column("valid_to", D, "Last day the offer applies; empty if open-ended.", nullable=True),
        Column("incoterm", S, "Incoterms 2020 rule of the price.", choices=_codes(Incoterm)),
        _amount("freight_usd_per_unit", "Inbound freight per unit we pay on top of the price."),
        _share("duty_rate", "Import duty as a share of the price."),
        _amount("fixed_order_cost_usd", "Fixed cost of placing one order (admin, set-up)."),
        Column(
            "expedite_lead_time_days",
            F,
            "Days from order to our dock when expedited (air freight, rush production); "
            "empty if the supplier cannot expedite.",
            unit="days",
            nullable=True,
            minimum=0,
            minimum_exclusive=True,
        ),
        Column(
            "expedite_cost_usd_per_unit",
            F,
            "Extra cost per unit of expediting.",
            unit="USD",
            nullable=True,
            minimum=0,
        ),
    ),
    primary_key=("offer_id",),
    unique=(("supplier_id", "sku_id", "valid_from"),),
    rules=(
        _not_before("valid_to", "valid_from"),
        Rule(
            "expedite_terms_together",
            "(expedite_lead_time_days IS NULL) = (expedite_cost_usd_per_unit IS NULL)",
            "expedite_lead_time_days and expedite_cost_usd_per_unit go together",
        ),
        Rule(
            "expedite_is_faster",
            "expedite_lead_time_days IS NULL OR expedite_lead_time_days < lead_time_mean_days",
            "expedite_lead_time_days must be shorter than lead_time_mean_days",
        ),
    ),
)

OFFER_PRICE_TIERS = Table(
    "offer_price_tiers",
    "All-units quantity discounts: from min_quantity_units up, every unit costs unit_price.",
    (
        _key("offer_id", "Offer the tier belongs to.", references="supplier_offers.offer_id"),
        _units(
            "min_quantity_units", "Order quantity from which this price applies.", positive=True
        ),
        Column(
            "unit_price",
            F,
            "Price per unit in the offer's currency.",
            unit="offer currency",
            minimum=0,
            minimum_exclusive=True,
        ),
    ),
    primary_key=("offer_id", "min_quantity_units"),
    monotonic=(
        Monotonic(
            ("offer_id",),
            "min_quantity_units",
            "unit_price",
            "non_increasing",
            "tiers out of order: a larger quantity must not have a higher unit price",
        ),
    ),
)

WAREHOUSES = Table(
    "warehouses",
    "Own warehouses and those run by third-party logistics (3PL) partners.",
    (
        _key("warehouse_id", "Warehouse code."),
        _name("Warehouse name."),
        Column(
            "operator",
            S,
            "own, or 3pl for a third-party logistics partner.",
            choices=_codes(WarehouseOperator),
        ),
        Column(
            "partner_name",
            S,
            "3PL partner running it; required when operator is 3pl.",
            nullable=True,
            max_length=200,
        ),
        _key("region_id", "Region the warehouse is in.", references="regions.region_id"),
        Column("city", S, "City.", max_length=100),
        _latitude(),
        _longitude(),
        _units("storage_capacity_units", "Units the warehouse can hold.", positive=True),
        Column(
            "outbound_capacity_orders_per_day",
            INT,
            "Orders it can dispatch per day.",
            unit="orders/day",
            minimum=0,
            minimum_exclusive=True,
        ),
        Column(
            "inbound_capacity_units_per_day",
            INT,
            "Units it can receive per day.",
            unit="units/day",
            minimum=0,
            minimum_exclusive=True,
        ),
        _amount("handling_cost_usd_per_order", "Pick, pack and dispatch fee per order."),
        _amount("handling_cost_usd_per_unit", "Pick fee per unit beyond the first."),
        Column(
            "storage_cost_usd_per_unit_day",
            F,
            "Storage cost per unit per day.",
            unit="USD/unit/day",
            minimum=0,
        ),
        Column(
            "order_cutoff_hour",
            INT,
            "Orders placed before this hour (UTC) ship the same day.",
            unit="hour",
            minimum=0,
            maximum=23,
        ),
    ),
    primary_key=("warehouse_id",),
    rules=(
        Rule(
            "partner_required_for_3pl",
            "operator <> '3pl' OR partner_name IS NOT NULL",
            "partner_name is required when operator is 3pl",
        ),
    ),
)

SHIPPING_ZONES = Table(
    "shipping_zones",
    "Carrier zone and distance from each warehouse to each region; rate cards and transit "
    "times are by zone.",
    (
        _key("warehouse_id", "Ship-from warehouse.", references="warehouses.warehouse_id"),
        _key("region_id", "Destination region.", references="regions.region_id"),
        Column("zone", INT, "Carrier zone, 1 nearest to 8 farthest.", minimum=1, maximum=8),
        Column("distance_km", F, "Road distance.", unit="km", minimum=0),
    ),
    primary_key=("warehouse_id", "region_id"),
)

CARRIERS = Table(
    "carriers",
    "Parcel carriers.",
    (
        _key("carrier_id", "Carrier code."),
        _name("Carrier name."),
        Column(
            "tracking_number_pattern",
            S,
            "Regular expression a valid tracking number of this carrier matches.",
            nullable=True,
            max_length=200,
        ),
    ),
    primary_key=("carrier_id",),
)

CARRIER_SERVICES = Table(
    "carrier_services",
    "Services a carrier sells (ground, 2-day, next day), with surcharges and capacity.",
    (
        _key("service_id", "Service code."),
        _key("carrier_id", "Carrier selling it.", references="carriers.carrier_id"),
        _name("Service name."),
        Column("service_level", S, "Speed class.", choices=_codes(ServiceLevel)),
        Column(
            "transport_mode",
            S,
            "Main transport mode, for emissions.",
            choices=_codes(TransportMode),
        ),
        _share("fuel_surcharge_rate", "Fuel surcharge as a share of the rate-card price."),
        Column(
            "dim_divisor_cm3_per_kg",
            F,
            "Billable weight is max(actual, L*W*H / divisor).",
            unit="cm3/kg",
            minimum=0,
            minimum_exclusive=True,
        ),
        Column(
            "max_weight_kg",
            F,
            "Heaviest parcel accepted.",
            unit="kg",
            minimum=0,
            minimum_exclusive=True,
        ),
        Column(
            "daily_pickup_capacity_parcels",
            INT,
            "Parcels the carrier collects per day at each warehouse with this service.",
            unit="parcels/day",
            minimum=0,
        ),
    ),
    primary_key=("service_id",),
)

RATE_CARDS = Table(
    "rate_cards",
    "Price of a parcel by service, zone and weight band (band = up to max_weight_kg).",
    (
        _key("service_id", "Carrier service.", references="carrier_services.service_id"),
        Column("zone", INT, "Carrier zone.", minimum=1, maximum=8),
        Column(
            "max_weight_kg",
            F,
            "Upper bound of the weight band (billable weight).",
            unit="kg",
            minimum=0,
            minimum_exclusive=True,
        ),
        _amount("rate_usd", "Price per parcel before fuel surcharge."),
    ),
    primary_key=("service_id", "zone", "max_weight_kg"),
    monotonic=(
        Monotonic(
            ("service_id", "zone"),
            "max_weight_kg",
            "rate_usd",
            "non_decreasing",
            "weight bands out of order: a heavier band must not cost less",
        ),
    ),
)

TRANSIT_TIMES = Table(
    "transit_times",
    "Business days from carrier pickup to delivery, by service and zone.",
    (
        _key("service_id", "Carrier service.", references="carrier_services.service_id"),
        Column("zone", INT, "Carrier zone.", minimum=1, maximum=8),
        Column("transit_days", INT, "Business days in transit.", unit="days", minimum=0),
    ),
    primary_key=("service_id", "zone"),
)

SALES_EVENTS = Table(
    "sales_events",
    "The sales calendar: marketplace events and flash sales that lift demand.",
    (
        _key("event_id", "Event code."),
        _name("Event name."),
        Column("event_type", S, "Kind of event.", choices=_codes(SalesEventType)),
        Column("start_date", D, "First day."),
        Column("end_date", D, "Last day."),
        _key(
            "category_id",
            "Category promoted; empty for a marketplace-wide event.",
            references="categories.category_id",
            nullable=True,
        ),
        Column(
            "channel",
            S,
            "Channel the event runs in; empty for all.",
            nullable=True,
            choices=_codes(SalesChannel),
        ),
    ),
    primary_key=("event_id",),
    rules=(_not_before("end_date", "start_date"),),
)

BUDGETS = Table(
    "budgets",
    "Purchasing budget per category and period.",
    (
        _key("category_id", "Category budgeted.", references="categories.category_id"),
        Column("period_start", D, "First day of the period."),
        Column("period_end", D, "Last day of the period."),
        _amount("budget_usd", "Spend allowed in the period."),
        Column(
            "over_budget_action",
            S,
            "warn: approve with a warning; block: refuse.",
            choices=_codes(OverBudgetAction),
        ),
    ),
    primary_key=("category_id", "period_start"),
    rules=(_not_before("period_end", "period_start"),),
)

SCORECARD_WEIGHTS = Table(
    "scorecard_weights",
    "How much each metric counts in a scorecard; a metric without a row gets the average weight.",
    (
        Column("scorecard", S, "Scorecard the weight is for.", choices=_codes(ScorecardKind)),
        Column("metric", S, "Metric name, as listed in the scorecard.", max_length=64),
        Column("weight", F, "Relative weight; 0 leaves the metric out.", minimum=0),
    ),
    primary_key=("scorecard", "metric"),
)

ORDERS = Table(
    "orders",
    "Customer orders from the shop, videos and live streams.",
    (
        Column("order_id", INT, "Order number.", minimum=1),
        Column("external_order_id", S, "The marketplace's order id; unique.", max_length=64),
        Column("channel", S, "Where the order was placed.", choices=_codes(SalesChannel)),
        Column("ordered_at", T, "When the order was placed (UTC)."),
        _key("region_id", "Destination region.", references="regions.region_id"),
        Column("customer_id", S, "Buyer reference.", nullable=True, max_length=64),
        Column("status", S, "Order status.", choices=_codes(OrderStatus)),
        Column("promised_dispatch_date", D, "Marketplace deadline for handing to the carrier."),
        Column("promised_delivery_date", D, "Delivery date promised to the buyer."),
        _key(
            "event_id",
            "Sales event the order came from, if any.",
            references="sales_events.event_id",
            nullable=True,
        ),
    ),
    primary_key=("order_id",),
    unique=(("external_order_id",),),
    rules=(_not_before("promised_delivery_date", "promised_dispatch_date"),),
)

SHIPMENTS = Table(
    "shipments",
    "Parcels: the lines of an order shipped together from one warehouse with one service.",
    (
        Column("shipment_id", INT, "Shipment number.", minimum=1),
        Column("order_id", INT, "Order shipped.", references="orders.order_id"),
        _key("warehouse_id", "Ship-from warehouse.", references="warehouses.warehouse_id"),
        _key("service_id", "Carrier service.", references="carrier_services.service_id"),
        Column("status", S, "Shipment status.", choices=_codes(ShipmentStatus)),
        Column("carton_code", S, "Carton or mailer used.", nullable=True, max_length=32),
        Column("weight_kg", F, "Actual parcel weight.", unit="kg", minimum=0),
        Column("billable_weight_kg", F, "max(actual, dimensional) weight.", unit="kg", minimum=0),
        Column("zone", INT, "Carrier zone of the lane.", minimum=1, maximum=8),
        _amount("shipping_cost_usd", "Postage including fuel surcharge."),
        Column("tracking_number", S, "Carrier tracking number.", nullable=True, max_length=64),
        Column("created_at", T, "When the warehouse was told to ship it."),
        Column("picked_at", T, "When picking finished.", nullable=True),
        Column("packed_at", T, "When packing finished.", nullable=True),
        Column("shipped_at", T, "When the carrier picked it up.", nullable=True),
        Column("delivered_at", T, "When it was delivered.", nullable=True),
    ),
    primary_key=("shipment_id",),
    rules=(
        _not_before("picked_at", "created_at"),
        _not_before("packed_at", "picked_at"),
        _not_before("shipped_at", "packed_at"),
        _not_before("delivered_at", "shipped_at"),
        Rule(
            "billable_not_below_actual",
            "billable_weight_kg >= weight_kg",
            "billable_weight_kg must not be below weight_kg",
        ),
    ),
)

ORDER_LINES = Table(
    "order_lines",
    "Lines of an order: SKU, quantity, price, and where it ships from once allocated.",
    (
        Column("order_id", INT, "Order.", references="orders.order_id"),
        Column("line_no", INT, "Line number within the order.", minimum=1),
        _key("sku_id", "SKU ordered.", references="skus.sku_id"),
        _units("quantity_units", "Units ordered.", positive=True),
        _amount("unit_price_usd", "Price paid per unit."),
        Column("status", S, "Line status.", choices=_codes(OrderLineStatus)),
        _key(
            "warehouse_id",
            "Allocated ship-from warehouse.",
            references="warehouses.warehouse_id",
            nullable=True,
        ),
        Column(
            "shipment_id",
            INT,
            "Shipment carrying the line.",
            nullable=True,
            references="shipments.shipment_id",
        ),
        Column(
            "cancel_reason",
            S,
            "Why a cancelled line was cancelled.",
            nullable=True,
            choices=_codes(CancelReason),
        ),
    ),
    primary_key=("order_id", "line_no"),
    rules=(
        Rule(
            "reserved_needs_warehouse",
            "status NOT IN ('reserved', 'picked', 'shipped') OR warehouse_id IS NOT NULL",
            "a reserved, picked or shipped line needs a warehouse_id",
        ),
        Rule(
            "cancel_reason_only_when_cancelled",
            "cancel_reason IS NULL OR status = 'cancelled'",
            "cancel_reason is only for cancelled lines",
        ),
    ),
)

PURCHASE_ORDERS = Table(
    "purchase_orders",
    "Purchase orders to suppliers, delivered to one warehouse.",
    (
        Column("po_id", INT, "Purchase order number.", minimum=1),
        Column("po_number", S, "Document number shown to the supplier; unique.", max_length=32),
        _key("supplier_id", "Supplier.", references="suppliers.supplier_id"),
        _key("warehouse_id", "Receiving warehouse.", references="warehouses.warehouse_id"),
        Column("status", S, "Lifecycle status.", choices=_codes(PurchaseOrderStatus)),
        _key("currency_code", "Currency of the prices.", references="currencies.currency_code"),
        Column("incoterm", S, "Incoterms 2020 rule.", choices=_codes(Incoterm)),
        Column(
            "ordered_date", D, "Date sent to the supplier; empty while proposed.", nullable=True
        ),
        Column("created_at", T, "When the PO was created."),
        Column("created_by", S, "User or process that created it.", max_length=64),
    ),
    primary_key=("po_id",),
    unique=(("po_number",),),
)

PURCHASE_ORDER_EVENTS = Table(
    "purchase_order_events",
    "Every change of a purchase order's status: from what to what, who and when.",
    (
        Column("event_id", INT, "Event number.", minimum=1),
        Column("po_id", INT, "Purchase order.", references="purchase_orders.po_id"),
        Column(
            "from_status",
            S,
            "Status before; empty when the PO was created.",
            nullable=True,
            choices=_codes(PurchaseOrderStatus),
        ),
        Column("to_status", S, "Status after.", choices=_codes(PurchaseOrderStatus)),
        Column("changed_at", T, "When it changed."),
        Column("changed_by", S, "User or process that changed it.", max_length=64),
        Column("note", S, "Why, or what came with it.", nullable=True, max_length=500),
    ),
    primary_key=("event_id",),
)

PURCHASE_ORDER_LINES = Table(
    "purchase_order_lines",
    "Lines of a purchase order. Received quantities come from receipts.",
    (
        Column("po_id", INT, "Purchase order.", references="purchase_orders.po_id"),
        Column("line_no", INT, "Line number.", minimum=1),
        _key("sku_id", "SKU ordered.", references="skus.sku_id"),
        _units("quantity_units", "Units ordered.", positive=True),
        Column(
            "unit_price",
            F,
            "Agreed price per unit in the PO currency.",
            unit="PO currency",
            minimum=0,
        ),
        Column("expected_date", D, "Date the supplier confirmed for receipt at our dock."),
        _units("cancelled_units", "Units cancelled and no longer expected."),
    ),
    primary_key=("po_id", "line_no"),
    rules=(
        Rule(
            "cancelled_within_ordered",
            "cancelled_units <= quantity_units",
            "cancelled_units must not exceed quantity_units",
        ),
    ),
)

RECEIPTS = Table(
    "receipts",
    "Goods received against a purchase order line, with damaged and rejected units.",
    (
        Column("receipt_id", INT, "Receipt number.", minimum=1),
        Column(
            "receipt_reference",
            S,
            "Goods-received note or the supplier's delivery note number; unique, so the same "
            "receipt reported twice is booked once.",
            max_length=64,
        ),
        Column("po_id", INT, "Purchase order."),
        Column("line_no", INT, "Purchase order line."),
        Column("received_date", D, "Date received at the dock."),
        _units("received_units", "Units counted in."),
        _units("damaged_units", "Units received damaged (not put away)."),
        _units("rejected_units", "Units rejected at inspection (not put away)."),
    ),
    primary_key=("receipt_id",),
    unique=(("receipt_reference",),),
    foreign_keys=(ForeignKey(("po_id", "line_no"), "purchase_order_lines", ("po_id", "line_no")),),
    rules=(
        Rule(
            "damaged_and_rejected_within_received",
            "damaged_units + rejected_units <= received_units",
            "damaged_units + rejected_units must not exceed received_units",
        ),
    ),
)

SUPPLIER_INVOICES = Table(
    "supplier_invoices",
    "Invoices from suppliers, matched against purchase orders and receipts.",
    (
        Column("invoice_id", INT, "Invoice record number.", minimum=1),
        Column("invoice_number", S, "The supplier's invoice number.", max_length=64),
        _key("supplier_id", "Invoicing supplier.", references="suppliers.supplier_id"),
        Column("invoice_date", D, "Date of the invoice."),
        _key("currency_code", "Currency invoiced.", references="currencies.currency_code"),
    ),
    primary_key=("invoice_id",),
    unique=(("supplier_id", "invoice_number"),),
)

SUPPLIER_INVOICE_LINES = Table(
    "supplier_invoice_lines",
    "What an invoice charges for each purchase order line.",
    (
        Column("invoice_id", INT, "Invoice.", references="supplier_invoices.invoice_id"),
        Column("po_id", INT, "Purchase order invoiced."),
        Column("line_no", INT, "Purchase order line invoiced."),
        _units("quantity_units", "Units invoiced.", positive=True),
        Column(
            "unit_price",
            F,
            "Price per unit invoiced, in the invoice currency.",
            unit="invoice currency",
            minimum=0,
        ),
    ),
    primary_key=("invoice_id", "po_id", "line_no"),
    foreign_keys=(ForeignKey(("po_id", "line_no"), "purchase_order_lines", ("po_id", "line_no")),),
)

RETURNS = Table(
    "returns",
    "Returns (RMAs) of order lines, with reason, inspection grade and disposition.",
    (
        Column("return_id", INT, "Return number.", minimum=1),
        Column("rma_number", S, "Return authorisation number; unique.", max_length=32),
        Column("order_id", INT, "Order returned from."),
        Column("line_no", INT, "Order line returned."),
        _units("quantity_units", "Units returned.", positive=True),
        Column("reason", S, "Buyer's stated reason.", choices=_codes(ReturnReason)),
        Column("status", S, "Return status.", choices=_codes(ReturnStatus)),
        Column("requested_date", D, "Date the buyer asked to return."),
        Column("received_date", D, "Date it arrived back.", nullable=True),
        _key(
            "warehouse_id",
            "Warehouse it was returned to.",
            references="warehouses.warehouse_id",
            nullable=True,
        ),
        Column(
            "condition_grade",
            S,
            "Inspection grade A (as new) to D (scrap).",
            nullable=True,
            choices=_codes(ConditionGrade),
        ),
        Column(
            "disposition", S, "What was done with it.", nullable=True, choices=_codes(Disposition)
        ),
        _amount("refund_usd", "Refund paid to the buyer."),
        Column(
            "recovered_value_usd",
            F,
            "Value recovered by the disposition, net of handling and return freight.",
            unit="USD",
            nullable=True,
        ),
    ),
    primary_key=("return_id",),
    unique=(("rma_number",),),
    foreign_keys=(ForeignKey(("order_id", "line_no"), "order_lines", ("order_id", "line_no")),),
    rules=(_not_before("received_date", "requested_date"),),
)

INVENTORY_MOVEMENTS = Table(
    "inventory_movements",
    "The stock ledger: every change of on-hand stock. On hand is the sum of quantities.",
    (
        Column("movement_id", INT, "Movement number.", minimum=1),
        _key("sku_id", "SKU moved.", references="skus.sku_id"),
        _key(
            "warehouse_id", "Warehouse whose stock changed.", references="warehouses.warehouse_id"
        ),
        Column(
            "movement_type",
            S,
            "receipt and return add stock, pick removes it, adjustment and transfer either way.",
            choices=_codes(MovementType),
        ),
        Column("quantity_units", INT, "Signed change of on-hand units.", unit="units"),
        Column("moved_at", T, "When the stock changed."),
        Column(
            "reference_type",
            S,
            "Kind of document that caused it.",
            nullable=True,
            choices=_codes(MovementReference),
        ),
        Column("reference_id", INT, "Number of that document.", nullable=True),
    ),
    primary_key=("movement_id",),
    rules=(
        Rule("movement_not_zero", "quantity_units <> 0", "quantity_units must not be 0"),
        Rule(
            "receipts_and_returns_add",
            "movement_type NOT IN ('receipt', 'return') OR quantity_units > 0",
            "receipt and return movements must have a positive quantity",
        ),
        Rule(
            "picks_remove",
            "movement_type <> 'pick' OR quantity_units < 0",
            "pick movements must have a negative quantity",
        ),
    ),
)

SHIPMENT_EVENTS = Table(
    "shipment_events",
    "Every change of a shipment's status (picked, packed, shipped, in transit, delivered, "
    "exception): from what to what, who and when.",
    (
        Column("event_id", INT, "Event number.", minimum=1),
        Column("shipment_id", INT, "Shipment.", references="shipments.shipment_id"),
        Column(
            "from_status",
            S,
            "Status before; empty when the shipment was created.",
            nullable=True,
            choices=_codes(ShipmentStatus),
        ),
        Column("to_status", S, "Status after.", choices=_codes(ShipmentStatus)),
        Column("changed_at", T, "When it changed."),
        Column("changed_by", S, "User, process or carrier feed that changed it.", max_length=64),
        Column("note", S, "Why, e.g. the exception reported.", nullable=True, max_length=500),
    ),
    primary_key=("event_id",),
)

STOCK_TRANSFERS = Table(
    "stock_transfers",
    "Stock moved between warehouses to bring it closer to regional demand, from proposal to "
    "arrival, with the shipping it saves and what the move costs.",
    (
        Column("transfer_id", INT, "Transfer number.", minimum=1),
        Column(
            "run_id",
            INT,
            "Placement run that proposed it; empty if entered by hand.",
            nullable=True,
        ),
        _key("sku_id", "SKU moved.", references="skus.sku_id"),
        _key("from_warehouse_id", "Warehouse it leaves.", references="warehouses.warehouse_id"),
        _key("to_warehouse_id", "Warehouse it goes to.", references="warehouses.warehouse_id"),
        _units("quantity_units", "Units moved.", positive=True),
        Column("status", S, "Where the transfer stands.", choices=_codes(TransferStatus)),
        Column("proposed_date", D, "Week the move was proposed for."),
        _amount("transfer_cost_usd", "Handling and line-haul cost of the move."),
        _amount("shipping_saved_usd", "Parcel postage the move is expected to save."),
        Column("explanation", S, "Why: the demand it serves and the lanes it shortens."),
    ),
    primary_key=("transfer_id",),
    rules=(
        Rule(
            "transfer_between_two_warehouses",
            "from_warehouse_id <> to_warehouse_id",
            "from_warehouse_id and to_warehouse_id must differ",
        ),
    ),
)

PLANNING_PARAMETERS = Table(
    "planning_parameters",
    "Planning settings users edit (holding cost rate, horizon, ABC/XYZ limits...); a "
    "parameter without a row keeps its default.",
    (
        Column("name", S, "Parameter name.", choices=PlanParams.numeric_names()),
        Column("value", F, "Value, in the unit its name says."),
        Column("description", S, "Why it has this value.", nullable=True, max_length=500),
    ),
    primary_key=("name",),
)

SERVICE_LEVEL_TARGETS = Table(
    "service_level_targets",
    "The service each ABC/XYZ class of SKUs should get; a class without a row keeps its default.",
    (
        Column(
            "abc_class",
            S,
            "Value class: A the few SKUs making most of the consumption value, C the tail.",
            choices=_codes(AbcClass),
        ),
        Column(
            "xyz_class",
            S,
            "Variability class of weekly demand: X steady, Z erratic.",
            choices=_codes(XyzClass),
        ),
        Column(
            "measure",
            S,
            "fill_rate: share of units served from stock; "
            "cycle_service_level: share of replenishment cycles without a stock-out.",
            choices=_codes(ServiceMeasure),
        ),
        Column(
            "target",
            F,
            "Target value, strictly between 0 and 1.",
            unit="fraction",
            minimum=0,
            minimum_exclusive=True,
            maximum=0.9999,
        ),
    ),
    primary_key=("abc_class", "xyz_class"),
)

PLAN_RUNS = Table(
    "plan_runs",
    "Each run of a plan, forecast or policy calculation, with the parameters it used.",
    (
        Column("run_id", INT, "Run number.", minimum=1),
        Column("kind", S, "What was run.", choices=_codes(PlanRunKind)),
        Column("status", S, "Where the run stands.", choices=_codes(PlanRunStatus)),
        Column("as_of", D, "Planning date: history up to the day before, plans from it."),
        Column("started_at", T, "When the run started."),
        Column("finished_at", T, "When it finished.", nullable=True),
        Column("parameters", S, "The planning parameters and service targets used (JSON)."),
        Column("message", S, "Summary or error message.", nullable=True),
    ),
    primary_key=("run_id",),
    rules=(_not_before("finished_at", "started_at"),),
)

FORECAST_MODELS = Table(
    "forecast_models",
    "The forecasting model chosen for each SKU x warehouse demand series of a run, and why.",
    (
        Column("run_id", INT, "Run.", references="plan_runs.run_id"),
        _key("sku_id", "SKU.", references="skus.sku_id"),
        _key(
            "warehouse_id",
            "Warehouse whose demand (as currently routed) is forecast.",
            references="warehouses.warehouse_id",
        ),
        Column("demand_pattern", S, "smooth, erratic, intermittent or lumpy (Syntetos-Boylan)."),
        Column("adi", F, "Average interval between demand days.", unit="days", nullable=True),
        Column("cv2", F, "Squared coefficient of variation of non-zero demand.", nullable=True),
        Column("model", S, "Model chosen."),
        Column("backtest_wape", F, "Back-test WAPE of the chosen model.", nullable=True),
        Column("naive_backtest_wape", F, "Back-test WAPE of seasonal naive.", nullable=True),
        Column("reason", S, "Why this model was chosen."),
    ),
    primary_key=("run_id", "sku_id", "warehouse_id"),
)

FORECAST_ACCURACY = Table(
    "forecast_accuracy",
    "Back-test accuracy of a run's forecasts by segment, against seasonal naive.",
    (
        Column("run_id", INT, "Run.", references="plan_runs.run_id"),
        Column("segment_kind", S, "all, demand pattern, ABC class or category.", max_length=32),
        Column("segment", S, "Segment.", max_length=64),
        Column("series", INT, "Series x back-test origins in the segment.", minimum=0),
        Column("units", F, "Actual units in the back-test.", unit="units"),
        Column("wape", F, "Weighted absolute percentage error.", nullable=True),
        Column("mase", F, "Mean absolute scaled error.", nullable=True),
        Column("bias", F, "Forecast minus actual, over actual.", nullable=True),
        Column("wape_naive", F, "WAPE of seasonal naive.", nullable=True),
        Column("mase_naive", F, "MASE of seasonal naive.", nullable=True),
        Column("bias_naive", F, "Bias of seasonal naive.", nullable=True),
    ),
    primary_key=("run_id", "segment_kind", "segment"),
)

DEMAND_FORECASTS = Table(
    "demand_forecasts",
    "Weekly forecast per SKU and warehouse (regional demand routed as currently shipped).",
    (
        Column("run_id", INT, "Run.", references="plan_runs.run_id"),
        _key("sku_id", "SKU.", references="skus.sku_id"),
        _key("warehouse_id", "Warehouse.", references="warehouses.warehouse_id"),
        Column("week_start", D, "Monday of the week."),
        Column("units", F, "Forecast mean units.", unit="units", minimum=0),
    ),
    primary_key=("run_id", "sku_id", "warehouse_id", "week_start"),
)

INVENTORY_POLICIES = Table(
    "inventory_policies",
    "The inventory policy of each SKU and warehouse from a run, with the inputs that made it.",
    (
        Column("run_id", INT, "Run.", references="plan_runs.run_id"),
        _key("sku_id", "SKU.", references="skus.sku_id"),
        _key("warehouse_id", "Warehouse.", references="warehouses.warehouse_id"),
        Column(
            "policy_status",
            S,
            "planned, or why not: no_usable_offer, no_service_target.",
            max_length=32,
        ),
        Column("abc_class", S, "Value class.", nullable=True, choices=_codes(AbcClass)),
        Column("xyz_class", S, "Variability class.", nullable=True, choices=_codes(XyzClass)),
        Column(
            "service_measure",
            S,
            "Measure of the target.",
            nullable=True,
            choices=_codes(ServiceMeasure),
        ),
        Column(
            "service_target",
            F,
            "Service target of the SKU's class.",
            unit="fraction",
            nullable=True,
            minimum=0,
            maximum=1,
        ),
        _key(
            "offer_id",
            "Supplier offer the policy buys from; empty if none is valid.",
            references="supplier_offers.offer_id",
            nullable=True,
        ),
        Column(
            "demand_mean_units_per_day",
            F,
            "Forecast mean daily demand.",
            unit="units/day",
            minimum=0,
        ),
        Column(
            "demand_sd_units_per_day",
            F,
            "Standard deviation of daily demand.",
            unit="units/day",
            minimum=0,
        ),
        Column("lead_time_mean_days", F, "Supplier lead time, mean.", unit="days", nullable=True),
        Column(
            "lead_time_sd_days",
            F,
            "Supplier lead time, standard deviation.",
            unit="days",
            nullable=True,
        ),
        Column(
            "unit_cost_usd",
            F,
            "Landed cost per unit at the chosen quantity.",
            unit="USD",
            nullable=True,
        ),
        Column(
            "safety_stock_units",
            F,
            "Stock kept against forecast and lead-time uncertainty.",
            unit="units",
            nullable=True,
        ),
        Column(
            "reorder_point_units",
            F,
            "Order when the stock position falls to this.",
            unit="units",
            nullable=True,
        ),
        Column(
            "order_up_to_level_units",
            F,
            "Highest stock position the policy aims at.",
            unit="units",
            nullable=True,
        ),
        Column(
            "order_quantity_units",
            F,
            "Quantity per order (price tiers, MOQ, multiple).",
            unit="units",
            nullable=True,
        ),
        Column(
            "expected_fill_rate",
            F,
            "Fill rate the policy should reach.",
            unit="fraction",
            nullable=True,
        ),
        Column(
            "cost_usd_per_day",
            F,
            "Expected ordering, holding and purchase cost per day.",
            unit="USD/day",
            nullable=True,
        ),
        Column("explanation", S, "How the numbers came about, in words."),
    ),
    primary_key=("run_id", "sku_id", "warehouse_id"),
)

POLICY_BACKTESTS = Table(
    "policy_backtests",
    "Past demand replayed under a run's policies: achieved service against the target.",
    (
        Column("run_id", INT, "Run.", references="plan_runs.run_id"),
        Column("segment_kind", S, "all, or the class kind (abc_class, xyz_class).", max_length=32),
        Column("segment", S, "Segment.", max_length=64),
        Column("rows", INT, "SKU x warehouse rows replayed.", minimum=0),
        Column("demand_units", F, "Units demanded in the replay.", unit="units", minimum=0),
        _share("target_fill_rate", "Demand-weighted fill-rate target."),
        _share("fill_rate", "Share of units served from stock."),
        Column(
            "cycle_service_level",
            F,
            "Share of replenishment cycles without a stock-out; empty when no order arrived.",
            unit="fraction",
            nullable=True,
            minimum=0,
            maximum=1,
        ),
        Column("stockout_days", INT, "SKU x warehouse days out of stock.", minimum=0),
        _amount("average_stock_value_usd", "Average value of stock on hand."),
        _amount("total_cost_usd", "Ordering, holding and purchase cost over the replay."),
    ),
    primary_key=("run_id", "segment_kind", "segment"),
)

NET_REQUIREMENTS = Table(
    "net_requirements",
    "What a run found must be bought: quantity and need-by date per SKU and warehouse, and "
    "how much of it sourcing could award.",
    (
        Column("run_id", INT, "Run.", references="plan_runs.run_id"),
        Column("requirement_id", INT, "Requirement number within the run.", minimum=1),
        _key("sku_id", "SKU.", references="skus.sku_id"),
        _key("warehouse_id", "Warehouse to deliver to.", references="warehouses.warehouse_id"),
        Column("order_by_date", D, "Day the stock position reaches the reorder point."),
        Column("need_by_date", D, "Day the units are needed in stock."),
        _units("quantity_units", "Units required.", positive=True),
        Column(
            "projected_position_units",
            F,
            "Stock position on the order-by day, before this requirement.",
            unit="units",
        ),
        Column("urgent", B, "Stock falls below safety stock before any supplier can deliver."),
        _units("awarded_units", "Units awarded to suppliers."),
        _units("shortfall_units", "Units no offer could cover."),
        Column("shortfall_reason", S, "Why units are not covered.", nullable=True, max_length=500),
        Column("explanation", S, "How the requirement came about, in words."),
    ),
    primary_key=("run_id", "requirement_id"),
)

SOURCING_AWARDS = Table(
    "sourcing_awards",
    "The award of a run: which offer covers each requirement, how much, at what cost, and why.",
    (
        Column("run_id", INT, "Run.", references="plan_runs.run_id"),
        Column("requirement_id", INT, "Requirement covered."),
        _key("offer_id", "Offer awarded.", references="supplier_offers.offer_id"),
        _key("supplier_id", "Supplier awarded.", references="suppliers.supplier_id"),
        _key("sku_id", "SKU.", references="skus.sku_id"),
        _key("warehouse_id", "Warehouse to deliver to.", references="warehouses.warehouse_id"),
        _units("quantity_units", "Units ordered.", positive=True),
        _amount("unit_price_usd", "Price per unit at the tier reached."),
        _amount("landed_cost_usd_per_unit", "Price with duty, freight and any expedite cost."),
        _amount("risk_penalty_usd", "Risk penalty counted in the decision (not paid)."),
        _amount("fixed_order_cost_usd", "Fixed cost of the order line."),
        _amount("total_cost_usd", "Landed cost of the line plus fixed cost and risk penalty."),
        Column("lead_time_days", F, "Days from order to our dock.", unit="days", minimum=0),
        Column("expedited", B, "Whether the line is expedited to meet the need-by date."),
        Column("arrival_date", D, "Expected arrival at our dock."),
        Column("late_days", INT, "Days after the need-by date it arrives.", minimum=0),
        Column(
            "po_id",
            INT,
            "Proposed purchase order created for it.",
            nullable=True,
            references="purchase_orders.po_id",
        ),
        Column("explanation", S, "Why this offer: the alternatives and their differences."),
    ),
    primary_key=("run_id", "requirement_id", "offer_id"),
    foreign_keys=(
        ForeignKey(("run_id", "requirement_id"), "net_requirements", ("run_id", "requirement_id")),
    ),
)

AWARD_ALTERNATIVES = Table(
    "award_alternatives",
    "Every offer considered for a requirement, chosen or not, with the cost and lead-time "
    "difference to the choice.",
    (
        Column("run_id", INT, "Run.", references="plan_runs.run_id"),
        Column("requirement_id", INT, "Requirement."),
        _key("offer_id", "Offer considered.", references="supplier_offers.offer_id"),
        _key("supplier_id", "Its supplier.", references="suppliers.supplier_id"),
        Column("status", S, "chosen, eligible (not chosen) or excluded.", max_length=16),
        Column("reason", S, "Why not chosen, or why excluded.", nullable=True, max_length=500),
        Column(
            "landed_cost_usd",
            F,
            "Cost of covering the whole requirement with this offer alone.",
            unit="USD",
            nullable=True,
        ),
        Column(
            "cost_difference_usd",
            F,
            "Its cost minus the chosen award's cost.",
            unit="USD",
            nullable=True,
        ),
        Column(
            "lead_time_difference_days",
            F,
            "Its lead time minus the chosen one's.",
            unit="days",
            nullable=True,
        ),
    ),
    primary_key=("run_id", "requirement_id", "offer_id"),
    foreign_keys=(
        ForeignKey(("run_id", "requirement_id"), "net_requirements", ("run_id", "requirement_id")),
    ),
)

FULFILLMENT_ALLOCATIONS = Table(
    "fulfillment_allocations",
    "The optimised allocation of a run: the warehouse and carrier service of each open line.",
    (
        Column("run_id", INT, "Run.", references="plan_runs.run_id"),
        Column("order_id", INT, "Order."),
        Column("line_no", INT, "Order line."),
        _key("warehouse_id", "Ship-from warehouse.", references="warehouses.warehouse_id"),
        _key("service_id", "Carrier service.", references="carrier_services.service_id"),
        Column("ship_date", D, "Day it is handed to the carrier."),
        Column("arrival_date", D, "Expected delivery day."),
        Column("on_time", B, "Whether it meets the promised delivery date."),
    ),
    primary_key=("run_id", "order_id", "line_no"),
    foreign_keys=(ForeignKey(("order_id", "line_no"), "order_lines", ("order_id", "line_no")),),
)

ALLOCATION_SUMMARIES = Table(
    "allocation_summaries",
    "Cost, splits and on-time share of a run's allocation, optimised and by each rule, so the "
    "saving of the optimisation shows.",
    (
        Column("run_id", INT, "Run.", references="plan_runs.run_id"),
        Column("method", S, "How orders were allocated.", choices=_codes(AllocationMethod)),
        _units("orders", "Open orders in the batch."),
        _units("orders_allocated", "Orders with every line allocated."),
        _units("parcels", "Parcels shipped."),
        _units("split_orders", "Orders shipped in more than one parcel."),
        _share("split_rate", "Split orders as a share of allocated orders."),
        _amount("shipping_cost_usd", "Postage with fuel surcharge."),
        _amount("handling_cost_usd", "Warehouse handling."),
        _amount("total_cost_usd", "Postage, handling and penalties."),
        _amount("cost_per_order_usd", "Postage and handling per allocated order."),
        _share("on_time_share", "Share of allocated orders arriving by the promised date."),
        Column(
            "lower_bound_usd",
            F,
            "Proven lower bound on the total cost (optimised run only).",
            unit="USD",
            nullable=True,
        ),
        Column("gap", F, "Total cost over the lower bound, minus 1.", nullable=True, minimum=0),
    ),
    primary_key=("run_id", "method"),
)

TABLES: tuple[Table, ...] = (
    CURRENCIES,
    REGIONS,
    CATEGORIES,
    SKUS,
    CARTONS,
    SUPPLIERS,
    SUPPLIER_CERTIFICATIONS,
    SUPPLIER_OFFERS,
    OFFER_PRICE_TIERS,
    WAREHOUSES,
    SHIPPING_ZONES,
    CARRIERS,
    CARRIER_SERVICES,
    RATE_CARDS,
    TRANSIT_TIMES,
    SALES_EVENTS,
    BUDGETS,
    PLANNING_PARAMETERS,
    SERVICE_LEVEL_TARGETS,
    SCORECARD_WEIGHTS,
    ORDERS,
    SHIPMENTS,
    ORDER_LINES,
    PURCHASE_ORDERS,
    PURCHASE_ORDER_EVENTS,
    PURCHASE_ORDER_LINES,
    RECEIPTS,
    SUPPLIER_INVOICES,
    SUPPLIER_INVOICE_LINES,
    RETURNS,
    INVENTORY_MOVEMENTS,
    SHIPMENT_EVENTS,
    STOCK_TRANSFERS,
)

"""The marketplace's data and business parameters, in load order."""

RESULT_TABLES: tuple[Table, ...] = (
    PLAN_RUNS,
    FORECAST_MODELS,
    FORECAST_ACCURACY,
    DEMAND_FORECASTS,
    INVENTORY_POLICIES,
    POLICY_BACKTESTS,
    NET_REQUIREMENTS,
    SOURCING_AWARDS,
    AWARD_ALTERNATIVES,
    FULFILLMENT_ALLOCATIONS,
    ALLOCATION_SUMMARIES,
)
"""What plan runs produce: written by ShopOps, exported for analysis."""

ALL_TABLES: tuple[Table, ...] = TABLES + RESULT_TABLES

TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in ALL_TABLES}


def table(name: str) -> Table:
    """The table called ``name``; a clear error if there is none."""
    try:
        return TABLES_BY_NAME[name]
    except KeyError:
        raise KeyError(f"no table {name!r}; tables are {', '.join(TABLES_BY_NAME)}") from None
