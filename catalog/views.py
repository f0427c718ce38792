"""The catalogue for the provincial admin: restrictions, minimum headcounts and corresponding majors, without
Django's admin. Each POST view does one change through catalog.services and returns to the certificate."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.enums import Role
from catalog import services
from catalog.enums import Level
from catalog.forms import CatalogSearchForm, LevelsForm, MajorsForm, RestrictionForm
from catalog.models import Certificate
from core.models import ProvinceSettings
from core.refusals import tell

ADMIN = Role.PROVINCIAL_ADMIN


@role_required(ADMIN)
def certificate_list(request):
    form = CatalogSearchForm(request.GET)
    certificates = Certificate.objects.select_related("awarding_body").prefetch_related("levels")
    if form.is_valid():
        certificates = certificates.search(form.cleaned_data["q"])
        if form.cleaned_data["restricted"]:
            certificates = certificates.filter(restricted=True)
    page = Paginator(certificates.order_by("name"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "catalog/list.html", context)


def _certificate(certificate_id: int) -> Certificate:
    return get_object_or_404(Certificate.objects.select_related("awarding_body"), pk=certificate_id)


def _levels_form(certificate: Certificate, data=None) -> LevelsForm:
    levels = sorted(certificate.levels.all(), key=lambda level: Level.values.index(level.level))
    return LevelsForm(data, levels=levels, default=ProvinceSettings.current().default_min_headcount)


def _page(request, certificate: Certificate, **forms):
    context = {
        "certificate": certificate,
        "restriction_form": RestrictionForm(certificate=certificate),
        "levels_form": _levels_form(certificate),
        "majors_form": MajorsForm(certificate=certificate),
        "default_min": ProvinceSettings.current().default_min_headcount,
    } | forms
    return render(request, "catalog/certificate.html", context, status=400 if forms else 200)


@role_required(ADMIN)
def certificate_detail(request, certificate_id: int):
    return _page(request, _certificate(certificate_id))


@require_POST
@role_required(ADMIN)
def certificate_restriction(request, certificate_id: int):
    certificate = _certificate(certificate_id)
    form = RestrictionForm(request.POST, certificate=certificate)
    if not form.is_valid():
        return _page(request, certificate, restriction_form=form)
    data = form.cleaned_data
    try:
        services.set_restriction(
            actor=request.user, certificate=certificate, restricted=data["restricted"], reason=data["reason"]
        )
        messages.success(request, _("Restriction of %(certificate)s saved.") % {"certificate": certificate})
    except services.CatalogError as error:
        tell(request, error)
    return redirect("catalog_certificate", certificate_id=certificate.pk)


@require_POST
@role_required(ADMIN)
def certificate_levels(request, certificate_id: int):
    certificate = _certificate(certificate_id)
    form = _levels_form(certificate, request.POST)
    if not form.is_valid():
        return _page(request, certificate, levels_form=form)
    try:
        with transaction.atomic():  # the form's levels are saved together or not at all
            for level, minimum in form.changes():
                services.set_min_headcount(actor=request.user, level=level, min_headcount=minimum)
        messages.success(request, _("Minimum headcounts of %(certificate)s saved.") % {"certificate": certificate})
    except services.CatalogError as error:
        tell(request, error)
    return redirect("catalog_certificate", certificate_id=certificate.pk)


@require_POST
@role_required(ADMIN)
def certificate_majors(request, certificate_id: int):
    certificate = _certificate(certificate_id)
    form = MajorsForm(request.POST, certificate=certificate)
    if not form.is_valid():
        return _page(request, certificate, majors_form=form)
    try:
        services.set_majors(actor=request.user, certificate=certificate, majors=form.cleaned_data["majors"])
        messages.success(request, _("Corresponding majors of %(certificate)s saved.") % {"certificate": certificate})
    except services.CatalogError as error:
        tell(request, error)
    return redirect("catalog_certificate", certificate_id=certificate.pk)
