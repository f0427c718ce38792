"""Who am I, the calendar, the catalogue and the institutions in my scope."""

from __future__ import annotations

from ninja import Query, Router, Schema
from pydantic import Field

from api import serializers
from api.fields import line
from api.pagination import PageIn, PageOut, paged
from api.problems import problems
from api.schemas import CertificateOut, InstitutionOut, MeOut, RoundOut
from catalog.models import Certificate
from institutions.models import Institution
from rounds.models import Round

router = Router(tags=["reference"])


class RoundPage(PageOut):
    items: list[RoundOut]


class CertificatePage(PageOut):
    items: list[CertificateOut]


class InstitutionPage(PageOut):
    items: list[InstitutionOut]


class CertificateQuery(Schema):
    q: line(50) = Field("", description="Name, awarding body, or pinyin initials (wlgl → 物流管理).")  # type: ignore[valid-type]


@router.get("/me", response={200: MeOut, **problems()}, summary="The token's owner, role and scope")
def me(request):
    return serializers.me(request.user)


@router.get("/rounds", response={200: RoundPage, **problems(422)}, summary="Filing rounds and their windows")
def rounds(request, page: Query[PageIn]):
    queryset = Round.objects.for_user(request.user).prefetch_related("extensions").order_by("-year", "-season", "pk")
    return paged(queryset, page, serializers.round_)


@router.get("/certificates", response={200: CertificatePage, **problems(422)}, summary="Search the catalogue")
def certificates(request, filters: Query[CertificateQuery], page: Query[PageIn]):
    queryset = (
        Certificate.objects.search(filters.q)
        .select_related("awarding_body")
        .prefetch_related("levels", "majors")
        .order_by("name", "pk")
    )
    return paged(queryset, page, serializers.certificate)


@router.get("/institutions", response={200: InstitutionPage, **problems(422)}, summary="Institutions in my scope")
def institutions(request, page: Query[PageIn]):
    queryset = Institution.objects.for_user(request.user).select_related("bureau").order_by("bureau_id", "name", "pk")
    return paged(queryset, page, serializers.institution)
