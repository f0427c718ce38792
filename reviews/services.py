"""The reviewers' steps of DOMAIN.md §7, one keyword-only function each.

Who may act (role and scope) and when (the review window of its level, stretched by an extension) is the table of
`plans.workflow`: each function locks the plan, asks the table, changes the plan (through `workflow.move`) or its
decisions, writes exactly one audit event, and raises `ReviewError` (or `plans.errors.RuleError` with the blocking
violations) when it may not proceed; nothing is saved then. Province decisions are held: the institution sees them
only once `publish` has run.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import record
from plans import workflow
from plans.enums import ReviewLevel
from plans.errors import ReviewError, RuleError
from plans.models import Plan, PlanLine
from plans.transitions import Work
from plans.workflow import Step
from reviews.adopt import AdoptPreview, adopt_preview
from reviews.bulk import BulkItem, BulkLine, BulkPreview
from reviews.checks import decided_lines, errors_of, refresh_check, review_violations
from reviews.enums import Outcome
from reviews.models import LineDecision


def _lines(plan: Plan) -> list[PlanLine]:
    return list(plan.lines.select_related("certificate__awarding_body"))


def held_decisions(plan: Plan, level: str = ReviewLevel.PROVINCE) -> dict[int, LineDecision]:
    """The current decisions (or recommendations) of `level` on `plan`, by line id."""
    return {d.line_id: d for d in LineDecision.objects.current().filter(plan=plan, level=level)}


# --- one line -----------------------------------------------------------------------------------------------------


def _checked_headcount(line: PlanLine, outcome: str, headcount: int | None, reason: str) -> int:
    if outcome not in Outcome.values:
        raise ReviewError(_("Choose approve, reduce or reject."))
    if outcome in Outcome.needs_reason() and not reason:
        raise ReviewError(_("Give a reason for reducing or rejecting a line."))
    if outcome == Outcome.APPROVE:
        return line.headcount
    if outcome == Outcome.REJECT:
        return 0
    if headcount is None or not 0 < headcount < line.headcount:
        raise ReviewError(
            _("A reduced headcount must be above 0 and below the planned %(planned)d.") % {"planned": line.headcount}
        )
    return headcount


def _decide(
    *, actor, line: PlanLine, level: str, outcome: str, headcount: int | None, reason: str, at: datetime, check=True
):
    plan = workflow.TABLE.lock(line.plan)
    workflow.check(plan, Step.RECOMMEND if level == ReviewLevel.BUREAU else Step.DECIDE, actor=actor, at=at)
    line = PlanLine.objects.select_related("certificate").get(pk=line.pk, plan=plan)
    reason = reason.strip()
    headcount = _checked_headcount(line, outcome, headcount, reason)
    current = held_decisions(plan, level)
    previous = current.pop(line.pk, None)
    decision = LineDecision(
        plan=plan,
        line=line,
        level=level,
        outcome=outcome,
        headcount=headcount,
        reason=reason,
        decided_by=actor,
        decided_at=at,
    )
    if check and level == ReviewLevel.PROVINCE and outcome != Outcome.REJECT:
        _enforce_rules(plan, decision, current, at=at)
    if previous is not None:
        previous.superseded_at = at
        previous.save(update_fields=["superseded_at"])
    decision.save()
    record(
        actor=actor,
        action="review.recommend_line" if level == ReviewLevel.BUREAU else "review.decide_line",
        obj=decision,
        before={
            "line": line.pk,
            "planned": line.headcount,
            "outcome": previous.outcome if previous else "undecided",
            "headcount": previous.headcount if previous else line.headcount,
        },
        after={"plan": plan.pk, "line": line.pk, "level": level, "outcome": outcome, "headcount": headcount},
        reason=reason or _("Approved as planned."),
    )
    return decision


def _enforce_rules(plan, decision: LineDecision, current: dict, *, at: datetime) -> None:
    """Rules are enforced on every decision: on the figures the decisions so far (`current`), and this one, would
    make; the errors of the decision's line refuse it."""
    lines = decided_lines(_lines(plan), current | {decision.line.pk: decision})
    blockers = [v for v in errors_of(review_violations(plan, at=at, lines=lines)) if decision.line.pk in v.line_ids]
    if blockers:
        raise RuleError(blockers)


@transaction.atomic
def recommend_line(
    *, actor, line: PlanLine, outcome: str, at: datetime, headcount: int | None = None, reason: str = ""
) -> LineDecision:
    """The bureau recommends approving, reducing or rejecting one line; the province sees it, it decides nothing.

    Side effects: a LineDecision at the bureau level (superseding the bureau's previous one on the line), an audit
    event. Bureau window only.
    """
    return _decide(
        actor=actor, line=line, level=ReviewLevel.BUREAU, outcome=outcome, headcount=headcount, reason=reason, at=at
    )


