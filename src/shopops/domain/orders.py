"""What buyers order, how it ships and how it comes back."""

from enum import StrEnum


class SalesChannel(StrEnum):
    """Where the order was placed: the shop page, a short video or a live stream."""

    SHOP = "shop"
    VIDEO = "video"
    LIVE_STREAM = "live_stream"


class OrderStatus(StrEnum):
    OPEN = "open"
    ALLOCATED = "allocated"
    PARTIALLY_SHIPPED = "partially_shipped"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


class OrderLineStatus(StrEnum):
    """A line is open until stock is reserved for it; picking takes the units off the shelf."""

    OPEN = "open"
    RESERVED = "reserved"
    PICKED = "picked"
    SHIPPED = "shipped"
    CANCELLED = "cancelled"


class CancelReason(StrEnum):
    CUSTOMER = "customer"
    STOCKOUT = "stockout"
    FRAUD = "fraud"
    OTHER = "other"


class ShipmentStatus(StrEnum):
    PICKING = "picking"
    PACKED = "packed"
    SHIPPED = "shipped"
    IN_TRANSIT = "in_transit"
    DELIVERED = "delivered"
    EXCEPTION = "exception"
    CANCELLED = "cancelled"


class ReturnReason(StrEnum):
    DAMAGED = "damaged"
    DEFECTIVE = "defective"
    WRONG_ITEM = "wrong_item"
    NOT_AS_DESCRIBED = "not_as_described"
    SIZE_FIT = "size_fit"
    CHANGED_MIND = "changed_mind"
    LATE_DELIVERY = "late_delivery"


class ReturnStatus(StrEnum):
    REQUESTED = "requested"
    IN_TRANSIT = "in_transit"
    RECEIVED = "received"
    CLOSED = "closed"
    REJECTED = "rejected"


class ConditionGrade(StrEnum):
    """Inspection grade of a returned item: A as new, B open box, C damaged, D scrap."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"


class Disposition(StrEnum):
    RESTOCK = "restock"
    REFURBISH = "refurbish"
    LIQUIDATE = "liquidate"
    DISPOSE = "dispose"


class AllocationMethod(StrEnum):
    """How open orders were assigned to warehouses and carrier services."""

    OPTIMISED = "optimised"
    NEAREST_WAREHOUSE = "nearest_warehouse"
    CHEAPEST_SINGLE_WAREHOUSE = "cheapest_single_warehouse"
