"""What is sold: how a SKU is packed and whether it is still sold."""

from enum import StrEnum


class PackagingType(StrEnum):
    """How a SKU travels to the buyer; decides the carton or mailer it needs."""

    BOX = "box"
    MAILER = "mailer"
    POLY_BAG = "poly_bag"
    ENVELOPE = "envelope"
    TUBE = "tube"


class SkuStatus(StrEnum):
    ACTIVE = "active"
    DISCONTINUED = "discontinued"


class CartonFamily(StrEnum):
    """Kinds of shipping packaging, from flat envelopes to rigid boxes."""

    ENVELOPE = "envelope"
    POLY_BAG = "poly_bag"
    MAILER = "mailer"
    TUBE = "tube"
    BOX = "box"