@transaction.atomic
def decide_line(
    *, actor, line: PlanLine, outcome: str, at: datetime, headcount: int | None = None, reason: str = ""
) -> LineDecision:
    """The province decides one line: approve as planned, reduce (with reason) or reject (with reason).

    The decision is held, invisible to the institution, until `publish`. Approving or reducing is refused when a
    rule error would fall on the line. Side effects: a LineDecision at the province level (superseding the
    previous one on the line), an audit event. Provincial window only.
    """
    return _decide(
        actor=actor, line=line, level=ReviewLevel.PROVINCE, outcome=outcome, headcount=headcount, reason=reason, at=at
    )


def adopt_recommendations_preview(*, actor, plan: Plan, at: datetime) -> AdoptPreview:
    """What `adopt_recommendations` would decide on `plan`: each line's recommendation against the province's
    decision, and the rule errors that would block it. Raises ReviewError outside the province's step. No side
    effects."""
    workflow.check(plan, Step.DECIDE, actor=actor, at=at)
    return adopt_preview(plan, _lines(plan), at=at)


@transaction.atomic
def adopt_recommendations(*, actor, plan: Plan, fingerprint: str, at: datetime) -> list[LineDecision]:
    """The province takes over the bureau's recommendations on `plan` in one step, as the confirmed preview showed
    (`fingerprint`): each line whose recommendation its decision does not already say is decided as recommended,
    with the bureau's reason. All or nothing; refused when the plan changed since the preview or when a rule error
    would fall on an adopted line that is not rejected.

    Side effects: those of `decide_line` for each adopted line (a held LineDecision, one audit event each).
    """
    plan = workflow.TABLE.lock(plan)
    preview = adopt_recommendations_preview(actor=actor, plan=plan, at=at)
    if preview.fingerprint != fingerprint:
        raise ReviewError(_("The plan changed after the preview; check the new preview and confirm again."))
    if preview.blockers:
        raise RuleError(preview.blockers)
    return [
        _decide(
            actor=actor,
            line=adopted.line,
            level=ReviewLevel.PROVINCE,
            outcome=recommendation.outcome,
            headcount=recommendation.headcount,
            reason=recommendation.reason,
            at=at,
            check=False,  # checked once for the whole plan above
        )
        for adopted in preview.adopted
        if (recommendation := adopted.recommendation) is not None
    ]


# --- the whole plan -----------------------------------------------------------------------------------------------


def approve_by_bureau(*, actor, plan: Plan, at: datetime, reason: str = "") -> Plan:
    """The bureau approves a secondary school's plan, which goes on to the province.

    The only way a secondary school's plan reaches provincial review the first time. Refused while a rule error
    stands. Side effects: status provincial_review, an audit event, a message to the provincial reviewers.
    """

    def prepare(plan: Plan) -> Work:
        violations = review_violations(plan, at=at)
        if errors_of(violations):
            raise RuleError(errors_of(violations))
        recommendations = held_decisions(plan, ReviewLevel.BUREAU)
        return Work(
            audit={"recommendations": len(recommendations)},
            then=lambda: refresh_check(plan, at=at, violations=violations),
        )

    reason = reason.strip() or _("Approved by the bureau.")
    return workflow.move(plan, Step.APPROVE, actor=actor, at=at, reason=reason, prepare=prepare)


def return_plan(*, actor, plan: Plan, reason: str, at: datetime) -> Plan:
    """The bureau or the province returns the plan to the institution for revision, with a required reason.

    The institution may fix and sign it off again until the end of that level's window; it then comes back to the
    same level. Held decisions of that level are superseded (the lines may change). Side effects: status
    returned_by_bureau / returned_by_province, returned_reason, returned_from, an audit event, a message to the
    institution's people.
    """
    level = workflow.level_of(actor)
    reason = reason.strip()

    def prepare(plan: Plan) -> Work:
        if not reason:
            raise ReviewError(_("Give a reason for returning the plan."))
        superseded = LineDecision.objects.current().filter(plan=plan, level=level).update(superseded_at=at)
        return Work(audit={"returned_from": level, "superseded_decisions": superseded})

    return workflow.move(
        plan,
        Step.RETURN,
        actor=actor,
        at=at,
        reason=reason,
        prepare=prepare,
        returned_reason=reason,
        returned_from=level,
    )


