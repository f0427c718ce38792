"""Bi-monthly checkpoints: freeze every institution's and certificate's figures once, with the target."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone

from audit.services import record
from core.models import ProvinceSettings
from monitoring.enums import Standing
from monitoring.models import (
    CertificateProgress,
    CertificateSnapshot,
    Checkpoint,
    InstitutionProgress,
    InstitutionSnapshot,
)
from monitoring.rates import CHECKPOINT_MONTHS, checkpoint_date, last_checkpoint, parse_targets, standing

BATCH = 2000


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


def take_snapshot(*, year: int, month: int, actor) -> Checkpoint:
    """Write the snapshot of (year, month) from the rollups; the caller holds the year lock."""
    target = target_for(month)
    checkpoint = Checkpoint.objects.create(
        year=year, month=month, target=target, taken_at=timezone.now(), taken_by=actor
    )
    counts = {s: 0 for s in Standing.values}
    rows = []
    for row in (
        InstitutionProgress.objects.filter(year=year)
        .values(
            "institution_id",
            "institution__bureau_id",
            "institution__kind",
            "approved",
            "registered",
            "examined",
            "passed",
            "counted",
        )
        .order_by("institution_id")
        .iterator(chunk_size=BATCH)
    ):
        found = standing(examined=row["counted"], approved=row["approved"], target=target) or Standing.ON_TRACK
        counts[found] += 1
        rows.append(
            InstitutionSnapshot(
                checkpoint=checkpoint,
                year=year,
                institution_id=row["institution_id"],
                bureau_id=row["institution__bureau_id"],
                kind=row["institution__kind"],
                approved=row["approved"],
                registered=row["registered"],
                examined=row["examined"],
                passed=row["passed"],
                counted=row["counted"],
                standing=found,
            )
        )
    InstitutionSnapshot.objects.bulk_create(rows, batch_size=BATCH)
    CertificateSnapshot.objects.bulk_create(
        [
            CertificateSnapshot(
                checkpoint=checkpoint,
                year=year,
                certificate_id=row.certificate_id,
                approved=row.approved,
                registered=row.registered,
                examined=row.examined,
                passed=row.passed,
                counted=row.counted,
            )
            for row in CertificateProgress.objects.filter(year=year).order_by("certificate_id")
        ],
        batch_size=BATCH,
    )
    record(
        actor=actor,
        action="monitoring.checkpoint.take",
        obj=checkpoint,
        after={"target": target, "institutions": len(rows), **counts},
    )
    return checkpoint


def due(*, today: date) -> list[tuple[int, int]]:
    """Checkpoints of this year (and, early in the year, last December) whose day has come, not taken yet."""
    wanted = [(today.year - 1, 12)] if today.month <= 2 else []
    wanted += [(today.year, m) for m in CHECKPOINT_MONTHS if checkpoint_date(today.year, m) <= today]
    taken = set(Checkpoint.objects.filter(year__in=[today.year - 1, today.year]).values_list("year", "month"))
    return [pair for pair in wanted if pair not in taken]
