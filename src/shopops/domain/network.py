"""Where stock is kept and how parcels travel: warehouses, carriers and their services."""

from enum import StrEnum


class WarehouseOperator(StrEnum):
    """Who runs the warehouse: the marketplace itself or a third-party logistics partner."""

    OWN = "own"
    THIRD_PARTY = "3pl"


class ServiceLevel(StrEnum):
    ECONOMY = "economy"
    STANDARD = "standard"
    EXPRESS = "express"
    NEXT_DAY = "next_day"


class TransportMode(StrEnum):
    """Main transport mode of a carrier service; selects the emission factor."""

    ROAD = "road"
    AIR = "air"
    RAIL = "rail"
    SEA = "sea"
