"""Notice pages: the list, one notice (public ones without login), writing and publishing, receipts, templates,
contacts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.downloads import attach, content_disposition
from core.forms import error_messages
from core.ratelimit import export_limit
from institutions.models import Bureau
from notices import receipts, services
from notices.access import can_write, get_notice_for_user
from notices.attachments import AttachmentRefused
from notices.blanks import blank
from notices.enums import Template
from notices.forms import AttachmentForm, NoticeForm
from notices.models import Contact, Notice
from notices.rendering import render_body
from notices.workflow import Step, allowed_steps


def _writer_required(request) -> None:
    if not request.user.is_authenticated:
        raise Http404
    if not can_write(request.user):
        raise PermissionDenied


@require_GET
def notice_list(request):
    notices = Notice.objects.for_user(request.user).only(
        "id",
        "year",
        "number",
        "date",
        "title",
        "audience",
        "institution_kind",
        "published_at",
        "expects_receipts",
        "withdrawn_at",
    )
    if request.user.is_authenticated and request.user.sees_everything:
        # An aggregate drops Meta.ordering (GROUP BY): the order is spelled out again.
        notices = notices.annotate(confirmed=Count("receipts")).order_by(*Notice._meta.ordering)
    page = Paginator(notices, 30).get_page(request.GET.get("page"))
    unconfirmed = set()
    if request.user.is_authenticated:
        unconfirmed = set(Notice.objects.unconfirmed_by(request.user).values_list("pk", flat=True))
    return render(
        request,
        "notices/list.html",
        {"page": page, "can_write": can_write(request.user), "unconfirmed": unconfirmed},
    )


@require_GET
def notice_detail(request, year: int, pk: int):
    notice = get_notice_for_user(request.user, year, pk)
    user = request.user
    receipt = None
    confirms = Step.CONFIRM in allowed_steps(user, notice)
    if confirms:
        receipt = notice.receipts.filter(**services.reader_of(user)).select_related("confirmed_by").first()
    return render(
        request,
        "notices/detail.html",
        {
            "notice": notice,
            "body": render_body(notice.body),
            "attachments": notice.attachments.all(),
            "receipt": receipt,
            "can_confirm": confirms and receipt is None,
            "can_write": can_write(user),
            "templates": _templates(notice.year) if notice.offers_templates and user.is_authenticated else [],
        },
    )


def _templates(year: int) -> list[dict]:
    return [{"template": t, "year": year, "formats": t.formats} for t in Template]


@login_required
def notice_create(request):
    _writer_required(request)
    form = NoticeForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        notice = services.create_notice(actor=request.user, **form.cleaned_data)
        return redirect("notice_edit", year=notice.year, pk=notice.pk)
    return render(request, "notices/form.html", {"form": form, "notice": None})


@login_required
def notice_edit(request, year: int, pk: int):
    notice = get_notice_for_user(request.user, year, pk, write=True)
    if notice.is_published:
        return redirect(notice)
    form = NoticeForm(request.POST or None, instance=Notice.objects.get(pk=notice.pk))
    if request.method == "POST" and form.is_valid():
        notice = services.update_notice(actor=request.user, notice=notice, **form.cleaned_data)
        messages.success(request, _("The draft is saved."))
        return redirect("notice_edit", year=notice.year, pk=notice.pk)
    return render(
        request,
        "notices/form.html",
        {
            "form": form,
            "notice": notice,
            "attachment_form": AttachmentForm(),
            "attachments": notice.attachments.all(),
            "preview": render_body(notice.body),
        },
    )


@require_POST
@login_required
def notice_publish(request, year: int, pk: int):
    notice = get_notice_for_user(request.user, year, pk, write=True)
    try:
        services.publish_notice(actor=request.user, notice=notice, at=timezone.now())
    except services.NoticeError as error:
        messages.error(request, error.message)
    return redirect(notice)


@require_POST
@login_required
def notice_withdraw(request, year: int, pk: int):
    notice = get_notice_for_user(request.user, year, pk, write=True)
    try:
        services.withdraw_notice(
            actor=request.user, notice=notice, reason=request.POST.get("reason", "")[:500], at=timezone.now()
        )
    except services.NoticeError as error:
        notice.refresh_from_db(fields=["withdrawn_at"])
        if not notice.is_withdrawn:  # withdrawn already (a second click): the same result as the first
            messages.error(request, error.message)
            return redirect(notice)
    messages.success(request, _("The notice is withdrawn."))
    return redirect(notice)


@require_POST
@login_required
def attachment_add(request, year: int, pk: int):
    notice = get_notice_for_user(request.user, year, pk, write=True)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_attachment(
                actor=request.user,
                notice=notice,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
                at=timezone.now(),
            )
        except (AttachmentRefused, services.NoticeError) as refused:
            messages.error(request, refused.message)
    else:
        messages.error(request, " ".join(error_messages(form)))
    return redirect("notice_edit", year=notice.year, pk=notice.pk)


@require_POST
@login_required
def attachment_remove(request, year: int, pk: int, attachment_id: int):
    notice = get_notice_for_user(request.user, year, pk, write=True)
    attachment = get_object_or_404(notice.attachments, pk=attachment_id)
    try:
        services.remove_attachment(actor=request.user, attachment=attachment)
    except services.NoticeError as error:
        messages.error(request, error.message)
    return redirect("notice_edit", year=notice.year, pk=notice.pk)


@require_GET
def attachment_download(request, year: int, pk: int, attachment_id: int):
    notice = get_notice_for_user(request.user, year, pk)
    attachment = get_object_or_404(notice.attachments, pk=attachment_id)
    with attachment.file.open("rb") as stored:  # at most MAX_ATTACHMENT_BYTES
        response = HttpResponse(stored.read(), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(attachment.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    if not notice.is_public:
        response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required
def notice_confirm(request, year: int, pk: int):
    notice = get_notice_for_user(request.user, year, pk)
    try:
        services.confirm_read(user=request.user, notice=notice, at=timezone.now())
    except services.NoticeError as error:
        messages.error(request, error.message)
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(notice)


@require_GET
@login_required
def notice_receipts(request, year: int, pk: int):
    if not request.user.sees_everything:
        raise PermissionDenied
    notice = get_notice_for_user(request.user, year, pk)
    wanted = request.GET.get("bureau", "")
    seen = receipts.overview(notice, int(wanted) if wanted.isdigit() else None)
    return render(
        request,
        "notices/receipts.html",
        {
            "notice": notice,
            "counts": seen.counts,
            "groups": seen.groups,
            "chosen": seen.chosen,
            "confirmed": seen.confirmed,
            "pending": seen.pending,
            "can_write": can_write(request.user),
        },
    )


@require_POST
@login_required
def notice_remind(request, year: int, pk: int):
    notice = get_notice_for_user(request.user, year, pk, write=True)
    bureau = None
    if request.POST.get("bureau"):
        bureau = get_object_or_404(Bureau, pk=request.POST["bureau"])
    count = services.remind_unconfirmed(actor=request.user, notice=notice, bureau=bureau)
    messages.success(request, _("%(count)d people were reminded.") % {"count": count})
    return redirect("notice_receipts", year=notice.year, pk=notice.pk)


@require_GET
@login_required
def template_list(request):
    year = timezone.localdate().year
    return render(request, "notices/templates.html", {"templates": _templates(year), "year": year})


@require_GET
@login_required
@export_limit
def template_download(request, year: int, template: str, fmt: str):
    found = blank(template, year, fmt)
    if found is None or not 2000 <= year <= 2100:
        raise Http404
    return attach(HttpResponse(found.render(), content_type=found.content_type), found.filename())


@require_GET
def contacts(request):
    return render(request, "notices/contacts.html", {"contacts": Contact.objects.all()})
