"""The institution's steps of the filing workflow (DOMAIN.md §5–§7), one function each.

Who may take a step, in which status and when is the table of `plans.workflow`: the steps that change the
status go through `workflow.move` (lock, table, audit, notification), the edits ask `workflow.check`. Every
function raises `PlanError` (or `RuleError` with the blocking violations) when it may not proceed; nothing is
saved then.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.enums import Role
from audit.services import record, snapshot
from catalog.models import Certificate, CertificateLevel
from core.text import normalise, normalised
from plans import workflow
from plans.continuity import approved_lines
from plans.enums import Continuity
from plans.errors import PlanError, RuleError
from plans.models import ApplicationForm, InstitutionYear, Plan, PlanLine
from plans.rules import Violation, blocking, check_plan, gather_facts, line_problems
from plans.rules.r1_window import r1_violation
from plans.transitions import Work
from plans.workflow import Step, role_refused
from rounds.enums import Stage
from rounds.models import Round

LINE_FIELDS = ["certificate_id", "level", "major_name", "major_code", "headcount", "remark", "justification"]
# What a line's audit events record: its fields and its plan, so a plan's timeline finds removed lines too.
LINE_AUDIT_FIELDS = ["plan_id", *LINE_FIELDS]
FORM_FIELDS = list(ApplicationForm.REQUIRED)


def _require_role(actor, *roles: str) -> None:
    if actor.role not in roles:
        raise role_refused(actor)


# --- the draft -------------------------------------------------------------------------------------------------


def open_plan(*, actor, round: Round, at: datetime) -> Plan:
    """The actor's institution's plan for `round`, created as a draft inside the filing window.

    Side effects: creates the Plan (audited) the first time.
    """
    _require_role(actor, Role.INSTITUTION_STAFF)
    existing = Plan.objects.filter(institution_id=actor.institution_id, round=round).first()
    if existing:
        return existing
    window = round.window_for(Stage.FILING, institution=actor.institution)
    if not window.is_open(at=at):
        raise RuleError([r1_violation(window)])
    plan = Plan.objects.create(institution=actor.institution, round=round)
    record(actor=actor, action="plan.create", obj=plan, after={"status": plan.status, "round": str(round)})
    return plan


def _check_line(certificate: Certificate, level: str, major_name: str, headcount: object) -> None:
    offered = CertificateLevel.objects.offered([certificate.pk]).get(certificate.pk, [])
    problems = line_problems(
        certificate=certificate, level=level, major_name=major_name, headcount=headcount, offered=offered
    )
    if problems:
        raise PlanError("；".join(problems))


def _check_duplicate(plan: Plan, certificate: Certificate, level: str, major_name: str, exclude: int | None = None):
    clash = PlanLine.objects.filter(plan=plan, certificate=certificate, level=level, major_name=normalise(major_name))
    if exclude:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise RuleError(
            [
                Violation(
                    "R4",
                    "error",
                    _("%(certificate)s for the major %(major)s at this level is already in the plan; edit that line.")
                    % {"certificate": certificate.short_name, "major": major_name},
                )
            ]
        )


@transaction.atomic
def add_line(
    *,
    actor,
    plan: Plan,
    certificate: Certificate,
    level: str,
    major_name: str,
    headcount: int,
    major_code: str = "",
    remark: str = "",
    justification: str = "",
) -> PlanLine:
    """Add one line to a draft. Side effects: the line (audited). Rules are shown, not enforced, while drafting."""
    workflow.check(plan, Step.EDIT, actor=actor)
    major_name, major_code, remark, justification = map(normalise, (major_name, major_code, remark, justification))
    _check_line(certificate, level, major_name, headcount)
    _check_duplicate(plan, certificate, level, major_name)
    line = PlanLine.objects.create(
        plan=plan,
        certificate=certificate,
        level=level,
        major_name=major_name,
        major_code=major_code,
        headcount=headcount,
        remark=remark,
        justification=justification,
    )
    record(actor=actor, action="line.add", obj=line, after=snapshot(line, LINE_AUDIT_FIELDS))
    return line


@transaction.atomic
def update_line(*, actor, line: PlanLine, **changes) -> PlanLine:
    """Change fields of a draft line (any of LINE_FIELDS). Side effects: the line (audited, before and after)."""
    plan = line.plan
    workflow.check(plan, Step.EDIT, actor=actor)
    before = snapshot(line, LINE_AUDIT_FIELDS)
    for name, value in changes.items():
        if name not in LINE_FIELDS and name != "certificate":
            raise PlanError(f"unknown field {name}")
        setattr(line, name, normalised(value))
    _check_line(line.certificate, line.level, line.major_name, line.headcount)
    _check_duplicate(plan, line.certificate, line.level, line.major_name, exclude=line.pk)
    line.save()
    record(actor=actor, action="line.update", obj=line, before=before, after=snapshot(line, LINE_AUDIT_FIELDS))
    return line


@transaction.atomic
def remove_line(*, actor, line: PlanLine) -> None:
    """Remove a draft line. Side effects: deletes the line; the audit event keeps its values."""
    plan = line.plan
    workflow.check(plan, Step.EDIT, actor=actor)
    record(actor=actor, action="line.remove", obj=line, before=snapshot(line, LINE_AUDIT_FIELDS))
    line.delete()


@transaction.atomic
def copy_last_year(*, actor, plan: Plan) -> int:
    """Copy last year's approved lines (with their approved headcounts) into the draft; returns lines added.

    Lines already present (same certificate, level and major) are left alone. Side effects: lines (audited).
    """
    workflow.check(plan, Step.EDIT, actor=actor)
    present = set(plan.lines.values_list("certificate_id", "level", "major_name"))
    added = 0
    source = approved_lines(plan.institution_id, plan.round.year - 1).select_related("certificate").order_by("id")
    for old in source:
        key = (old.certificate_id, old.level, old.major_name)
        if key in present:
            continue
        present.add(key)
        line = PlanLine.objects.create(
            plan=plan,
            certificate=old.certificate,
            level=old.level,
            major_name=old.major_name,
            major_code=old.major_code,
            headcount=old.approved_headcount,
        )
        record(
            actor=actor,
            action="line.add",
            obj=line,
            after=snapshot(line, LINE_AUDIT_FIELDS),
            reason=_("copied from last year's approved plan"),
        )
        added += 1
    return added


@transaction.atomic
def save_form(*, actor, plan: Plan, certificate: Certificate, **values) -> ApplicationForm:
    """Create or update the application form of a new certificate. Side effects: the form (audited)."""
    workflow.check(plan, Step.EDIT, actor=actor)
    if not plan.lines.filter(certificate=certificate).exists():
        raise PlanError(_("Add a line for %(certificate)s first.") % {"certificate": certificate.short_name})
    if gather_facts(plan).continuity(certificate.pk) != Continuity.NEW:
        raise PlanError(
            _("%(certificate)s is continuing: it needs no application form.") % {"certificate": certificate.short_name}
        )
    form, created = ApplicationForm.objects.get_or_create(plan=plan, certificate=certificate)
    before = {} if created else snapshot(form, FORM_FIELDS)
    for name, value in values.items():
        if name not in FORM_FIELDS:
            raise PlanError(f"unknown field {name}")
        setattr(form, name, value)
    form.save()
    record(actor=actor, action="form.save", obj=form, before=before, after=snapshot(form, FORM_FIELDS))
    return form


# --- sign-off and submission -------------------------------------------------------------------------------------


def send_for_signoff(*, actor, plan: Plan, at: datetime) -> Plan:
    """Staff hand the plan to their leader. Refused outside the window or while a rule blocks.

    Side effects: status awaiting_signoff (audited); the institution's leaders are notified.
    """

    def prepare(plan: Plan) -> None:
        lines = list(plan.lines.select_related("certificate"))
        if not lines:
            raise PlanError(_("The plan has no lines yet."))
        blockers = blocking(check_plan(plan, at=at, lines=lines), lines)
        if blockers:
            raise RuleError(blockers)

    return workflow.move(plan, Step.SEND_FOR_SIGNOFF, actor=actor, at=at, prepare=prepare)


def send_back(*, actor, plan: Plan, reason: str) -> Plan:
    """The leader sends the plan back to staff with a reason. Side effects: status draft (audited), staff notified."""
    reason = reason.strip()

    def prepare(plan: Plan) -> Work:
        if not reason:
            raise PlanError(_("Give a reason for sending the plan back."))
        return Work(context={"reason": reason})

    return workflow.move(plan, Step.SEND_BACK, actor=actor, at=None, reason=reason, prepare=prepare)


def lock_institution_year(institution_id: int, year: int) -> InstitutionYear:
    """Take the row lock that serialises every submission of one institution's year (R3)."""
    InstitutionYear.objects.get_or_create(institution_id=institution_id, year=year)
    return InstitutionYear.objects.select_for_update().get(institution_id=institution_id, year=year)


def sign_off(*, actor, plan: Plan, at: datetime) -> Plan:
    """The leader signs off, which submits the plan. Rules are re-checked under the institution-year lock, so
    two plans of one year racing each other cannot together break the cap (R3).

    Side effects: status bureau_review or provincial_review, submitted_at, signed_off_by (audited); the reviewers
    of the next level and the institution's staff are notified.
    """

    def prepare(plan: Plan) -> None:
        lines = list(plan.lines.select_related("certificate"))
        blockers = blocking(check_plan(plan, at=at, lines=lines), lines)
        if blockers:
            raise RuleError(blockers)

    with transaction.atomic():
        lock_institution_year(plan.institution_id, plan.round.year)
        return workflow.move(
            plan,
            Step.SIGN_OFF,
            actor=actor,
            at=at,
            prepare=prepare,
            submitted_at=at,
            signed_off_by=actor,
            returned_from="",
            returned_reason="",
        )
