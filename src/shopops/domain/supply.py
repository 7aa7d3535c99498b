"""Who we buy from and what we ordered: suppliers, offers and purchase orders."""

from enum import StrEnum


class SupplierStatus(StrEnum):
    """Approved suppliers are sourced freely, probation ones with a warning, blocked never."""

    APPROVED = "approved"
    PROBATION = "probation"
    BLOCKED = "blocked"


class Incoterm(StrEnum):
    """Incoterms 2020 rules: where the buyer takes over cost and risk."""

    EXW = "EXW"
    FCA = "FCA"
    FOB = "FOB"
    CFR = "CFR"
    CIF = "CIF"
    DAP = "DAP"
    DDP = "DDP"


class PurchaseOrderStatus(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    SENT = "sent"
    CONFIRMED = "confirmed"
    PARTIALLY_RECEIVED = "partially_received"
    RECEIVED = "received"
    CANCELLED = "cancelled"
    CLOSED = "closed"


OPEN_PURCHASE_ORDER_STATUSES = frozenset(
    {
        PurchaseOrderStatus.APPROVED,
        PurchaseOrderStatus.SENT,
        PurchaseOrderStatus.CONFIRMED,
        PurchaseOrderStatus.PARTIALLY_RECEIVED,
    }
)
"""Statuses whose unreceived quantity counts as on order."""


class ScorecardKind(StrEnum):
    """Who a scorecard rates: suppliers, warehouses (own and 3PL) or carriers."""

    SUPPLIER = "supplier"
    WAREHOUSE = "warehouse"
    CARRIER = "carrier"
