"""Review pages. Out-of-scope objects are 404 (plans.access), wrong roles 403; the services decide the rest."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.enums import Role
from core.dates import local_today
from core.refusals import tell
from plans import workflow
from plans.access import get_line_for_user, get_plan_for_user
from plans.enums import PlanStatus, ReviewLevel
from plans.models import Plan
from plans.pages import plan_page
from plans.rules import rule_label
from plans.rules.r2_min_headcount import rest_of_level
from plans.services import PlanError
from plans.workflow import Step
from reviews import queue_rows, queues, services
from reviews.checks import NOT_IN_REVIEW, refresh_check
from reviews.forms import ApproveForm, DecisionForm, QueueFilterForm, ReturnForm, plan_ids
from reviews.models import LineDecision
from reviews.queue_counts import queue_counts
from reviews.tasks import requeue
from reviews.timeline import plan_timeline, sees_addresses
from reviews.timeline_rows import timeline_rows
from rounds.models import Extension


def _plan_for_reviewer(request, pk: int) -> Plan:
    """The plan if the user sees it (else 404); institutions read their plan elsewhere (403 here)."""
    plan = get_plan_for_user(request.user, pk)
    if request.user.is_institution_user:
        raise PermissionDenied
    return plan


def _require_reviewer(user, plan: Plan, level: str) -> None:
    if not workflow.may_review(user, plan, level):
        raise PermissionDenied


# --- queue --------------------------------------------------------------------------------------------------------


@role_required(*queues.QUEUE_ROLES)
def queue(request):
    user = request.user
    form = QueueFilterForm(request.GET, user=user, today=local_today(timezone.now()))
    filters = form.filters()
    base = queues.queue_for(user)
    counts = queue_counts(user, base, filters)
    total = counts.get(filters.status, 0) if filters.status else sum(counts.values())
    plans = queues.rows(base, filters).values(*queue_rows.COLUMNS)
    page = queues.Page(plans, 50, count=total).get_page(request.GET.get("page"))
    # Rule checks run in the background when a plan moves (reviews.signals); a plan of this page whose check
    # has not been stored yet (or was missed) is queued again, and the page says so.
    shown = list(page.object_list)
    stale = requeue(queue_rows.stale(shown))
    level = workflow.level_of(user)
    actionable = workflow.STATUS_OF.get(level)
    query = request.GET.copy()
    query.pop("page", None)
    query.setdefault("round", form.data["round"])  # the status links keep the round shown, the current one too
    others = query.copy()
    others.pop("status", None)
    rows = queue_rows.page_rows(shown, queues.line_figures([plan["id"] for plan in shown]))
    return render(
        request,
        "reviews/queue.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "rows_html": queue_rows.rows_html(rows, actionable),
            "counts": [(status, label, counts.get(status, 0)) for status, label in PlanStatus.choices],
            "total": sum(counts.values()),
            "actionable": actionable,
            "query": query.urlencode(),
            "others": others.urlencode(),
            "checking": len(stale),
        },
    )


# --- one plan -----------------------------------------------------------------------------------------------------


def _form_details(form) -> list[tuple[str, str]]:
    """An application form's fields as (label, text), for reading."""
    details = []
    for name in form.REQUIRED:
        value = getattr(form, name)
        if isinstance(value, list):
            value = "；".join(
                "，".join(f"{v}" for v in item.values()) if isinstance(item, dict) else str(item) for item in value
            )
        elif isinstance(value, bool):
            value = _("yes") if value else _("no")
        details.append((str(form._meta.get_field(name).verbose_name), "" if value is None else str(value)))
    return details


def _windows(plan: Plan, at) -> list[dict]:
    levels = [ReviewLevel.BUREAU, ReviewLevel.PROVINCE] if plan.institution.is_secondary else [ReviewLevel.PROVINCE]
    result = []
    for level in levels:
        window = workflow.review_window(plan, level)
        result.append({"level": level, "window": window, "is_open": window.is_open(at=at)})
    return result


def _line_rows(plan: Plan, page, steps: set[str]) -> tuple[list[dict], bool]:
    """Each line with the bureau's recommendation, the province's decision and, for its decision form's R2 warning,
    the rest of its certificate-level as the acting level has decided so far; and whether the bureau recommended."""
    decisions = LineDecision.objects.current().filter(plan=plan).select_related("decided_by")
    recommendations = {d.line_id: d for d in decisions if d.level == ReviewLevel.BUREAU}
    held = {d.line_id: d for d in decisions if d.level == ReviewLevel.PROVINCE}
    acting = recommendations if Step.RECOMMEND in steps else held
    rest = rest_of_level(page.facts, {pk: d.headcount for pk, d in acting.items()})
    rows = [
        {
            "row": row,
            "recommendation": recommendations.get(row.line.pk),
            "decision": held.get(row.line.pk),
            "r2": rest[row.line.pk],
        }
        for row in page.rows
    ]
    return rows, bool(recommendations)


