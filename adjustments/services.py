"""The steps of an adjustment request (DOMAIN.md §8), one keyword-only function each.

Every step checks who may act (role and institution or bureau), when (the round's adjustment window, which opens
once the plan is published), and the request's status; it changes the request, writes one audit event, and tells
whoever acts next. A refused step raises `AdjustmentError` (or `plans.services.RuleError` with the violations) and
saves nothing: a request that would lower, remove or change anything is never stored.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.enums import Role
from accounts.models import User
from adjustments.enums import AdjustmentStatus, ItemKind, Outcome
from adjustments.granting import errors_of, granted_figures, pending_blockers, write_plan_of_record
from adjustments.guards import (
    AdjustmentError,
    require_bureau,
    require_own,
    require_reason,
    require_role,
    require_status,
    require_window,
)
from adjustments.models import AdjustmentItem, AdjustmentRequest, AdjustmentScan
from adjustments.rules import Change, Checker, Record, r7_violations, read_record
from audit.services import record, snapshot
from notifications.services import notify
from plans.models import Plan
from plans.rules import Violation
from plans.services import RuleError, lock_institution_year

ITEM_FIELDS = ["kind", "line_id", "certificate_id", "level", "major_name", "major_code", "before", "after"]


def _lock(request: AdjustmentRequest) -> AdjustmentRequest:
    # of=("self",): lock the request row only, not the plan, institution and round rows joined to it.
    return (
        AdjustmentRequest.objects.select_for_update(of=("self",))
        .select_related("plan__institution__bureau", "plan__round")
        .get(pk=request.pk)
    )


def _url(request: AdjustmentRequest) -> str:
    return reverse("adjustment_detail", args=[request.pk])


def _tell(request: AdjustmentRequest, recipients, name: str, **context) -> None:
    notify(recipients=recipients, name=name, context={"request": str(request), **context}, url=_url(request))


def _transition(*, actor, request: AdjustmentRequest, to: str, action: str, reason: str = "", **fields) -> None:
    before = {"status": request.status}
    request.status = to
    for name, value in fields.items():
        setattr(request, name, value)
    request.save()
    after = {"status": to} | {k: (v.pk if isinstance(v, User) else v) for k, v in fields.items()}
    record(actor=actor, action=action, obj=request, before=before, after=after, reason=reason)


# --- the draft -----------------------------------------------------------------------------------------------------


def build_items(record_: Record, changes: list[Change]) -> list[AdjustmentItem]:
    """Unsaved items for the changes that raise something (unchanged lines are left out). Call after R7 passed."""
    certificates = {line.certificate_id: line.certificate for line in record_.lines.values()}
    items = []
    for change in changes:
        if change.line_id:
            line = record_.lines[change.line_id]
            if change.headcount == line.approved_headcount:
                continue
            items.append(
                AdjustmentItem(
                    kind=ItemKind.INCREASE,
                    line=line,
                    certificate=line.certificate,
                    level=line.level,
                    major_name=line.major_name,
                    major_code=line.major_code,
                    before=line.approved_headcount,
                    after=change.headcount,
                )
            )
        else:
            items.append(
                AdjustmentItem(
                    kind=ItemKind.NEW_LINE,
                    certificate=certificates[change.certificate_id],
                    level=change.level,
                    major_name=change.major_name.strip(),
                    major_code=change.major_code.strip(),
                    before=0,
                    after=change.headcount,
                )
            )
    return items


def checked_items(plan: Plan, changes: list[Change]) -> list[AdjustmentItem]:
    """The items `changes` make, or RuleError when R7 refuses any of them (then the whole request is refused)."""
    record_ = read_record(plan)
    violations = r7_violations(record_, changes)
    if violations:
        raise RuleError(violations)
    return build_items(record_, changes)


def _save_items(request: AdjustmentRequest, items: list[AdjustmentItem]) -> list[dict]:
    for item in items:
        item.request = request
    AdjustmentItem.objects.bulk_create(items)
    return [snapshot(item, ITEM_FIELDS) for item in items]


@transaction.atomic
def create_request(*, actor, plan: Plan, reason: str, changes: list[Change], at: datetime) -> AdjustmentRequest:
    """Staff draft a request to raise the published `plan`.

    Refused whole (nothing saved, nothing audited) when any change lowers, removes or changes a line, or adds a
    certificate that is not approved (R7). R2 and R3 are shown on the draft and enforced from `send_for_signoff`.
    Side effects: the request (draft) and its items, an audit event `adjustment.create`.
    """
    require_role(actor, Role.INSTITUTION_STAFF)
    require_own(actor, plan)
    require_window(plan, at)
    reason = require_reason(reason, _("Give the reason for the adjustment."))
    items = checked_items(plan, changes)
    request = AdjustmentRequest.objects.create(plan=plan, reason=reason, created_by=actor, created_at=at)
    saved = _save_items(request, items)
    record(actor=actor, action="adjustment.create", obj=request, after={"status": request.status, "items": saved})
    return request


@transaction.atomic
def update_request(
    *, actor, request: AdjustmentRequest, reason: str, changes: list[Change], at: datetime
) -> AdjustmentRequest:
    """Staff change a draft: its reason and its items (all replaced). Refused whole like `create_request`.

    Side effects: the request's reason and items, an audit event `adjustment.update` with the items before and after.
    """
    request = _lock(request)
    require_role(actor, Role.INSTITUTION_STAFF)
    require_own(actor, request.plan)
    require_status(request, AdjustmentStatus.DRAFT)
    require_window(request.plan, at)
    reason = require_reason(reason, _("Give the reason for the adjustment."))
    items = checked_items(request.plan, changes)
    before = {"reason": request.reason, "items": [snapshot(i, ITEM_FIELDS) for i in request.items.all()]}
    request.items.all().delete()
    request.reason = reason
    request.save(update_fields=["reason", "updated_at"])
    record(
        actor=actor,
        action="adjustment.update",
        obj=request,
        before=before,
        after={"reason": reason, "items": _save_items(request, items)},
    )
    return request


def rule_blockers(request: AdjustmentRequest, *, figure: str = "after", checker: Checker | None = None):
    """The errors that stop `request` from going further: its figures changed since, R2, R3 after it."""
    checker = checker or Checker(request.plan)
    return errors_of(checker.violations(request.items.select_related("certificate"), figure=figure))


def _require_rules(request: AdjustmentRequest) -> None:
    if not request.items.exists():
        raise AdjustmentError(_("The request has no lines yet."))
    blockers = rule_blockers(request)
    if blockers:
        raise RuleError(blockers)


# --- inside the institution ----------------------------------------------------------------------------------------


@transaction.atomic
def send_for_signoff(*, actor, request: AdjustmentRequest, at: datetime) -> AdjustmentRequest:
    """Staff hand the draft to the certificate pilot office head. Refused while R2 or R3 would break.

    Side effects: status awaiting_office_head (audited), a message to the office heads.
    """
    request = _lock(request)
    require_role(actor, Role.INSTITUTION_STAFF)
    require_own(actor, request.plan)
    require_status(request, AdjustmentStatus.DRAFT)
    require_window(request.plan, at)
    _require_rules(request)
    _transition(
        actor=actor,
        request=request,
        to=AdjustmentStatus.AWAITING_OFFICE_HEAD,
        action="adjustment.send_for_signoff",
        returned_reason="",
    )
    _tell(
        request,
        User.objects.people_of(request.plan.institution_id, Role.INSTITUTION_OFFICE_HEAD),
        "adjustment_waiting",
        actor=str(actor),
    )
    return request


@transaction.atomic
def sign_as_office_head(*, actor, request: AdjustmentRequest, at: datetime) -> AdjustmentRequest:
    """The certificate pilot office head signs first (学校证书试点管理部门同意).

    Side effects: office_head_signed_by/at, status awaiting_leader (audited), a message to the leaders.
    """
    request = _lock(request)
    require_role(actor, Role.INSTITUTION_OFFICE_HEAD)
    require_own(actor, request.plan)
    require_status(request, AdjustmentStatus.AWAITING_OFFICE_HEAD)
    require_window(request.plan, at)
    _require_rules(request)
    _transition(
        actor=actor,
        request=request,
        to=AdjustmentStatus.AWAITING_LEADER,
        action="adjustment.sign_office_head",
        office_head_signed_by=actor,
        office_head_signed_at=at,
    )
    _tell(
        request,
        User.objects.people_of(request.plan.institution_id, Role.INSTITUTION_LEADER),
        "adjustment_waiting",
        actor=str(actor),
    )
    return request


@transaction.atomic
def sign_as_leader(*, actor, request: AdjustmentRequest, at: datetime) -> AdjustmentRequest:
    """The leader (校级分管领导) signs second — only after the office head, and never the same person — and the
    request leaves the institution: to its bureau for a secondary school, else to the province.

    Side effects: leader_signed_by/at, submitted_at, status bureau_review or provincial_review (audited), a message
    to the reviewers.
    """
    request = _lock(request)
    require_role(actor, Role.INSTITUTION_LEADER)
    require_own(actor, request.plan)
    require_status(request, AdjustmentStatus.AWAITING_LEADER)
    if request.office_head_signed_by_id is None:
        raise AdjustmentError(_("The office head signs first."))
    if request.office_head_signed_by_id == actor.pk:
        raise AdjustmentError(_("You signed as office head; the leader's sign-off must come from another person."))
    require_window(request.plan, at)
    _require_rules(request)
    plan = request.plan
    to = AdjustmentStatus.BUREAU_REVIEW if plan.institution.is_secondary else AdjustmentStatus.PROVINCIAL_REVIEW
    _transition(
        actor=actor,
        request=request,
        to=to,
        action="adjustment.sign_leader",
        leader_signed_by=actor,
        leader_signed_at=at,
        submitted_at=at,
    )
    _tell(request, User.objects.reviewers_for(plan.institution), "adjustment_waiting", actor=str(actor))
    return request


@transaction.atomic
def send_back(*, actor, request: AdjustmentRequest, reason: str, at: datetime) -> AdjustmentRequest:
    """The office head or the leader sends the request back to staff with a reason; both sign again afterwards.

    Side effects: status draft, the sign-offs cleared (the audit trail keeps them), returned_reason (audited),
    a message to staff.
    """
    request = _lock(request)
    require_role(actor, Role.INSTITUTION_OFFICE_HEAD, Role.INSTITUTION_LEADER)
    require_own(actor, request.plan)
    waiting_for = {
        Role.INSTITUTION_OFFICE_HEAD: AdjustmentStatus.AWAITING_OFFICE_HEAD,
        Role.INSTITUTION_LEADER: AdjustmentStatus.AWAITING_LEADER,
    }
    require_status(request, waiting_for[actor.role])
    reason = require_reason(reason, _("Give a reason for sending the request back."))
    _back_to_draft(actor=actor, request=request, action="adjustment.send_back", reason=reason)
    return request


def _back_to_draft(*, actor, request: AdjustmentRequest, action: str, reason: str) -> None:
    signed = {
        "office_head_signed_by": request.office_head_signed_by_id,
        "office_head_signed_at": request.office_head_signed_at,
        "leader_signed_by": request.leader_signed_by_id,
        "leader_signed_at": request.leader_signed_at,
    }
    before = {"status": request.status} | signed
    request.status = AdjustmentStatus.DRAFT
    request.returned_reason = reason
    for name in signed:
        setattr(request, name, None)
    request.submitted_at = None
    request.save()
    record(actor=actor, action=action, obj=request, before=before, after={"status": request.status}, reason=reason)
    _tell(
        request,
        User.objects.people_of(request.plan.institution_id, Role.INSTITUTION_STAFF),
        "adjustment_returned",
        reason=reason,
    )


@transaction.atomic
def withdraw(*, actor, request: AdjustmentRequest, at: datetime, reason: str = "") -> AdjustmentRequest:
    """Staff withdraw a request that is not decided yet. Side effects: status withdrawn (audited)."""
    request = _lock(request)
    require_role(actor, Role.INSTITUTION_STAFF)
    require_own(actor, request.plan)
    require_status(request, *sorted(AdjustmentStatus.withdrawable()))
    _transition(
        actor=actor, request=request, to=AdjustmentStatus.WITHDRAWN, action="adjustment.withdraw", reason=reason
    )
    return request


# --- the bureau ----------------------------------------------------------------------------------------------------


@transaction.atomic
def bureau_forward(*, actor, request: AdjustmentRequest, at: datetime, reason: str = "") -> AdjustmentRequest:
    """The bureau of a secondary school agrees and forwards the request to the province.

    Side effects: bureau_forwarded_by/at, status provincial_review (audited), a message to the provincial reviewers.
    """
    request = _lock(request)
    require_bureau(actor, request)
    require_status(request, AdjustmentStatus.BUREAU_REVIEW)
    require_window(request.plan, at)
    _transition(
        actor=actor,
        request=request,
        to=AdjustmentStatus.PROVINCIAL_REVIEW,
        action="adjustment.bureau_forward",
        reason=reason.strip() or _("Forwarded by the bureau."),
        bureau_forwarded_by=actor,
        bureau_forwarded_at=at,
    )
    reviewers = User.objects.provincial_reviewers()
    _tell(request, reviewers, "adjustment_waiting", actor=str(actor))
    return request


@transaction.atomic
def bureau_return(*, actor, request: AdjustmentRequest, reason: str, at: datetime) -> AdjustmentRequest:
    """The bureau returns the request to the school with a reason; it comes back through both sign-offs.

    Side effects: status draft, sign-offs cleared (kept in the audit trail), returned_reason (audited), a message
    to staff.
    """
    request = _lock(request)
    require_bureau(actor, request)
    require_status(request, AdjustmentStatus.BUREAU_REVIEW)
    require_window(request.plan, at)
    reason = require_reason(reason, _("Give a reason for returning the request."))
    _back_to_draft(actor=actor, request=request, action="adjustment.bureau_return", reason=reason)
    return request


# --- the province --------------------------------------------------------------------------------------------------


def decide(
    *,
    actor,
    request: AdjustmentRequest,
    outcome: str,
    at: datetime,
    reason: str = "",
    approved: dict[int, int] | None = None,
) -> AdjustmentRequest:
    """The province approves as asked, approves lower figures (`approved`: item id → figure, with a reason), or
    rejects (with a reason).

    Granting runs under the institution-year lock, so requests of one year approved at the same moment can never
    together exceed the cap: R3 (and R2, and whether the figures are still the plan of record) is re-checked on
    the current figures once the lock is held. Side effects: the plan of record (PlanLine.approved_headcount raised,
    or a new PlanLine for a new major or level; one `line.adjust` audit event each), the items' approved figures,
    status approved / reduced / rejected with decided_by/at and the reason (audited, with the other pending
    requests of the year that the new figures now block), a message to the institution.
    """
    require_role(actor, Role.PROVINCIAL_REVIEWER)
    if outcome not in Outcome.values:
        raise AdjustmentError(_("Choose approve, approve lower figures or reject."))
    reason = reason.strip()
    if outcome != Outcome.APPROVE and not reason:
        raise AdjustmentError(_("Give a reason for approving lower figures or rejecting."))
    with transaction.atomic():
        plan = request.plan
        lock_institution_year(plan.institution_id, plan.round.year)
        request = _lock(request)
        require_status(request, AdjustmentStatus.PROVINCIAL_REVIEW)
        require_window(request.plan, at)
        items = list(request.items.select_related("certificate").order_by("id"))
        figures = {}
        blocked: dict[int, list[Violation]] = {}
        if outcome != Outcome.REJECT:
            figures = granted_figures(items, outcome, approved)
            for item in items:
                item.approved = figures[item.pk]
            blockers = errors_of(Checker(request.plan).violations(items, figure="approved"))
            if blockers:
                raise RuleError(blockers)
            write_plan_of_record(actor=actor, request=request, items=items)
            blocked = pending_blockers(request.plan, exclude=request.pk)
        to = {
            Outcome.APPROVE: AdjustmentStatus.APPROVED,
            Outcome.REDUCE: AdjustmentStatus.REDUCED,
            Outcome.REJECT: AdjustmentStatus.REJECTED,
        }[outcome]
        before = {"status": request.status, "items": {item.pk: item.before for item in items}}
        request.status = to
        request.decided_by = actor
        request.decided_at = at
        request.decision_reason = reason
        request.save()
        record(
            actor=actor,
            action="adjustment.decide",
            obj=request,
            before=before,
            after={
                "status": to,
                "approved": figures,
                "blocked_pending": {pk: [v.code for v in errors] for pk, errors in blocked.items()},
            },
            reason=reason or _("Approved as asked."),
        )
        _tell(
            request,
            User.objects.people_of(request.plan.institution_id),
            "adjustment_decided",
            outcome=str(AdjustmentStatus(to).label),
            reason=reason,
        )
    return request


# --- the stamped scan ----------------------------------------------------------------------------------------------


@transaction.atomic
def attach_scan(*, actor, request: AdjustmentRequest, upload, at: datetime) -> AdjustmentScan:
    """Receive the stamped scan of 附件3 once both sign-offs are given, through `documents.services`.

    Side effects: those of `documents.services.upload_plan_scan` (the file, a Scan row, `scan.upload`), the link to
    the request and an audit event `adjustment.scan`. Raises documents.scans.ScanRefused (nothing stored).
    """
    from documents.enums import DocumentKind
    from documents.services import upload_plan_scan

    require_role(actor, *Role.institution_roles())
    require_own(actor, request.plan)
    if request.leader_signed_at is None or request.status == AdjustmentStatus.WITHDRAWN:
        raise AdjustmentError(_("Upload the stamped scan once the office head and the leader have signed."))
    scan = upload_plan_scan(user=actor, plan=request.plan, kind=DocumentKind.ADJUSTMENT_REQUEST, upload=upload, at=at)
    link = AdjustmentScan.objects.create(request=request, scan=scan)
    record(actor=actor, action="adjustment.scan", obj=request, after={"scan": scan.pk, "name": scan.original_name})
    return link
