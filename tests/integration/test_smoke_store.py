import datetime as dt

import polars as pl
import pytest
import sqlalchemy as sa

from shopops.data.schemas import ORDERS, REGIONS
from shopops.store.unit_of_work import SqlUnitOfWork


def _region() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "region_id": ["NYC"],
            "name": ["New York"],
            "country_code": ["US"],
            "latitude": [40.71],
            "longitude": [-74.01],
            "population": [19_500_000],
        }
    )


def test_written_frames_read_back_identical(engine: sa.Engine) -> None:
    orders = pl.DataFrame(
        {
            "order_id": [1, 2],
            "external_order_id": ["TT-1", "TT-2"],
            "channel": ["shop", "live_stream"],
            "ordered_at": [dt.datetime(2026, 1, 1, 10, 0, 0, 123456), dt.datetime(2026, 1, 2)],
            "region_id": ["NYC", "NYC"],
            "customer_id": [None, "C-9"],
            "status": ["open", "open"],
            "promised_dispatch_date": [dt.date(2026, 1, 2)] * 2,
            "promised_delivery_date": [dt.date(2026, 1, 5)] * 2,
            "event_id": [None, None],
        }
    )
    with SqlUnitOfWork(engine) as uow:
        uow.frames.write("regions", _region())
        uow.frames.write("orders", orders)
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        assert uow.frames.read("orders").equals(ORDERS.conform(orders))
        assert uow.frames.read("regions").equals(REGIONS.conform(_region()))


def test_leaving_without_commit_writes_nothing(engine: sa.Engine) -> None:
    with SqlUnitOfWork(engine) as uow:
        uow.frames.write("regions", _region())
    with SqlUnitOfWork(engine) as uow:
        assert uow.frames.count("regions") == 0


def test_negative_population_is_refused_by_the_database(engine: sa.Engine) -> None:
    bad = _region().with_columns(pl.lit(-1).alias("population"))
    with pytest.raises(sa.exc.IntegrityError), SqlUnitOfWork(engine) as uow:
        uow.frames.write("regions", bad)