@role_required(*Role.values)
def review_plan(request, pk: int):
    plan = _plan_for_reviewer(request, pk)
    now = timezone.now()
    page = plan_page(plan, at=now)
    violations = [v for v in page.violations if v.code not in NOT_IN_REVIEW]
    refresh_check(plan, at=now, violations=violations)
    steps = set(workflow.allowed_steps(request.user, plan))
    rows, recommended = _line_rows(plan, page, steps)
    extensions = Extension.objects.filter(round=plan.round).filter(
        Q(institution=plan.institution) | Q(bureau=plan.institution.bureau)
    )
    scans = list(plan.scans.order_by("-uploaded_at")) if hasattr(plan, "scans") else []
    return render(
        request,
        "reviews/plan.html",
        {
            "plan": plan,
            "page": page,
            "rows": rows,
            "plan_violations": [v for v in page.plan_violations if v.code not in NOT_IN_REVIEW],
            "forms": [
                (certificate, form, _form_details(form) if form else []) for certificate, form in page.new_certificates
            ],
            "windows": _windows(plan, now),
            "extensions": extensions.select_related("institution", "bureau"),
            "scans": scans,
            "steps": steps,
            "can_act": bool(steps & {Step.RECOMMEND, Step.DECIDE}),  # the reviewer holding the plan
            "undecided": sum(1 for r in rows if r["decision"] is None),
            "recommended": recommended,
            "r2_label": rule_label("R2"),
            "return_form": ReturnForm(),
        },
    )


@role_required(*Role.values)
def decisions(request, pk: int):
    """The province's decisions on a plan: for the institution only once published."""
    plan = get_plan_for_user(request.user, pk)
    visible = (
        LineDecision.objects.for_user(request.user)
        .current()
        .filter(plan=plan, level=ReviewLevel.PROVINCE)
        .select_related("line__certificate")
    )
    return render(request, "reviews/decisions.html", {"plan": plan, "decisions": visible})


@role_required(*Role.values)
def timeline(request, pk: int):
    plan = get_plan_for_user(request.user, pk)
    events = list(plan_timeline(plan, user=request.user).select_related("actor"))
    context = {
        "plan": plan,
        "events": events,
        "rows": timeline_rows(events),
        "hide_ip": not sees_addresses(request.user),
    }
    return render(request, "reviews/timeline.html", context)


# --- actions ------------------------------------------------------------------------------------------------------


def _decide_line(request, line_id: int, level: str):
    line = get_line_for_user(request.user, line_id)
    _require_reviewer(request.user, line.plan, level)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(error) for error in errors))
        return redirect("review_plan", pk=line.plan_id)
    step = services.recommend_line if level == ReviewLevel.BUREAU else services.decide_line
    try:
        step(
            actor=request.user,
            line=line,
            outcome=form.cleaned_data["outcome"],
            headcount=form.cleaned_data["headcount"],
            reason=form.cleaned_data["reason"],
            at=timezone.now(),
        )
    except PlanError as error:
        tell(request, error)
    return redirect(f"{_review_url(line.plan_id)}#line-{line.pk}")


def _review_url(pk: int) -> str:
    return reverse("review_plan", args=[pk])


@require_POST
@role_required(*Role.values)
def recommend_line(request, line_id: int):
    return _decide_line(request, line_id, ReviewLevel.BUREAU)


@require_POST
@role_required(*Role.values)
def decide_line(request, line_id: int):
    return _decide_line(request, line_id, ReviewLevel.PROVINCE)


@require_POST
@role_required(*Role.values)
def approve(request, pk: int):
    plan = get_plan_for_user(request.user, pk)
    _require_reviewer(request.user, plan, ReviewLevel.BUREAU)
    form = ApproveForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.approve_by_bureau(actor=request.user, plan=plan, at=timezone.now(), reason=reason)
        messages.success(request, _("%(plan)s approved and sent on to the province.") % {"plan": plan})
    except PlanError as error:
        tell(request, error)
    return redirect("review_plan", pk=plan.pk)


@require_POST
@role_required(*Role.values)
def return_plan(request, pk: int):
    plan = get_plan_for_user(request.user, pk)
    # The level holding the plan may return it; at any other time, a reviewer learns why not.
    level = workflow.LEVEL_HOLDING.get(plan.status) or workflow.level_of(request.user)
    if level is None:
        raise PermissionDenied
    _require_reviewer(request.user, plan, level)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for returning the plan."))
        return redirect("review_plan", pk=plan.pk)
    try:
        services.return_plan(actor=request.user, plan=plan, reason=form.cleaned_data["reason"], at=timezone.now())
        messages.success(request, _("%(plan)s returned to the institution.") % {"plan": plan})
    except PlanError as error:
        tell(request, error)
    return redirect("review_plan", pk=plan.pk)


