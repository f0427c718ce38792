"""The 通报 draft: written from a checkpoint, edited by the office, its Word and PDF once issued (publishing it
as a notice is onex.bulletins, one floor up)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import role_required
from core.ratelimit import export_limit
from monitoring import bulletins
from monitoring.access import OFFICE_ROLES, get_checkpoint_for_user
from monitoring.errors import Refused
from monitoring.records import Bulletin
from monitoring.views.common import download


class BulletinForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("document number"), max_length=60)
    date = forms.DateField(
        label=gettext_lazy("date of issue"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    title = forms.CharField(label=gettext_lazy("title"), max_length=200)
    body = forms.CharField(label=gettext_lazy("text"), widget=forms.Textarea(attrs={"rows": 18}))


@role_required(*OFFICE_ROLES)
@require_POST
def bulletin_draft(request, pk: int):
    checkpoint = get_checkpoint_for_user(request.user, pk)
    with_forecast = request.POST.get("forecast") == "1"
    bulletin, _created = bulletins.create_draft(actor=request.user, checkpoint=checkpoint, with_forecast=with_forecast)
    return redirect("monitoring:bulletin", bulletin.pk)


@role_required(*OFFICE_ROLES)
@require_http_methods(["GET", "POST"])
def bulletin(request, pk: int):
    found = get_object_or_404(Bulletin.objects.select_related("checkpoint", "notice"), pk=pk)
    form = BulletinForm(request.POST or None, initial={name: getattr(found, name) for name in bulletins.EDITABLE})
    if request.method == "POST" and form.is_valid():
        try:
            bulletins.update(actor=request.user, bulletin=found, **form.cleaned_data)
        except Refused as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The bulletin draft is saved."))
        return redirect("monitoring:bulletin", pk)
    return render(request, "monitoring/bulletin.html", {"bulletin": found, "form": form})


@role_required(*OFFICE_ROLES)
@require_GET
@export_limit
def bulletin_file(request, pk: int, fmt: str):
    found = get_object_or_404(Bulletin, pk=pk, issued_at__isnull=False)
    field = {"docx": found.docx, "pdf": found.pdf}.get(fmt)
    if field is None:
        return redirect("monitoring:bulletin", pk)
    with field.open("rb") as handle:
        data = handle.read()
    kind = (
        "application/pdf" if fmt == "pdf" else "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    return download(data, f"{found.title}.{fmt}", kind)
