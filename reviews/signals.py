"""What the review room keeps up to date when other rooms' rows change: the queue's cached option lists, and the
stored rule checks of plans that moved (checked in the background, so that the queue never looks for them)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from core.fragments import forget_fragments
from plans.enums import PlanStatus
from reviews.forms import BUREAU_OPTIONS, CERTIFICATE_OPTIONS, ROUND_DATES, round_options_key
from reviews.tasks import refresh_plan_checks

# A plan in these statuses is in no queue: its stored check is not read.
NOT_QUEUED = frozenset({PlanStatus.DRAFT, PlanStatus.AWAITING_SIGNOFF})


def certificate_changed(sender, **kwargs) -> None:
    forget_fragments(CERTIFICATE_OPTIONS)


def bureau_changed(sender, **kwargs) -> None:
    forget_fragments(BUREAU_OPTIONS)


def round_changed(sender, **kwargs) -> None:
    forget_fragments(ROUND_DATES, *(round_options_key(language) for language, _name in settings.LANGUAGES))


def plan_saved(sender, instance, update_fields=None, **kwargs) -> None:
    """A plan saved in a queue's status gets its rule check stored by the worker once the step commits (the job
    does nothing if the stored check is current)."""
    if instance.status in NOT_QUEUED or (update_fields is not None and "status" not in update_fields):
        return
    pk = instance.pk
    transaction.on_commit(lambda: refresh_plan_checks.enqueue([pk]))
