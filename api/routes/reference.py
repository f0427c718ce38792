"""Who am I, the catalogue and the institutions in my scope: their schemas, how each is written out,
and the routes."""

from __future__ import annotations

from typing import Literal

from ninja import Query, Router, Schema
from pydantic import Field

from accounts.enums import Role
from api.fields import line
from api.pagination import PageIn, PageOut, paged
from api.problems import problems
from api.schemas import InstitutionRef, Ref
from api.serializers import institution_ref, ref
from catalog.enums import Level
from catalog.models import Certificate
from institutions.enums import InstitutionKind
from institutions.models import Institution

router = Router()


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    role: Literal[tuple(Role.values)]  # type: ignore[valid-type]
    role_label: str
    institution: InstitutionRef | None
    bureau: Ref | None
    scope: str


class LevelOut(Schema):
    level: Literal[tuple(Level.values)]  # type: ignore[valid-type]
    min_headcount: int | None = Field(description="null: the province's default minimum applies.")


class MajorOut(Schema):
    name: str
    code: str


class CertificateOut(Schema):
    id: int
    name: str
    short_name: str
    batch: int | None
    awarding_body: str | None
    restricted: bool
    restricted_reason: str
    levels: list[LevelOut]
    majors: list[MajorOut]


class InstitutionOut(Schema):
    id: int
    name: str
    kind: InstitutionKind
    bureau: Ref
    ministry_code: str | None
    registered_on_platform: bool


def me_out(user) -> dict:
    return {
        "id": user.pk,
        "username": user.get_username(),
        "full_name": user.full_name,
        "role": user.role,
        "role_label": str(user.get_role_display()),
        "institution": institution_ref(user.institution) if user.institution_id else None,
        "bureau": ref(user.bureau) if user.bureau_id else None,
        "scope": str(user.scope_label),
    }


def certificate_out(cert: Certificate) -> dict:
    return {
        "id": cert.pk,
        "name": cert.name,
        "short_name": cert.short_name,
        "batch": cert.batch,
        "awarding_body": cert.awarding_body.name if cert.awarding_body else None,
        "restricted": cert.restricted,
        "restricted_reason": cert.restricted_reason,
        "levels": [
            {"level": cl.level, "min_headcount": cl.min_headcount}
            for cl in sorted(cert.levels.all(), key=lambda cl: Level.values.index(cl.level))
        ],
        "majors": [{"name": m.name, "code": m.code} for m in cert.majors.all()],
    }


def institution_out(inst: Institution) -> dict:
    return {
        "id": inst.pk,
        "name": inst.name,
        "kind": inst.kind,
        "bureau": ref(inst.bureau),
        "ministry_code": inst.ministry_code,
        "registered_on_platform": inst.is_registered_on_platform,
    }


class CertificatePage(PageOut):
    items: list[CertificateOut]


class InstitutionPage(PageOut):
    items: list[InstitutionOut]


class CertificateQuery(Schema):
    q: line(50) = Field("", description="Name, awarding body, or pinyin initials (wlgl → 物流管理).")  # type: ignore[valid-type]


@router.get(
    "/me",
    operation_id="me_get",
    tags=["me"],
    response={200: MeOut, **problems()},
    summary="The token's owner, role and scope",
)
def me(request):
    """Anyone with a token. Who the token acts as: role, institution or bureau, and the scope every other
    operation applies."""
    return me_out(request.user)


@router.get(
    "/institutions",
    operation_id="institutions_list",
    tags=["institutions"],
    response={200: InstitutionPage, **problems(422)},
    summary="Institutions in my scope",
)
def institutions(request, page: Query[PageIn]):
    """Anyone with a token. The institutions in the caller's scope: the province all, a bureau the secondary
    schools of its area, an institution itself."""
    queryset = Institution.objects.for_user(request.user).select_related("bureau").order_by("bureau_id", "name", "pk")
    return paged(queryset, page, institution_out)
