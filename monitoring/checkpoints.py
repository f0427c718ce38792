"""Bi-monthly checkpoints: freeze every institution's and certificate's figures once, with the target."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from audit.services import record
from core.models import ProvinceSettings
from monitoring.asof import figures_at
from monitoring.checkpoint_totals import CheckpointTotal
from monitoring.enums import Standing
from monitoring.figure_cache import figures_changed
from monitoring.models import CertificateSnapshot, Checkpoint, InstitutionSnapshot
from monitoring.rates import CHECKPOINT_MONTHS, checkpoint_date, last_checkpoint, parse_targets, standing

BATCH = 2000
SUMMED = ("approved", "registered", "examined", "passed", "counted", "implausible")


def target_for(month: int) -> Decimal:
    return parse_targets(ProvinceSettings.current().checkpoint_targets)[month]


def live_target(year: int, *, today: date) -> tuple[Decimal, int | None]:
    """The target live figures of `year` are judged by today, and the month it belongs to (None: none yet)."""
    if year < today.year:
        return target_for(12), 12
    if year > today.year:
        return Decimal(0), None
    last_year, month = last_checkpoint(today)
    if last_year != year:
        return Decimal(0), None
    return target_for(month), month


def _institution_rows(checkpoint: Checkpoint, found) -> list[InstitutionSnapshot]:
    """Each institution's figures at the checkpoint, and where it stands against the month's target."""
    rows = []
    for institution_id in sorted(found.institutions):
        sums = found.institutions[institution_id]
        bureau_id, kind = found.places[institution_id]
        rows.append(
            InstitutionSnapshot(
                checkpoint=checkpoint,
                year=checkpoint.year,
                institution_id=institution_id,
                bureau_id=bureau_id,
                kind=kind,
                standing=standing(examined=sums.counted, approved=sums.approved, target=checkpoint.target)
                or Standing.ON_TRACK,
                **asdict(sums),
            )
        )
    return rows


def take_snapshot(*, year: int, month: int, actor) -> Checkpoint:
    """Write the snapshot of (year, month) as the figures stood at the end of its day (monitoring.asof),
    so that a checkpoint taken late equals one taken on time; the caller holds the year lock."""
    target = target_for(month)
    checkpoint = Checkpoint.objects.create(
        year=year, month=month, target=target, taken_at=timezone.now(), taken_by=actor
    )
    found = figures_at(year, checkpoint_date(year, month))
    rows = _institution_rows(checkpoint, found)
    counts = {s: 0 for s in Standing.values} | Counter(row.standing for row in rows)
    InstitutionSnapshot.objects.bulk_create(rows, batch_size=BATCH)
    CertificateSnapshot.objects.bulk_create(
        [
            CertificateSnapshot(checkpoint=checkpoint, year=year, certificate_id=pk, **asdict(found.certificates[pk]))
            for pk in sorted(found.certificates)
        ],
        batch_size=BATCH,
    )
    store_totals(checkpoint)
    record(
        actor=actor,
        action="monitoring.checkpoint.take",
        obj=checkpoint,
        after={"target": target, "as_of": checkpoint_date(year, month), "institutions": len(rows), **counts},
    )
    return checkpoint


def store_totals(checkpoint: Checkpoint) -> None:
    """Sum `checkpoint`'s snapshot rows by bureau and kind, and over all of them.

    Side effects: writes the checkpoint's CheckpointTotal rows (call once, when the snapshot has been written); the
    cached dashboard figures are dropped."""
    groups = (
        InstitutionSnapshot.objects.filter(checkpoint=checkpoint)
        .values("bureau_id", "kind")
        .annotate(
            **{name: Sum(name) for name in SUMMED},
            slow=Count("pk", filter=Q(standing=Standing.SLOW)),
            serious=Count("pk", filter=Q(standing=Standing.SERIOUS)),
        )
        .order_by("bureau_id", "kind")
    )
    rows = [CheckpointTotal(checkpoint=checkpoint, year=checkpoint.year, **group) for group in groups]
    whole = {name: sum(getattr(row, name) for row in rows) for name in (*SUMMED, "slow", "serious")}
    rows.append(CheckpointTotal(checkpoint=checkpoint, year=checkpoint.year, bureau=None, kind="", **whole))
    CheckpointTotal.objects.bulk_create(rows, batch_size=BATCH)
    figures_changed()  # the trend reads these


def due(*, today: date) -> list[tuple[int, int]]:
    """Checkpoints of this year (and, early in the year, last December) whose day has come, not taken yet."""
    wanted = [(today.year - 1, 12)] if today.month <= 2 else []
    wanted += [(today.year, m) for m in CHECKPOINT_MONTHS if checkpoint_date(today.year, m) <= today]
    taken = set(Checkpoint.objects.filter(year__in=[today.year - 1, today.year]).values_list("year", "month"))
    return [pair for pair in wanted if pair not in taken]
