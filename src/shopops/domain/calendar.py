"""The sales calendar: the days on which demand is not like other days."""

from enum import StrEnum


class SalesEventType(StrEnum):
    SINGLES_DAY = "singles_day"
    BLACK_FRIDAY = "black_friday"
    CYBER_MONDAY = "cyber_monday"
    MID_YEAR_SALE = "mid_year_sale"
    DOUBLE_TWELVE = "double_twelve"
    FLASH_SALE = "flash_sale"
    HOLIDAY = "holiday"
