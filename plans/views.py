from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from audit.services import latest_event
from catalog.enums import Level
from catalog.models import Certificate, CertificateLevel
from core.ratelimit import export_limit
from plans import services, workflow
from plans.access import get_line_for_user, get_plan_for_user
from plans.enums import PlanStatus
from plans.forms import ApplicationFormForm, LineForm, ReasonForm, UploadForm
from plans.models import Plan, PlanLine
from plans.pages import plan_page
from rounds.enums import Stage
from rounds.models import Round

RETURN_ACTIONS = ("plan.send_back", "review.return")


def steps_of(request, plan: Plan) -> set[str]:
    """The steps the page offers: those the table of plans/workflow.py allows the user on the plan."""
    return set(workflow.allowed_steps(request.user, plan))


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _workspace(request, plan: Plan, *, form=None, error: services.PlanError | None = None, status: int = 200):
    """The part of the plan page that htmx swaps after every change: lines, violations, cap, forms."""
    page = plan_page(plan, at=timezone.now())  # first: it reads the round's extensions once for the steps too
    context = {
        "plan": plan,
        "steps": steps_of(request, plan),
        "page": page,
        "line_form": form or LineForm(),
        "error": error,
    }
    if _is_htmx(request):
        return render(request, "plans/_workspace.html", context, status=status)
    if error:
        messages.error(request, str(error))
    return redirect("plan_detail", pk=plan.pk)


@login_required
def plan_list(request):
    user = request.user
    plans = Plan.objects.for_user(user).select_related("institution", "round").order_by("-round__year", "round__season")
    openable = []
    if user.is_institution_user:
        now = timezone.now()
        have = set(plans.values_list("round_id", flat=True))
        for rnd in Round.objects.prefetch_related("extensions").exclude(pk__in=have):
            window = rnd.window_for(Stage.FILING, institution=user.institution)
            if window.is_open(at=now):
                openable.append((rnd, window))
    return render(request, "plans/list.html", {"plans": plans[:200], "openable": openable})


@require_POST
@login_required
def plan_open(request, round_id: int):
    rnd = get_object_or_404(Round.objects.for_user(request.user), pk=round_id)
    try:
        plan = services.open_plan(actor=request.user, round=rnd, at=timezone.now())
    except services.PlanError as exc:
        messages.error(request, str(exc))
        return redirect("plan_list")
    return redirect("plan_detail", pk=plan.pk)


@login_required
def plan_detail(request, pk: int):
    plan = get_plan_for_user(request.user, pk)
    page = plan_page(plan, at=timezone.now())
    if plan.status == PlanStatus.PUBLISHED:  # each line shows its decision: a rejection with its reason
        prefetch_related_objects(page.facts.lines, "decisions")
    context = {
        "plan": plan,
        "steps": steps_of(request, plan),
        "page": page,
        "line_form": LineForm(),
        # Why the plan is back in the institution's hands: the last return or send-back, by whom and when.
        "returned": latest_event(plan, RETURN_ACTIONS) if plan.is_editable else None,
    }
    return render(request, "plans/detail.html", context)


@require_GET
@login_required
def plan_workspace(request, pk: int):
    plan = get_plan_for_user(request.user, pk)
    page = plan_page(plan, at=timezone.now())  # first: it reads the round's extensions once for the steps too
    context = {"plan": plan, "steps": steps_of(request, plan), "page": page}
    return render(request, "plans/_workspace.html", context)


def _line_values(form: LineForm) -> dict:
    data = form.cleaned_data
    return {
        "certificate": data["certificate"],
        "level": data["level"],
        "major_name": data["major_name"],
        "major_code": data["major_code"],
        "headcount": data["headcount"],
        "remark": data["remark"],
        "justification": data["justification"],
    }


@require_POST
@login_required
def line_add(request, pk: int):
    plan = get_plan_for_user(request.user, pk, write=True)
    form = LineForm(request.POST)
    if not form.is_valid():
        return _workspace(request, plan, form=form, status=422)
    try:
        services.add_line(actor=request.user, plan=plan, **_line_values(form))
    except services.PlanError as exc:
        return _workspace(request, plan, form=form, error=exc, status=422)
    return _workspace(request, plan)


@require_POST
@login_required
def line_preview(request, pk: int):
    """The violations the plan would have with this line added — shown under the form as the user types."""
    plan = get_plan_for_user(request.user, pk, write=True)
    form = LineForm(request.POST)
    candidate = None
    if form.is_valid():
        values = _line_values(form)
        candidate = PlanLine(plan=plan, **values)
    lines = list(plan.lines.select_related("certificate"))
    page = plan_page(plan, at=timezone.now(), lines=[*lines, candidate] if candidate else lines)
    # The candidate's own violations, and the cap: R3 concerns the plan as a whole but this line may be what tips it.
    preview = [v for v in page.violations if None in v.line_ids or v.code == "R3"] if candidate else []
    return render(request, "plans/_preview.html", {"form": form, "preview": preview, "page": page, "plan": plan})


@require_GET
@login_required
def line_edit(request, line_id: int):
    """One line's edit form, loaded when its edit button is clicked: the plan page carries no form per line."""
    line = get_line_for_user(request.user, line_id, write=True)
    if workflow.Step.EDIT not in steps_of(request, line.plan):
        raise PermissionDenied
    return render(request, "plans/_line_edit.html", {"line": line})


@require_POST
@login_required
def line_update(request, line_id: int):
    line = get_line_for_user(request.user, line_id, write=True)
    form = LineForm(request.POST)
    if not form.is_valid():
        return _workspace(request, line.plan, error=services.PlanError(_format_errors(form)), status=422)
    try:
        services.update_line(actor=request.user, line=line, **_line_values(form))
    except services.PlanError as exc:
        return _workspace(request, line.plan, error=exc, status=422)
    return _workspace(request, line.plan)


