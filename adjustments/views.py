"""Adjustment pages. Out-of-scope objects are 404 (plans.access, adjustments.access), wrong roles 403 or a
message from the service; the services decide everything else."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.enums import Role
from adjustments import guards, services, workflow
from adjustments.access import get_request_for_user
from adjustments.attachment import paper
from adjustments.enums import AdjustmentStatus
from adjustments.forms import DecisionForm, OptionalReasonForm, ReasonForm, RequestForm, ScanForm
from adjustments.models import AdjustmentRequest
from adjustments.pages import compare, plan_history, plan_requests, request_comparison
from adjustments.rules import Checker, r7_violations, read_record
from adjustments.workflow import Step
from audit.services import latest_event
from core.downloads import download
from core.forms import error_messages
from core.ratelimit import export_limit
from core.refusals import tell
from documents import adjustment_request as attachment3
from documents.application_form import DOCX, PDF
from documents.scans import ScanRefused
from documents.uploads import payload_too_large
from documents.views_scans import guarded
from plans.access import get_plan_for_user
from plans.enums import PlanStatus
from plans.models import Plan
from plans.services import PlanError

# The steps that put a request back in staff's hands with a reason.
RETURN_ACTIONS = ("adjustment.send_back", "adjustment.bureau_return")


def _requests():
    return AdjustmentRequest.objects.select_related("plan__institution__bureau", "plan__round").prefetch_related(
        "items__certificate"
    )


# --- lists ---------------------------------------------------------------------------------------------------------


def _waiting_status(user) -> str | None:
    return {
        Role.INSTITUTION_STAFF: AdjustmentStatus.DRAFT,
        Role.INSTITUTION_OFFICE_HEAD: AdjustmentStatus.AWAITING_OFFICE_HEAD,
        Role.INSTITUTION_LEADER: AdjustmentStatus.AWAITING_LEADER,
        Role.BUREAU_REVIEWER: AdjustmentStatus.BUREAU_REVIEW,
        Role.PROVINCIAL_REVIEWER: AdjustmentStatus.PROVINCIAL_REVIEW,
    }.get(user.role)


@login_required
@require_GET
def index(request):
    """Every request the user sees (filter by status; by default what waits for the user), and for an institution
    its published plans."""
    user = request.user
    status = request.GET.get("status")
    if status is None:
        status = _waiting_status(user) or ""
    if status and status not in AdjustmentStatus.values:
        status = ""
    requests = AdjustmentRequest.objects.for_user(user).select_related("plan__institution", "plan__round")
    if status:
        requests = requests.filter(status=status)
    page = Paginator(requests.order_by("-updated_at", "-id"), 50).get_page(request.GET.get("page"))
    plans = []
    if user.is_institution_user:
        plans = Plan.objects.for_user(user).filter(status=PlanStatus.PUBLISHED).select_related("round", "institution")
    return render(
        request,
        "adjustments/index.html",
        {"page": page, "status": status, "statuses": AdjustmentStatus.choices, "plans": plans},
    )


@login_required
@require_GET
def plan_adjustments(request, pk: int):
    """One plan's requests, what blocks the pending ones now, and the history of its figures of record."""
    plan = get_plan_for_user(request.user, pk)
    visible = AdjustmentRequest.objects.for_user(request.user).filter(plan=plan)
    listed = plan_requests(plan, visible.prefetch_related("items__certificate").order_by("-created_at", "-id"))
    now = timezone.now()
    can_file = (
        request.user.role == Role.INSTITUTION_STAFF
        and request.user.institution_id == plan.institution_id
        and guards.window_problem(plan, now) is None
    )
    return render(
        request,
        "adjustments/plan.html",
        {
            "plan": plan,
            "listed": listed,
            "history": plan_history(plan),
            "window": guards.adjustment_window(plan),
            "window_problem": guards.window_problem(plan, now),
            "can_file": can_file,
        },
    )


# --- the draft -----------------------------------------------------------------------------------------------------


def _edit_page(request, plan: Plan, *, adjustment: AdjustmentRequest | None):
    record = read_record(plan)
    form = RequestForm(request.POST or None, record=record, request=adjustment)
    if request.method == "POST" and form.is_valid():
        try:
            if adjustment is None:
                adjustment = services.create_request(
                    actor=request.user,
                    plan=plan,
                    reason=form.cleaned_data["reason"],
                    changes=form.changes(),
                    at=timezone.now(),
                )
            else:
                services.update_request(
                    actor=request.user,
                    request=adjustment,
                    reason=form.cleaned_data["reason"],
                    changes=form.changes(),
                    at=timezone.now(),
                )
        except PlanError as error:
            tell(request, error)
        else:
            messages.success(request, _("Adjustment request saved."))
            return redirect("adjustment_detail", adjustment.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "adjustments/edit.html", {"plan": plan, "form": form, "adjustment": adjustment}, status=status
    )


@login_required
def request_create(request, pk: int):
    plan = get_plan_for_user(request.user, pk, write=True)
    if request.user.role != Role.INSTITUTION_STAFF:
        raise PermissionDenied
    return _edit_page(request, plan, adjustment=None)


@login_required
def request_edit(request, pk: int):
    adjustment = get_request_for_user(request.user, pk, write=True)
    if request.user.role != Role.INSTITUTION_STAFF:
        raise PermissionDenied
    if adjustment.status != AdjustmentStatus.DRAFT:
        messages.error(request, _("Only a draft can be changed."))
        return redirect("adjustment_detail", adjustment.pk)
    return _edit_page(request, adjustment.plan, adjustment=adjustment)


