"""A checkpoint's stored totals (monitoring.checkpoint_totals) equal the sums of its snapshot rows, and the trend
read from them equals the trend summed from the snapshot rows each role sees."""

import importlib
from datetime import datetime

import pytest
import time_machine
from django.apps import apps
from django.db.models import Count, Q, Sum

from monitoring import figures, services
from monitoring.checkpoint_totals import CheckpointTotal
from monitoring.enums import Standing
from monitoring.models import InstitutionSnapshot
from monitoring.rates import Figures
from tests.monitoring.test_dashboard import SHANGHAI, grow

SUMS = {name: Sum(name) for name in ("approved", "registered", "examined", "passed", "counted", "implausible")}
BEHIND = {
    "slow": Count("pk", filter=Q(standing=Standing.SLOW)),
    "serious": Count("pk", filter=Q(standing=Standing.SERIOUS)),
}
COLUMNS = (*SUMS, *BEHIND)


@pytest.fixture
def checkpoints(cast, plans):
    with time_machine.travel(datetime(2027, 6, 30, 23, 0, tzinfo=SHANGHAI), tick=False):
        grow(2, plans)
        april, _ = services.take_checkpoint(year=2027, month=4)
        grow(1, plans)
        june, _ = services.take_checkpoint(year=2027, month=6)
    return [april, june]


def stored(checkpoint) -> dict:
    return {
        (row.bureau_id, row.kind): tuple(getattr(row, name) for name in COLUMNS)
        for row in CheckpointTotal.objects.filter(checkpoint=checkpoint)
    }


def summed_from_snapshots(checkpoint) -> dict:
    rows = InstitutionSnapshot.objects.filter(checkpoint=checkpoint)
    found = {
        (row["bureau_id"], row["kind"]): tuple(row[name] for name in COLUMNS)
        for row in rows.values("bureau_id", "kind").annotate(**SUMS, **BEHIND)
    }
    whole = rows.aggregate(**SUMS, **BEHIND)
    return found | {(None, ""): tuple(whole[name] for name in COLUMNS)}


def test_stored_totals_equal_the_sums_of_the_snapshot_rows(checkpoints):
    for checkpoint in checkpoints:
        assert stored(checkpoint) == summed_from_snapshots(checkpoint)
    # Two bureaus of the cast and three grown ones, a secondary school and a college in each grown one.
    assert len(stored(checkpoints[1])) > len(stored(checkpoints[0])) > 2


def test_the_migration_stores_the_totals_of_checkpoints_taken_before(checkpoints):
    before = [stored(checkpoint) for checkpoint in checkpoints]
    CheckpointTotal.objects.all().delete()

    importlib.import_module("monitoring.migrations.0010_checkpoint_totals").store_existing(apps, None)

    assert [stored(checkpoint) for checkpoint in checkpoints] == before


def trend_from_snapshots(user, year: int) -> list[tuple]:
    rows = (
        InstitutionSnapshot.objects.for_user(user)
        .filter(checkpoint__year=year)
        .values("checkpoint__month")
        .annotate(**SUMS, **BEHIND)
        .order_by("checkpoint__month")
    )
    return [
        (f"{year}年{row['checkpoint__month']}月", row["approved"], row["examined"], row["slow"], row["serious"])
        + (Figures(row["approved"], counted=row["counted"]).completion,)
        for row in rows
    ]


@pytest.mark.parametrize("who", ["observer", "bureau_reviewer", "staff"])
def test_the_trend_read_from_the_stored_totals_is_the_trend_of_the_rows_each_role_sees(cast, checkpoints, who):
    user = getattr(cast, who)

    figure = figures.trend(user, 2027)

    expected = trend_from_snapshots(user, 2027)
    assert expected, "every role of the cast sees some checkpoint rows"
    assert [
        (r["label"], r["approved"], r["examined"], r["slow"], r["serious"], r["completion"]) for r in figure.rows
    ] == expected