def _format_errors(form) -> str:
    return "；".join(f"{form.fields[name].label}: {' '.join(errors)}" for name, errors in form.errors.items())


@require_POST
@login_required
def line_delete(request, line_id: int):
    line = get_line_for_user(request.user, line_id, write=True)
    plan = line.plan
    try:
        services.remove_line(actor=request.user, line=line)
    except services.PlanError as exc:
        return _workspace(request, plan, error=exc, status=422)
    return _workspace(request, plan)


@require_POST
@login_required
def plan_copy_last_year(request, pk: int):
    plan = get_plan_for_user(request.user, pk, write=True)
    try:
        added = services.copy_last_year(actor=request.user, plan=plan)
    except services.PlanError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(count)d lines copied from last year's approved plan.") % {"count": added})
    return redirect("plan_detail", pk=plan.pk)


@login_required
def form_edit(request, pk: int, certificate_id: int):
    plan = get_plan_for_user(request.user, pk)
    certificate = get_object_or_404(Certificate, pk=certificate_id)
    existing = plan.forms.filter(certificate=certificate).first()
    form = ApplicationFormForm(request.POST or None, initial=ApplicationFormForm.initial_from(existing))
    if request.method == "POST":
        plan = get_plan_for_user(request.user, pk, write=True)
        if form.is_valid():
            try:
                services.save_form(actor=request.user, plan=plan, certificate=certificate, **form.cleaned_data)
            except services.PlanError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Application form saved."))
                return redirect("plan_detail", pk=plan.pk)
    return render(
        request,
        "plans/form_edit.html",
        {
            "plan": plan,
            "steps": steps_of(request, plan),
            "certificate": certificate,
            "form": form,
            "existing": existing,
        },
    )


def _step(request, pk: int, step, *, success: str, **kwargs):
    plan = get_plan_for_user(request.user, pk)
    try:
        step(actor=request.user, plan=plan, **kwargs)
    except services.PlanError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return redirect("plan_detail", pk=plan.pk)


@require_POST
@login_required
def plan_send_for_signoff(request, pk: int):
    return _step(
        request, pk, services.send_for_signoff, at=timezone.now(), success=_("Sent to your leader for sign-off.")
    )


@require_POST
@login_required
def plan_sign_off(request, pk: int):
    return _step(request, pk, services.sign_off, at=timezone.now(), success=_("Signed off and submitted."))


@require_POST
@login_required
def plan_send_back(request, pk: int):
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _step(request, pk, services.send_back, reason=reason, success=_("Sent back to staff."))


@require_GET
@login_required
def certificate_search(request):
    query = request.GET.get("q", "")[:50]
    certificates = Certificate.objects.search(query).select_related("awarding_body").order_by("name")[:20]
    return render(request, "plans/_certificate_options.html", {"certificates": certificates, "query": query})


@require_GET
@login_required
def certificate_levels(request, certificate_id: int):
    levels = CertificateLevel.objects.filter(certificate_id=certificate_id)
    ordered = sorted(levels, key=lambda cl: Level.values.index(cl.level))
    return render(request, "plans/_level_options.html", {"levels": ordered})


@require_GET
@login_required
@export_limit
def lines_template(request, pk: int):
    from plans.excel import template_response

    plan = get_plan_for_user(request.user, pk)
    return template_response(plan)


def _upload_key(plan: Plan) -> str:
    return f"plans.upload.{plan.pk}"


@require_POST
@login_required
def lines_upload(request, pk: int):
    """Read the uploaded template and show what it would change; nothing is written before the confirmation."""
    from plans.line_import import compare, lines_for_session, read_lines

    plan = get_plan_for_user(request.user, pk, write=True)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose an Excel file to upload."))
        return redirect("plan_detail", pk=plan.pk)
    read = read_lines(form.cleaned_data["file"])
    for error in read.errors[:50]:
        messages.error(request, error)
    if read.errors:
        return redirect("plan_detail", pk=plan.pk)
    diff = compare(plan, read.lines)
    if diff.is_empty:
        messages.info(request, _("The file matches the plan: nothing to change."))
        return redirect("plan_detail", pk=plan.pk)
    request.session[_upload_key(plan)] = lines_for_session(read.lines)
    names = dict(Certificate.objects.filter(pk__in=[n.certificate_id for n in diff.added]).values_list("pk", "name"))
    added = [(new, names[new.certificate_id], Level(new.level).label) for new in diff.added]
    return render(request, "plans/lines_preview.html", {"plan": plan, "diff": diff, "added": added})


@require_POST
@login_required
def lines_upload_confirm(request, pk: int):
    from plans.line_import import apply_lines, lines_from_session

    plan = get_plan_for_user(request.user, pk, write=True)
    stored = request.session.get(_upload_key(plan))
    if stored is None:
        messages.error(request, _("The preview has expired: upload the file again."))
        return redirect("plan_detail", pk=plan.pk)
    remove = {int(value) for value in request.POST.getlist("remove") if value.isdigit()}
    try:
        applied = apply_lines(
            actor=request.user,
            plan=plan,
            lines=lines_from_session(stored),
            digest=request.POST.get("digest", ""),
            remove=remove,
        )
    except services.PlanError as exc:
        messages.error(request, str(exc))
        return redirect("plan_detail", pk=plan.pk)
    del request.session[_upload_key(plan)]
    messages.success(
        request,
        _("From the file: %(added)d lines added, %(changed)d changed, %(removed)d removed.")
        % {"added": applied.added, "changed": applied.changed, "removed": applied.removed},
    )
    return redirect("plan_detail", pk=plan.pk)
