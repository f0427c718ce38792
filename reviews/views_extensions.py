"""The provincial admin's exceptions: more time for one institution or one bureau (DOMAIN.md §4)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.enums import Role
from reviews.forms import ExtensionForm
from rounds.models import Extension
from rounds.services import RoundRefused, grant_extension, revoke_extension


@role_required(Role.PROVINCIAL_ADMIN)
def extension_list(request):
    form = ExtensionForm(request.POST or None, initial=request.GET.dict() or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        extension = grant_extension(
            actor=request.user,
            round=data["round"],
            stage=data["stage"],
            until=data["until"],
            reason=data["reason"].strip(),
            institution=data["institution"],
            bureau=data["bureau"],
        )
        messages.success(request, _("Extension granted: %(extension)s.") % {"extension": extension})
        return redirect("review_extensions")
    extensions = Extension.objects.select_related("round", "institution", "bureau", "granted_by").order_by(
        "-granted_at", "-id"
    )
    return render(request, "reviews/extensions.html", {"form": form, "extensions": extensions})


@require_POST
@role_required(Role.PROVINCIAL_ADMIN)
def extension_revoke(request, pk: int):
    """Take an extension back, with a reason (the service refuses without one and changes nothing)."""
    extension = get_object_or_404(Extension, pk=pk)
    described = str(extension)
    try:
        revoke_extension(actor=request.user, extension=extension, reason=request.POST.get("reason", ""))
    except RoundRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Extension revoked: %(extension)s.") % {"extension": described})
    return redirect("review_extensions")