@require_POST
@role_required(*Role.values)
def publish(request, pk: int):
    plan = get_plan_for_user(request.user, pk)
    _require_reviewer(request.user, plan, ReviewLevel.PROVINCE)
    try:
        services.publish(actor=request.user, plan=plan, at=timezone.now())
    except PlanError as error:
        plan.refresh_from_db(fields=["status"])
        if plan.status != PlanStatus.PUBLISHED:  # published already (a second click): the same result as the first
            tell(request, error)
            return redirect("review_plan", pk=plan.pk)
    messages.success(request, _("Decisions on %(plan)s published.") % {"plan": plan})
    return redirect("review_plan", pk=plan.pk)


@role_required(Role.PROVINCIAL_REVIEWER)
def adopt_preview(request, pk: int):
    """What adopting the bureau's recommendations would decide; nothing happens until the reviewer confirms."""
    plan = get_plan_for_user(request.user, pk)
    _require_reviewer(request.user, plan, ReviewLevel.PROVINCE)
    try:
        preview = services.adopt_recommendations_preview(actor=request.user, plan=plan, at=timezone.now())
    except PlanError as error:
        tell(request, error)
        return redirect("review_plan", pk=plan.pk)
    return render(request, "reviews/adopt_preview.html", {"plan": plan, "preview": preview})


@require_POST
@role_required(Role.PROVINCIAL_REVIEWER)
def adopt_confirm(request, pk: int):
    plan = get_plan_for_user(request.user, pk)
    _require_reviewer(request.user, plan, ReviewLevel.PROVINCE)
    fingerprint = request.POST.get("fingerprint", "")
    try:
        adopted = services.adopt_recommendations(
            actor=request.user, plan=plan, fingerprint=fingerprint, at=timezone.now()
        )
    except PlanError as error:
        count = _adopted_already(request.user, plan)
        if count is None:
            tell(request, error)
            return redirect("review_adopt", pk=plan.pk)
    else:
        count = len(adopted)
    messages.success(
        request,
        _("Adopted the bureau's recommendations on %(plan)s (%(count)d lines).") % {"count": count, "plan": plan},
    )
    return redirect("review_plan", pk=plan.pk)


def _adopted_already(user, plan: Plan) -> int | None:
    """How many recommendations on `plan` are the province's decisions when every one is (a second click on a
    confirmed preview: the page shows the first one's result); None when something is left to adopt."""
    try:
        preview = services.adopt_recommendations_preview(actor=user, plan=plan, at=timezone.now())
    except PlanError:
        return None
    if preview.adopted or preview.blockers:
        return None
    return sum(1 for line in preview.lines if line.recommendation is not None)


# --- bulk ---------------------------------------------------------------------------------------------------------


@require_POST
@role_required(Role.BUREAU_REVIEWER, Role.PROVINCIAL_REVIEWER)
def bulk_preview(request):
    ids = plan_ids(request.POST)
    if not ids:
        messages.error(request, _("Select at least one plan."))
        return redirect("review_queue")
    preview = services.bulk_approve_preview(actor=request.user, plan_ids=ids, at=timezone.now())
    return render(request, "reviews/bulk_preview.html", {"preview": preview, "ids": ids})


@require_POST
@role_required(Role.BUREAU_REVIEWER, Role.PROVINCIAL_REVIEWER)
def bulk_confirm(request):
    ids = plan_ids(request.POST)
    try:
        done = services.bulk_approve(
            actor=request.user, plan_ids=ids, fingerprint=request.POST.get("fingerprint", ""), at=timezone.now()
        )
    except PlanError as error:
        preview = services.bulk_approve_preview(actor=request.user, plan_ids=ids, at=timezone.now())
        done = [] if preview.ready else _past_the_step(request.user, ids, preview.level)
        if not done:
            tell(request, error)
            return render(request, "reviews/bulk_preview.html", {"preview": preview, "ids": ids}, status=409)
    messages.success(request, _("%(count)d plans approved.") % {"count": len(done)})
    return redirect("review_queue")


def _past_the_step(user, ids, level: str) -> list[Plan]:
    """The selected plans the bulk step has moved on (a second click on a confirmed preview): nothing is left to
    approve, so the page shows the first click's result rather than a stale preview."""
    passed = [PlanStatus.PUBLISHED] + ([PlanStatus.PROVINCIAL_REVIEW] if level == ReviewLevel.BUREAU else [])
    return list(Plan.objects.for_user(user).filter(pk__in=list(ids), status__in=passed))
