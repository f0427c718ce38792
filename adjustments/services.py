"""The steps of an adjustment request (DOMAIN.md §8), one keyword-only function each.

Who may act (role and institution or bureau), when (the round's adjustment window, which opens once the plan is
published) and in which status is the table of `adjustments.workflow`; every step changes the request through
`workflow.move`, which writes one audit event and tells whoever acts next. A refused step raises `AdjustmentError`
(or `plans.services.RuleError` with the violations) and saves nothing: a request that would lower, remove or change
anything is never stored.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.enums import Role
from adjustments import workflow
from adjustments.enums import AdjustmentStatus, ItemKind, Outcome
from adjustments.granting import errors_of, granted_figures, pending_blockers, write_plan_of_record
from adjustments.guards import (
    AdjustmentError,
    require_own,
    require_reason,
    require_role,
    require_window,
)
from adjustments.models import AdjustmentItem, AdjustmentRequest, AdjustmentScan
from adjustments.rules import Change, Checker, Record, approved_headcount, r7_violations, read_record
from adjustments.workflow import Step
from audit.services import record, snapshot
from plans.models import Plan
from plans.rules import Violation
from plans.services import RuleError, lock_institution_year
from plans.transitions import Work

ITEM_FIELDS = ["kind", "line_id", "certificate_id", "level", "major_name", "major_code", "before", "after"]


# --- the draft -----------------------------------------------------------------------------------------------------


def build_items(record_: Record, changes: list[Change]) -> list[AdjustmentItem]:
    """Unsaved items for the changes that raise something (unchanged lines are left out). Call after R7 passed."""
    certificates = {line.certificate_id: line.certificate for line in record_.lines.values()}
    items = []
    for change in changes:
        if change.line_id:
            line = record_.lines[change.line_id]
            before = approved_headcount(line)
            if change.headcount == before:
                continue
            items.append(
                AdjustmentItem(
                    kind=ItemKind.INCREASE,
                    line=line,
                    certificate=line.certificate,
                    level=line.level,
                    major_name=line.major_name,
                    major_code=line.major_code,
                    before=before,
                    after=change.headcount,
                )
            )
        else:
            assert change.certificate_id is not None, "R7 refuses a new line without a certificate"
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
    request = workflow.TABLE.lock(request)
    workflow.check(request, Step.EDIT, actor=actor, at=at)
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


def _checked(request: AdjustmentRequest) -> Work:
    _require_rules(request)
    return Work()


def send_for_signoff(*, actor, request: AdjustmentRequest, at: datetime) -> AdjustmentRequest:
    """Staff hand the draft to the certificate pilot office head. Refused while R2 or R3 would break.

    Side effects: status awaiting_office_head (audited), a message to the office heads.
    """
    return workflow.move(request, Step.SEND_FOR_SIGNOFF, actor=actor, at=at, prepare=_checked, returned_reason="")


def sign_as_office_head(*, actor, request: AdjustmentRequest, at: datetime) -> AdjustmentRequest:
    """The certificate pilot office head signs first (学校证书试点管理部门同意).

    Side effects: office_head_signed_by/at, status awaiting_leader (audited), a message to the leaders.
    """
    return workflow.move(
        request,
        Step.SIGN_OFFICE_HEAD,
        actor=actor,
        at=at,
        prepare=_checked,
        office_head_signed_by=actor,
        office_head_signed_at=at,
    )


def sign_as_leader(*, actor, request: AdjustmentRequest, at: datetime) -> AdjustmentRequest:
    """The leader (校级分管领导) signs second — only after the office head, and never the same person — and the
    request leaves the institution: to its bureau for a secondary school, else to the province.

    Side effects: leader_signed_by/at, submitted_at, status bureau_review or provincial_review (audited), a message
    to the reviewers.
    """

    def prepare(request: AdjustmentRequest) -> Work:
        if request.office_head_signed_by_id is None:
            raise AdjustmentError(_("The office head signs first."))
        if request.office_head_signed_by_id == actor.pk:
            raise AdjustmentError(_("You signed as office head; the leader's sign-off must come from another person."))
        return _checked(request)

    return workflow.move(
        request,
        Step.SIGN_LEADER,
        actor=actor,
        at=at,
        prepare=prepare,
        leader_signed_by=actor,
        leader_signed_at=at,
        submitted_at=at,
    )


SIGNATURES = ["office_head_signed_by", "office_head_signed_at", "leader_signed_by", "leader_signed_at"]


def _back_to_draft(step: str, *, actor, request: AdjustmentRequest, reason: str, at: datetime, message: str):
    """Back to staff with a reason: the sign-offs are cleared (the audit event keeps them), both sign again."""

    def prepare(request: AdjustmentRequest) -> Work:
        if not reason:
            raise AdjustmentError(message)
        signed = {name: getattr(request, f"{name}_id" if name.endswith("_by") else name) for name in SIGNATURES}
        return Work(before=signed, audit={}, context={"reason": reason})

    cleared = dict.fromkeys(SIGNATURES) | {"submitted_at": None}
    return workflow.move(
        request, step, actor=actor, at=at, reason=reason, prepare=prepare, returned_reason=reason, **cleared
    )


def send_back(*, actor, request: AdjustmentRequest, reason: str, at: datetime) -> AdjustmentRequest:
    """The office head or the leader sends the request back to staff with a reason; both sign again afterwards.

    Side effects: status draft, the sign-offs cleared (the audit trail keeps them), returned_reason (audited),
    a message to staff.
    """
    message = _("Give a reason for sending the request back.")
    return _back_to_draft(Step.SEND_BACK, actor=actor, request=request, reason=reason.strip(), at=at, message=message)


def withdraw(*, actor, request: AdjustmentRequest, at: datetime, reason: str = "") -> AdjustmentRequest:
    """Staff withdraw a request that is not decided yet. Side effects: status withdrawn (audited)."""
    return workflow.move(request, Step.WITHDRAW, actor=actor, at=at, reason=reason)


# --- the bureau ----------------------------------------------------------------------------------------------------


def bureau_forward(*, actor, request: AdjustmentRequest, at: datetime, reason: str = "") -> AdjustmentRequest:
    """The bureau of a secondary school agrees and forwards the request to the province.

    Side effects: bureau_forwarded_by/at, status provincial_review (audited), a message to the provincial reviewers.
    """
    return workflow.move(
        request,
        Step.BUREAU_FORWARD,
        actor=actor,
        at=at,
        reason=reason.strip() or _("Forwarded by the bureau."),
        bureau_forwarded_by=actor,
        bureau_forwarded_at=at,
    )


def bureau_return(*, actor, request: AdjustmentRequest, reason: str, at: datetime) -> AdjustmentRequest:
    """The bureau returns the request to the school with a reason; it comes back through both sign-offs.

    Side effects: status draft, sign-offs cleared (kept in the audit trail), returned_reason (audited), a message
    to staff.
    """
    message = _("Give a reason for returning the request.")
    return _back_to_draft(
        Step.BUREAU_RETURN, actor=actor, request=request, reason=reason.strip(), at=at, message=message
    )


# --- the province --------------------------------------------------------------------------------------------------


DECIDED = {
    Outcome.APPROVE: AdjustmentStatus.APPROVED,
    Outcome.REDUCE: AdjustmentStatus.REDUCED,
    Outcome.REJECT: AdjustmentStatus.REJECTED,
}


def _decision_reason(outcome: str, reason: str) -> str:
    """The reason, stripped; refuses an unknown outcome, and a reduction or a rejection without a reason."""
    if outcome not in Outcome.values:
        raise AdjustmentError(_("Choose approve, approve lower figures or reject."))
    reason = reason.strip()
    if outcome != Outcome.APPROVE and not reason:
        raise AdjustmentError(_("Give a reason for approving lower figures or rejecting."))
    return reason


def _grant(*, actor, request: AdjustmentRequest, items: list, outcome: str, approved) -> tuple[dict, dict]:
    """The province's figures on `items`, re-checked on the current figures (R2, R3, still the plan of record) and
    written into the plan of record: (the figures by item, the year's other pending requests they now block)."""
    figures = granted_figures(items, outcome, approved)
    for item in items:
        item.approved = figures[item.pk]
    blockers = errors_of(Checker(request.plan).violations(items, figure="approved"))
    if blockers:
        raise RuleError(blockers)
    write_plan_of_record(actor=actor, request=request, items=items)
    return figures, pending_blockers(request.plan, exclude=request.pk)


def _deciding(*, actor, outcome: str, approved, to: str, reason: str):
    """The work of the decision under the lock (see `decide`), for `workflow.move`."""

    def prepare(request: AdjustmentRequest) -> Work:
        items = list(request.items.select_related("certificate").order_by("id"))
        before = {"items": {item.pk: item.before for item in items}}
        figures: dict = {}
        blocked: dict[int, list[Violation]] = {}
        if outcome != Outcome.REJECT:
            figures, blocked = _grant(actor=actor, request=request, items=items, outcome=outcome, approved=approved)
        audit = {
            "approved": figures,
            "blocked_pending": {pk: [v.code for v in errors] for pk, errors in blocked.items()},
        }
        return Work(before=before, audit=audit, context={"outcome": str(AdjustmentStatus(to).label), "reason": reason})

    return prepare


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
    reason = _decision_reason(outcome, reason)
    to = DECIDED[Outcome(outcome)]
    prepare = _deciding(actor=actor, outcome=outcome, approved=approved, to=to, reason=reason)
    with transaction.atomic():
        plan = request.plan
        lock_institution_year(plan.institution_id, plan.round.year)
        return workflow.move(
            request,
            Step.DECIDE,
            actor=actor,
            at=at,
            reason=reason or _("Approved as asked."),
            prepare=prepare,
            to=to,
            decided_by=actor,
            decided_at=at,
            decision_reason=reason,
        )


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