@login_required
@require_POST
def request_preview(request, pk: int):
    """The plan before and after the figures typed so far, with every refusal and rule — nothing is saved."""
    plan = get_plan_for_user(request.user, pk, write=True)
    record = read_record(plan)
    form = RequestForm(request.POST, record=record)
    comparison, refusals = None, []
    # The reason is not needed to see the figures.
    if form.is_valid() or set(form.errors) == {"reason"}:
        changes = form.changes()
        refusals = r7_violations(record, changes) if changes else []
        if not refusals:
            items = services.build_items(record, changes)
            checker = Checker(plan, record=record)
            comparison = compare(record, items, checker.violations(items))
    return render(request, "adjustments/_preview.html", {"form": form, "comparison": comparison, "refusals": refusals})


# --- one request ---------------------------------------------------------------------------------------------------


@login_required
@require_GET
def request_detail(request, pk: int):
    adjustment = get_request_for_user(request.user, pk)
    user = request.user
    items = list(adjustment.items.select_related("certificate", "line"))
    now = timezone.now()
    own = user.institution_id == adjustment.plan.institution_id
    steps = set(workflow.allowed_steps(user, adjustment))
    return render(
        request,
        "adjustments/detail.html",
        {
            "adjustment": adjustment,
            "steps": steps,
            "plan": adjustment.plan,
            "items": items,
            "comparison": request_comparison(adjustment),
            "window": guards.adjustment_window(adjustment.plan),
            "window_problem": guards.window_problem(adjustment.plan, now),
            "decision_form": DecisionForm(items=items) if Step.DECIDE in steps else None,
            "reason_form": ReasonForm(),
            "remark_form": OptionalReasonForm(),
            "scan_form": ScanForm() if own and adjustment.leader_signed_at else None,
            "scans": adjustment.scans.select_related("scan").order_by("-scan__uploaded_at"),
            "history": plan_history(adjustment.plan),
            "returned": latest_event(adjustment, RETURN_ACTIONS)
            if adjustment.status == AdjustmentStatus.DRAFT
            else None,
        },
    )


def _step(request, pk: int, step, *, success: str, **kwargs):
    adjustment = get_request_for_user(request.user, pk)
    try:
        step(actor=request.user, request=adjustment, at=timezone.now(), **kwargs)
    except PlanError as error:
        tell(request, error)
    else:
        messages.success(request, success)
    # A step may take the request out of the actor's sight (a bureau returning it to the school): then the list.
    if not AdjustmentRequest.objects.for_user(request.user).filter(pk=adjustment.pk).exists():
        return redirect("adjustment_index")
    return redirect("adjustment_detail", adjustment.pk)


def _reason(request) -> str:
    form = ReasonForm(request.POST)
    return form.cleaned_data["reason"] if form.is_valid() else ""


@login_required
@require_POST
def request_send(request, pk: int):
    return _step(request, pk, services.send_for_signoff, success=_("Sent to the office head for sign-off."))


@login_required
@require_POST
def request_sign_office_head(request, pk: int):
    return _step(request, pk, services.sign_as_office_head, success=_("Signed; the leader signs next."))


@login_required
@require_POST
def request_sign_leader(request, pk: int):
    return _step(request, pk, services.sign_as_leader, success=_("Signed; the request has left the institution."))


@login_required
@require_POST
def request_send_back(request, pk: int):
    return _step(request, pk, services.send_back, reason=_reason(request), success=_("Sent back to staff."))


@login_required
@require_POST
def request_withdraw(request, pk: int):
    return _step(request, pk, services.withdraw, reason=_reason(request), success=_("The request was withdrawn."))


@login_required
@require_POST
def bureau_forward(request, pk: int):
    return _step(request, pk, services.bureau_forward, reason=_reason(request), success=_("Forwarded to the province."))


@login_required
@require_POST
def bureau_return(request, pk: int):
    return _step(request, pk, services.bureau_return, reason=_reason(request), success=_("Returned to the school."))


@login_required
@require_POST
def request_decide(request, pk: int):
    adjustment = get_request_for_user(request.user, pk)
    form = DecisionForm(request.POST, items=list(adjustment.items.all()))
    if not form.is_valid():
        for message in error_messages(form):
            messages.error(request, message)
        return redirect("adjustment_detail", adjustment.pk)
    data = form.cleaned_data
    return _step(
        request,
        pk,
        services.decide,
        outcome=data["outcome"],
        reason=data["reason"],
        approved=form.approved(),
        success=_("Decision recorded."),
    )


# --- papers --------------------------------------------------------------------------------------------------------


@login_required
@require_GET
@export_limit
def request_download(request, pk: int, fmt: str):
    """附件3 with the figures before and after and both sign-offs, as Word or PDF."""
    if fmt not in ("docx", "pdf"):
        raise Http404
    data = paper(get_request_for_user(request.user, pk))
    if fmt == "docx":
        return download(attachment3.docx(data), attachment3.filename(data, "docx"), DOCX)
    return download(attachment3.pdf(data), attachment3.filename(data, "pdf"), PDF)


@guarded
def request_scan(request, pk: int):
    adjustment = get_request_for_user(request.user, pk, write=True)
    if request.upload_limit.exceeded:
        return payload_too_large()
    if request.upload_limit.unsafe_names:
        messages.error(
            request,
            _("The file name %(name)r is not acceptable.") % {"name": request.upload_limit.unsafe_names[0][:80]},
        )
        return redirect("adjustment_detail", adjustment.pk)
    form = ScanForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the stamped scan to upload."))
        return redirect("adjustment_detail", adjustment.pk)
    try:
        services.attach_scan(
            actor=request.user, request=adjustment, upload=form.cleaned_data["file"], at=timezone.now()
        )
    except ScanRefused as refused:
        messages.error(request, refused.message)
    except PlanError as error:
        tell(request, error)
    else:
        messages.success(request, _("The stamped scan was received."))
    return redirect("adjustment_detail", adjustment.pk)
