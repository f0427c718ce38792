from django.shortcuts import render

from accounts.access import role_required
from accounts.enums import Role
from catalog.importers import import_certificates
from institutions.forms import BUREAUS, CERTIFICATES, INSTITUTIONS, ImportForm
from institutions.importers import import_bureaus, import_institutions

IMPORTERS = {BUREAUS: import_bureaus, INSTITUTIONS: import_institutions, CERTIFICATES: import_certificates}


@role_required(Role.PROVINCIAL_ADMIN)
def import_data(request):
    """Upload a reference file; show its per-row errors (nothing imported) or what it changed."""
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = IMPORTERS[form.cleaned_data["kind"]](upload, actor=request.user, name=upload.name)
    return render(request, "institutions/import.html", {"form": form, "report": report})
