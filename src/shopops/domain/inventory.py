"""Stock as a ledger of movements; on hand is their sum, never a stored number."""

from enum import StrEnum


class MovementType(StrEnum):
    """Kinds of stock movement. Receipts and returns add, picks remove, the rest either way."""

    RECEIPT = "receipt"
    PICK = "pick"
    ADJUSTMENT = "adjustment"
    RETURN = "return"
    TRANSFER = "transfer"


class MovementReference(StrEnum):
    """The document a movement was posted from."""

    RECEIPT = "receipt"
    SHIPMENT = "shipment"
    RETURN = "return"
    TRANSFER = "transfer"
    OPENING_BALANCE = "opening_balance"
    CYCLE_COUNT = "cycle_count"


class TransferStatus(StrEnum):
    """A stock transfer between warehouses, from proposal to arrival."""

    PROPOSED = "proposed"
    APPROVED = "approved"
    SHIPPED = "shipped"
    RECEIVED = "received"
    CANCELLED = "cancelled"
