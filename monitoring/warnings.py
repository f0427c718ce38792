"""The warnings that go out after a checkpoint: each institution behind hears how far, and what the
next checkpoint expects of it; each bureau hears which of its schools are seriously behind (through the
inbox and e-mail of notifications.services.notify). Each message is kept as a WarningSent row."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from accounts.models import User
from institutions.enums import InstitutionKind
from monitoring.checkpoints import target_for
from monitoring.enums import Standing
from monitoring.models import Checkpoint, InstitutionSnapshot
from monitoring.rates import CHECKPOINT_MONTHS, checkpoint_date, expected_examined
from monitoring.records import WarningSent


def next_target_month(checkpoint: Checkpoint, *, today: date) -> int:
    """The checkpoint a warning points to: the first one after `checkpoint` in its year whose day is still
    ahead (a checkpoint taken late points past the ones gone by); December when none is left."""
    later = [m for m in CHECKPOINT_MONTHS if m > checkpoint.month and checkpoint_date(checkpoint.year, m) >= today]
    return later[0] if later else 12


def send_warnings(checkpoint: Checkpoint) -> int:
    """Warn everyone concerned by `checkpoint`; returns how many institutions are behind.

    Side effects: each slow or serious institution's people (staff, office head, leaders) get its
    standing and what the next checkpoint expects (inbox and e-mail); each bureau's reviewers get the
    list of its secondary schools that are seriously behind; one WarningSent row per message, which
    is what the office reads as "who was warned".
    """
    behind = list(
        InstitutionSnapshot.objects.filter(checkpoint=checkpoint, standing__in=Standing.behind())
        .select_related("institution", "bureau")
        .order_by("institution_id")
    )
    _warn_institutions(checkpoint, behind)
    _warn_bureaus(checkpoint, [s for s in behind if s.standing == Standing.SERIOUS])
    return len(behind)


def _warn_institutions(checkpoint: Checkpoint, behind: list[InstitutionSnapshot]) -> None:
    from notifications.services import notify

    people = defaultdict(list)
    for user in User.objects.filter(
        institution_id__in=[s.institution_id for s in behind], role__in=Role.institution_roles(), is_active=True
    ):
        people[user.institution_id].append(user)
    next_month = next_target_month(checkpoint, today=timezone.localdate())
    next_target = target_for(next_month)
    for snapshot in behind:
        expected = expected_examined(approved=snapshot.approved, target=next_target)
        sent = notify(
            recipients=people[snapshot.institution_id],
            name="monitoring_warning",
            context={
                "institution": snapshot.institution.name,
                "checkpoint": checkpoint,
                "approved": snapshot.approved,
                "examined": snapshot.examined,
                "rate": snapshot.figures.completion,
                "standing": Standing(snapshot.standing).label,
                "next_date": checkpoint_date(checkpoint.year, next_month),
                "next_target": next_target,
                "expected": expected,
                "still_needed": max(expected - snapshot.figures.toward_completion, 0),
            },
            url=reverse("monitoring:institution", args=[snapshot.institution_id]) + f"?year={checkpoint.year}",
        )
        _keep(checkpoint, sent, institution_id=snapshot.institution_id, standing=snapshot.standing)


def _warn_bureaus(checkpoint: Checkpoint, serious: list[InstitutionSnapshot]) -> None:
    """A bureau hears of its own secondary schools only (DOMAIN.md §3)."""
    from notifications.services import notify

    schools = defaultdict(list)
    for snapshot in serious:
        if snapshot.kind in InstitutionKind.secondary():
            schools[snapshot.bureau_id].append(snapshot)
    reviewers = defaultdict(list)
    for user in User.objects.filter(bureau_id__in=list(schools), role=Role.BUREAU_REVIEWER, is_active=True):
        reviewers[user.bureau_id].append(user)
    for bureau_id, rows in schools.items():
        sent = notify(
            recipients=reviewers[bureau_id],
            name="monitoring_bureau_serious",
            context={
                "bureau": rows[0].bureau.name,
                "checkpoint": checkpoint,
                "schools": [
                    {
                        "name": s.institution.name,
                        "approved": s.approved,
                        "examined": s.examined,
                        "rate": s.figures.completion,
                    }
                    for s in rows
                ],
            },
            url=reverse("monitoring:report", args=[checkpoint.pk]) + f"?bureau={bureau_id}",
        )
        _keep(checkpoint, sent, bureau_id=bureau_id, standing=Standing.SERIOUS)


def _keep(checkpoint: Checkpoint, sent, **whom) -> None:
    WarningSent.objects.bulk_create(WarningSent(checkpoint=checkpoint, notification=n, **whom) for n in sent)
