"""Pages listing each side's papers, and the downloads of the generated documents."""

from __future__ import annotations

import tempfile

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.downloads import attach, download, private
from core.ratelimit import export_limit
from documents.access import get_bureau_for_user, get_round_for_user, require_province
from documents.application_form import DOCX, PDF, ApplicationFormExport
from documents.bureau_summary import BureauSummary, bureau_plans
from documents.forms import BureauScanForm, PlanScanForm
from documents.institution_summary import InstitutionSummary
from documents.models import Bundle
from documents.papers import bureau_papers, bureaus_owing, papers_for_plans, submitted_plans
from documents.provincial_summary import ProvincialSummary
from institutions.enums import InstitutionKind
from institutions.models import Bureau
from plans.access import get_plan_for_user
from plans.models import ApplicationForm, Plan
from rounds.models import Round


@login_required
@require_GET
def documents_home(request):
    user = request.user
    plans = Plan.objects.none()
    if user.institution_id:
        plans = Plan.objects.for_user(user).select_related("round", "institution")
    return render(
        request,
        "documents/home.html",
        {
            "plans": plans,
            "rounds": Round.objects.for_user(user),
            "bureaus": Bureau.objects.order_by("id") if user.sees_everything else [],
        },
    )


@login_required
@require_GET
def plan_documents(request, pk: int):
    plan = get_plan_for_user(request.user, pk)
    [papers] = papers_for_plans([plan])
    new_certificates = [(p.certificate_id, p.title) for p in papers.papers if p.certificate_id]
    can_upload = request.user.institution_id == plan.institution_id
    form = PlanScanForm(certificates=new_certificates) if can_upload else None
    return render(request, "documents/plan.html", {"plan": plan, "papers": papers, "form": form})


@login_required
@require_GET
@export_limit
def institution_summary_download(request, pk: int):
    export = InstitutionSummary(get_plan_for_user(request.user, pk))
    return download(export.render(), export.filename(), export.content_type)


@login_required
@require_GET
@export_limit
def application_form_download(request, pk: int, certificate_id: int, fmt: str):
    if fmt not in ("docx", "pdf"):
        raise Http404
    plan = get_plan_for_user(request.user, pk)
    try:
        export = ApplicationFormExport.for_plan(plan, certificate_id)
    except ApplicationForm.DoesNotExist as exc:
        raise Http404 from exc
    if fmt == "docx":
        return download(export.docx(), export.filename("docx"), DOCX)
    return download(export.pdf(), export.filename("pdf"), PDF)


@login_required
@require_GET
def bureau_documents(request, pk: int, bureau_id: int):
    round_ = get_round_for_user(request.user, pk)
    bureau = get_bureau_for_user(request.user, bureau_id)
    plans = list(bureau_plans(bureau, round_).select_related("institution__bureau", "round"))
    [(_bureau, own)] = bureau_papers(round_, [bureau])
    can_upload = request.user.is_bureau_reviewer and request.user.bureau_id == bureau.pk
    return render(
        request,
        "documents/bureau.html",
        {
            "round": round_,
            "bureau": bureau,
            "schools": papers_for_plans(plans),
            "own": own,
            "form": BureauScanForm() if can_upload else None,
        },
    )


@login_required
@require_GET
@export_limit
def bureau_summary_download(request, pk: int, bureau_id: int):
    export = BureauSummary(get_bureau_for_user(request.user, bureau_id), get_round_for_user(request.user, pk))
    return download(export.render(), export.filename(), export.content_type)


@login_required
@require_GET
def province_documents(request, pk: int):
    require_province(request.user)
    round_ = get_round_for_user(request.user, pk)
    higher = papers_for_plans(submitted_plans(round_, institution__kind__in=InstitutionKind.higher()))
    secondary = papers_for_plans(submitted_plans(round_, institution__kind__in=InstitutionKind.secondary()))
    missing_by_bureau: dict[int, int] = {}
    for papers in secondary:
        if papers.missing:
            key = papers.plan.institution.bureau_id
            missing_by_bureau[key] = missing_by_bureau.get(key, 0) + 1
    bureaus = [
        (bureau, paper, missing_by_bureau.get(bureau.pk, 0))
        for bureau, paper in bureau_papers(round_, bureaus_owing(round_))
    ]
    return render(
        request,
        "documents/province.html",
        {
            "round": round_,
            "higher": higher,
            "bureaus": bureaus,
            "bundles": Bundle.objects.filter(round=round_).select_related("requested_by")[:5],
        },
    )


@login_required
@require_GET
@export_limit
def provincial_summary_download(request, pk: int):
    require_province(request.user)
    export = ProvincialSummary(get_round_for_user(request.user, pk))
    # Written to a temporary file and streamed: at national scale the workbook is tens of MB.
    tmp = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it once sent
    export.write(tmp)
    tmp.seek(0)
    return private(attach(FileResponse(tmp, content_type=export.content_type), export.filename()))
