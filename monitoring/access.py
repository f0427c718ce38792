"""The one place that says what monitoring object a user may read or change (404 outside scope)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts.enums import Role
from institutions.models import Institution
from monitoring.models import Candidate, Checkpoint, ProgressImport
from plans.enums import PlanStatus
from plans.models import PlanLine

# Who may put progress in: the institution's staff for their own lines, the office for everyone.
IMPORT_ROLES = frozenset({Role.INSTITUTION_STAFF, Role.PROVINCIAL_REVIEWER, Role.PROVINCIAL_ADMIN})
TYPE_ROLES = frozenset({Role.INSTITUTION_STAFF})
OFFICE_ROLES = frozenset({Role.PROVINCIAL_REVIEWER, Role.PROVINCIAL_ADMIN})
# Who may simulate next year's caps (what-if): the office and the observers.
WHATIF_ROLES = OFFICE_ROLES | {Role.OBSERVER}
# A line's candidates are read a page at a time, each page audited and counted (RATE_LIMIT_CANDIDATES).
CANDIDATES_PER_PAGE = 50


def get_institution_for_user(user, pk: int) -> Institution:
    return get_object_or_404(Institution.objects.for_user(user).select_related("bureau"), pk=pk)


def get_line_for_user(user, pk: int, *, write: bool = False) -> PlanLine:
    """An approved line (published, approved headcount > 0) the user may see; write=True: only its
    institution's staff (403 for others)."""
    lines = PlanLine.objects.filter(plan__status=PlanStatus.PUBLISHED, approved_headcount__gt=0).select_related(
        "plan__institution", "plan__round", "certificate"
    )
    if not user.sees_everything:
        visible = Institution.objects.for_user(user).values("pk")
        lines = lines.filter(plan__institution__in=visible)
    line = get_object_or_404(lines, pk=pk)
    if write and (user.role not in TYPE_ROLES or line.plan.institution_id != user.institution_id):
        raise PermissionDenied
    return line


def get_import_for_user(user, pk: int) -> ProgressImport:
    return get_object_or_404(
        ProgressImport.objects.for_user(user).select_related("institution", "created_by", "layout"), pk=pk
    )


def get_checkpoint_for_user(user, pk: int) -> Checkpoint:
    # Every signed-in role may know a checkpoint exists; what it shows is scoped by the snapshot rows.
    return get_object_or_404(Checkpoint.objects.select_related("taken_by"), pk=pk)


def get_candidate_for_user(user, pk: int) -> Candidate:
    return get_object_or_404(Candidate.objects.for_user(user).select_related("certificate"), pk=pk)


def candidates_of(line: PlanLine):
    """The candidates of an approved line (from `get_line_for_user`), in a stable order."""
    return Candidate.objects.filter(line=line).order_by("pk")