def _publish_lines(plan: Plan, at: datetime) -> Work:
    """Every line's decision becomes its approved headcount, or ReviewError / RuleError (nothing written)."""
    lines = _lines(plan)
    decisions = held_decisions(plan)
    undecided = [line for line in lines if line.pk not in decisions]
    if undecided:
        raise ReviewError(
            _("%(count)d lines have no decision yet: %(lines)s.")
            % {"count": len(undecided), "lines": "；".join(str(line) for line in undecided)}
        )
    blockers = errors_of(review_violations(plan, at=at, lines=decided_lines(lines, decisions)))
    if blockers:
        raise RuleError(blockers)
    for line in lines:
        line.approved_headcount = decisions[line.pk].headcount
    PlanLine.objects.bulk_update(lines, ["approved_headcount"])
    LineDecision.objects.filter(pk__in=[d.pk for d in decisions.values()]).update(published_at=at)
    approved = {line.pk: decisions[line.pk].headcount for line in lines}
    planned_total = sum(line.headcount for line in lines)
    approved_total = sum(approved.values())
    rows = [
        {
            "line": str(line),
            "outcome": decisions[line.pk].get_outcome_display(),
            "headcount": decisions[line.pk].headcount,
            "reason": decisions[line.pk].reason,
        }
        for line in lines
    ]
    return Work(
        audit={"approved": approved, "planned_total": planned_total, "total": approved_total},
        context={"approved": approved_total, "planned": planned_total, "rows": rows},
    )


def publish(*, actor, plan: Plan, at: datetime) -> Plan:
    """The province publishes its decisions: every line must be decided and no rule error may stand on the
    decided figures.

    Side effects: each line's approved_headcount (the plan of record), the decisions' published_at, status
    published, published_at, an audit event, a message to the institution's people.
    """
    return workflow.move(
        plan,
        Step.PUBLISH,
        actor=actor,
        at=at,
        reason=_("Decisions published."),
        prepare=lambda plan: _publish_lines(plan, at),
        published_at=at,
        returned_reason="",
        returned_from="",
    )


# --- many plans at once -------------------------------------------------------------------------------------------


def _bulk_item(actor, plan: Plan, level: str, at: datetime) -> BulkItem:
    lines = _lines(plan)
    item = BulkItem(plan=plan)
    if level == ReviewLevel.PROVINCE:
        decisions = held_decisions(plan)
        for line in lines:
            held = decisions.get(line.pk)
            if held:
                item.lines.append(BulkLine(line, held.headcount, held.outcome, held.reason, decided=True))
            else:
                item.lines.append(BulkLine(line, line.headcount, Outcome.APPROVE))
        checked = decided_lines(lines, decisions)
    else:
        item.lines = [BulkLine(line, line.headcount, Outcome.APPROVE) for line in lines]
        checked = lines
    try:
        workflow.check(plan, Step.APPROVE if level == ReviewLevel.BUREAU else Step.PUBLISH, actor=actor, at=at)
    except ReviewError as refused:
        item.blockers.append(str(refused))
        return item
    item.blockers += [f"{v.label}：{v.message}" for v in errors_of(review_violations(plan, at=at, lines=checked))]
    return item


def bulk_approve_preview(*, actor, plan_ids, at: datetime) -> BulkPreview:
    """What `bulk_approve` would do with these plans: for each, its lines and headcounts, or what blocks it.

    The bureau approves plans on to the province; the province approves every undecided line as planned (held
    decisions stay as they are) and publishes. Plans outside the actor's scope are left out. No side effects.
    """
    level = workflow.level_of(actor)
    if level is None:
        raise workflow.role_refused(actor, ReviewError)
    plans = (
        Plan.objects.for_user(actor)
        .filter(pk__in=list(plan_ids))
        .select_related("institution__bureau", "round")
        .prefetch_related("round__extensions")
        .order_by("submitted_at", "pk")
    )
    return BulkPreview(level=level, items=[_bulk_item(actor, plan, level, at) for plan in plans])


@transaction.atomic
def bulk_approve(*, actor, plan_ids, fingerprint: str, at: datetime) -> list[Plan]:
    """Carry out a confirmed preview: all of it or, on any failure, none of it. Plans the preview showed as
    blocked are left alone. Refused when the plans changed since the preview (`fingerprint`).

    Side effects: those of `approve_by_bureau`, or of `decide_line` for each undecided line and `publish`, for
    every ready plan (one audit event per step).
    """
    preview = bulk_approve_preview(actor=actor, plan_ids=plan_ids, at=at)
    if preview.fingerprint != fingerprint:
        raise ReviewError(_("The plans changed after the preview; check the new preview and confirm again."))
    done = []
    for item in preview.ready:
        if preview.level == ReviewLevel.BUREAU:
            done.append(approve_by_bureau(actor=actor, plan=item.plan, at=at))
            continue
        for bulk_line in item.lines:
            if not bulk_line.decided:
                # The preview checked the rules on these figures, and `publish` checks them again: once per plan.
                _decide(
                    actor=actor,
                    line=bulk_line.line,
                    level=ReviewLevel.PROVINCE,
                    outcome=Outcome.APPROVE,
                    headcount=None,
                    reason="",
                    at=at,
                    check=False,
                )
        done.append(publish(actor=actor, plan=item.plan, at=at))
    return done
