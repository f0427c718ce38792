from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.enums import Role
from audit.models import AuditEvent
from institutions.access import get_institution_for_user
from institutions.forms import ContactsForm, ImportForm, RegistrationForm
from institutions.reference_imports import IMPORTERS
from institutions.services import can_keep_contacts, can_record_registration, record_contacts, record_registration


@role_required(Role.PROVINCIAL_ADMIN)
def import_data(request):
    """Upload a reference file; show its per-row errors (nothing imported) or what it changed."""
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = IMPORTERS[form.cleaned_data["kind"]](upload, actor=request.user, name=upload.name)
    return render(request, "institutions/import.html", {"form": form, "report": report})


@login_required
def institution_detail(request, pk: int):
    """The institution's page: who it is, and its national platform registration (R8), recorded here."""
    institution = get_institution_for_user(request.user, pk)
    can_record = can_record_registration(request.user, institution)
    form = RegistrationForm(request.POST or None, initial={"platform_account": institution.platform_account})
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        if form.is_valid():
            record_registration(
                actor=request.user, institution=institution, account=form.cleaned_data["platform_account"]
            )
            messages.success(request, _("The national platform registration is recorded."))
            return redirect("institution_detail", pk=institution.pk)
    history = AuditEvent.objects.for_object(institution).filter(action="institution.registration")[:20]
    contacts = None
    if can_keep_contacts(request.user, institution):
        contacts = ContactsForm(
            initial={"contact_name": institution.contact_name, "contact_phone": institution.contact_phone}
        )
    return render(
        request,
        "institutions/detail.html",
        {"institution": institution, "form": form if can_record else None, "history": history, "contacts": contacts},
    )


@login_required
@require_POST
def institution_contacts(request, pk: int):
    """The institution's office keeps its contacts (联系人, 电话) printed on its attachments."""
    institution = get_institution_for_user(request.user, pk)
    if not can_keep_contacts(request.user, institution):
        raise PermissionDenied
    form = ContactsForm(request.POST)
    if not form.is_valid():
        return render(request, "institutions/detail.html", {"institution": institution, "contacts": form}, status=400)
    record_contacts(
        actor=request.user,
        institution=institution,
        name=form.cleaned_data["contact_name"],
        phone=form.cleaned_data["contact_phone"],
    )
    messages.success(request, _("The contacts are saved; the attachments print them from now on."))
    return redirect("institution_detail", pk=institution.pk)


@login_required
def my_institution(request):
    if not request.user.institution_id:
        raise PermissionDenied
    return redirect("institution_detail", pk=request.user.institution_id)
