"""The warnings that go out after a checkpoint: each institution behind hears how far, and what the
next checkpoint expects of it (through the inbox and e-mail of notifications.services.notify)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from accounts.models import User
from monitoring.checkpoints import target_for
from monitoring.enums import Standing
from monitoring.models import Checkpoint, InstitutionSnapshot
from monitoring.rates import CHECKPOINT_MONTHS, checkpoint_date, expected_examined


def next_target_month(checkpoint: Checkpoint, *, today: date) -> int:
    """The checkpoint a warning points to: the first one after `checkpoint` in its year whose day is still
    ahead (a checkpoint taken late points past the ones gone by); December when none is left."""
    later = [m for m in CHECKPOINT_MONTHS if m > checkpoint.month and checkpoint_date(checkpoint.year, m) >= today]
    return later[0] if later else 12


def send_warnings(checkpoint: Checkpoint) -> int:
    """Notify the people of every slow or serious institution at `checkpoint`; returns how many institutions."""
    from notifications.services import notify

    behind = list(
        InstitutionSnapshot.objects.filter(checkpoint=checkpoint, standing__in=Standing.behind())
        .select_related("institution")
        .order_by("institution_id")
    )
    people = defaultdict(list)
    for user in User.objects.filter(
        institution_id__in=[s.institution_id for s in behind], role__in=Role.institution_roles(), is_active=True
    ):
        people[user.institution_id].append(user)
    next_month = next_target_month(checkpoint, today=timezone.localdate())
    next_target = target_for(next_month)
    for snapshot in behind:
        expected = expected_examined(approved=snapshot.approved, target=next_target)
        notify(
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
                "still_needed": max(expected - snapshot.examined, 0),
            },
            url=reverse("monitoring:institution", args=[snapshot.institution_id]) + f"?year={checkpoint.year}",
        )
    return len(behind)
