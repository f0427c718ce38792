"""The provincial admin's exceptions: more time for one institution or one bureau (DOMAIN.md §4)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.access import role_required
from accounts.enums import Role
from reviews.forms import ExtensionForm
from rounds.models import Extension
from rounds.services import grant_extension


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
