"""A plan's timeline: every audit event of the plan, its lines, forms, decisions and extensions, oldest first."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.enums import Role
from audit.models import AuditEvent
from plans.models import Plan
from reviews.models import LineDecision
from rounds.models import Extension


def sees_addresses(user) -> bool:
    """Only the province sees the IP addresses actions came from: an official's address is not a school's business."""
    return user.role in Role.provincial_roles()


def _ids(queryset) -> list[str]:
    return [str(pk) for pk in queryset.values_list("pk", flat=True)]


def plan_timeline(plan: Plan, *, user) -> QuerySet[AuditEvent]:
    """The events `user` may read about `plan`.

    An institution does not see the reviewers' working (line recommendations and held decisions); it sees the
    plan's transitions, including returns with their reasons and the publication with the approved figures.
    """
    wanted = (
        Q(object_type="plans.plan", object_id=str(plan.pk))
        | Q(object_type="plans.planline", object_id__in=_ids(plan.lines.all()))
        | Q(object_type="plans.applicationform", object_id__in=_ids(plan.forms.all()))
        | Q(
            object_type="rounds.extension",
            object_id__in=_ids(
                Extension.objects.filter(round_id=plan.round_id).filter(
                    Q(institution_id=plan.institution_id) | Q(bureau_id=plan.institution.bureau_id)
                )
            ),
        )
    )
    if not user.is_institution_user:
        wanted |= Q(object_type="reviews.linedecision", object_id__in=_ids(LineDecision.objects.filter(plan=plan)))
    return AuditEvent.objects.filter(wanted).order_by("at", "id")
