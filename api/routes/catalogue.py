"""The catalogue (DOMAIN.md §2): awarding bodies, certificates, their levels and minimum headcounts (R2), restriction
(R5) and majors (R6) — read by everyone, kept by the provincial admin through `catalog.services`."""

from __future__ import annotations

from django.db.models import Count
from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from accounts.enums import Role
from api.common import require_role
from api.fields import MAX_HEADCOUNT, Id, example, line, required_line, text
from api.pagination import PageIn, PageOut, paged
from api.problems import field_error, problems
from api.routes.reference import CertificateOut, CertificatePage, CertificateQuery, certificate_out
from catalog import services
from catalog.enums import Level
from catalog.models import AwardingBody, Certificate, Major

router = Router(tags=["catalogue"])

ADMIN_ONLY = "Provincial admin only (any other role: 403)."
REFUSED = "`urn:onex:problem:step-refused` (409) when {what}."

MinHeadcount = Field(None, ge=1, le=MAX_HEADCOUNT, description="null: the province's default minimum (R2).")


class AwardingBodyOut(Schema):
    id: int
    name: str
    certificates: int


class AwardingBodyPage(PageOut):
    items: list[AwardingBodyOut]


class AwardingBodyIn(Schema):
    model_config = example({"name": "北京中物联物流采购培训中心"})

    name: required_line(200)  # type: ignore[valid-type]


class AwardingBodyQuery(Schema):
    q: line(50) = Field("", description="Part of the name.")  # type: ignore[valid-type]


class LevelIn(Schema):
    level: Level
    min_headcount: int | None = MinHeadcount


class CertificateIn(Schema):
    model_config = example(
        {"name": "物流管理职业技能等级证书", "batch": 1, "levels": [{"level": "junior", "min_headcount": 20}]}
    )

    name: required_line(200)  # type: ignore[valid-type]
    batch: int | None = Field(None, ge=1, le=4, description="The catalogue batch (1–4).")
    awarding_body_id: Id | None = None
    levels: list[LevelIn] = Field(min_length=1, max_length=3)


class CertificateChangeIn(Schema):
    """Only the fields sent change; `awarding_body_id` null removes the awarding body."""

    model_config = example({"batch": 2})

    name: required_line(200) | None = None  # type: ignore[valid-type]
    batch: int | None = Field(None, ge=1, le=4)
    awarding_body_id: Id | None = None


class RestrictionIn(Schema):
    model_config = example({"restricted": True, "reason": "证书暂停"})

    restricted: bool
    reason: text(200) = Field("", description="Shown to institutions; needed when restricting.")  # type: ignore[valid-type]


class MinimumIn(Schema):
    model_config = example({"min_headcount": 20})

    min_headcount: int | None = MinHeadcount


class MajorIn(Schema):
    model_config = example({"name": "现代物流管理", "code": "530802"})

    name: required_line(100)  # type: ignore[valid-type]
    code: line(20) = ""  # type: ignore[valid-type]


class MajorsIn(Schema):
    model_config = example({"major_ids": [5, 8]})

    major_ids: list[Id] = Field(max_length=200)


class MajorEntryOut(Schema):
    id: int
    name: str
    code: str


class MajorPage(PageOut):
    items: list[MajorEntryOut]


def _major_out(major: Major) -> dict:
    return {"id": major.pk, "name": major.name, "code": major.code}


def _certificate(pk: int) -> Certificate:
    queryset = Certificate.objects.select_related("awarding_body").prefetch_related("levels", "majors")
    return get_object_or_404(queryset, pk=pk)


def _body(pk: int | None):
    """(the awarding body or None, a 422 answer when `pk` names none)."""
    if pk is None:
        return None, None
    found = AwardingBody.objects.filter(pk=pk).first()
    return found, (None if found else field_error("awarding_body_id", "No such awarding body."))


def _body_out(body: AwardingBody) -> dict:
    return {
        "id": body.pk,
        "name": body.name,
        "certificates": getattr(body, "certificate_count", 0),
    }  # annotated by the list


@router.get(
    "/awarding-bodies",
    response={200: AwardingBodyPage, **problems(422)},
    operation_id="awarding_bodies_list",
    summary="The awarding bodies (评价组织)",
    description="Everyone.",
)
def awarding_bodies_list(request, query: Query[AwardingBodyQuery], page: Query[PageIn]):
    queryset = AwardingBody.objects.annotate(certificate_count=Count("certificates"))
    if query.q:
        queryset = queryset.filter(name__icontains=query.q)
    return paged(queryset.order_by("name", "pk"), page, _body_out)


@router.post(
    "/awarding-bodies",
    response={201: AwardingBodyOut, **problems(400, 403, 409, 422)},
    operation_id="awarding_bodies_create",
    summary="Add an awarding body",
    description=f"{ADMIN_ONLY} Audited. " + REFUSED.format(what="one has the name already"),
)
def awarding_bodies_create(request, payload: AwardingBodyIn):
    require_role(request.user, Role.PROVINCIAL_ADMIN)
    body = services.create_awarding_body(actor=request.user, name=payload.name)
    return Status(201, {"id": body.pk, "name": body.name, "certificates": 0})


@router.get(
    "/certificates",
    response={200: CertificatePage, **problems(422)},
    operation_id="certificates_list",
    summary="Search the catalogue",
    description="Everyone.",
)
def certificates_list(request, filters: Query[CertificateQuery], page: Query[PageIn]):
    queryset = (
        Certificate.objects.search(filters.q)
        .select_related("awarding_body")
        .prefetch_related("levels", "majors")
        .order_by("name", "pk")
    )
    return paged(queryset, page, certificate_out)


@router.get(
    "/certificates/{certificate_id}",
    response={200: CertificateOut, **problems(404, 422)},
    operation_id="certificates_read",
    summary="One certificate, its levels, minimum headcounts, restriction and majors",
    description="Everyone.",
)
def certificates_read(request, certificate_id: Path[Id]):
    return certificate_out(_certificate(certificate_id))


@router.post(
    "/certificates",
    response={201: CertificateOut, **problems(400, 403, 409, 422)},
    operation_id="certificates_create",
    summary="Add a certificate with the levels it offers",
    description=f"{ADMIN_ONLY} Audited. " + REFUSED.format(what="one has the name already"),
)
def certificates_create(request, payload: CertificateIn):
    require_role(request.user, Role.PROVINCIAL_ADMIN)
    body, refusal = _body(payload.awarding_body_id)
    if refusal:
        return refusal
    levels = {str(item.level): item.min_headcount for item in payload.levels}
    certificate = services.create_certificate(
        actor=request.user, name=payload.name, batch=payload.batch, awarding_body=body, levels=levels
    )
    return Status(201, certificate_out(_certificate(certificate.pk)))


@router.patch(
    "/certificates/{certificate_id}",
    response={200: CertificateOut, **problems(400, 403, 404, 409, 422)},
    operation_id="certificates_update",
    summary="Rename a certificate, or change its batch or awarding body",
    description=f"{ADMIN_ONLY} Audited with before and after. "
    + REFUSED.format(what="another certificate has the name"),
)
def certificates_update(request, certificate_id: Path[Id], payload: CertificateChangeIn):
    require_role(request.user, Role.PROVINCIAL_ADMIN)
    certificate = _certificate(certificate_id)
    sent = payload.model_fields_set
    changes: dict = {name: getattr(payload, name) for name in ("name", "batch") if name in sent}
    if "awarding_body_id" in sent:
        body, refusal = _body(payload.awarding_body_id)
        if refusal:
            return refusal
        changes["awarding_body"] = body
    if changes.get("name", "") is None:
        return field_error("name", "A certificate needs a name.")
    services.update_certificate(actor=request.user, certificate=certificate, **changes)
    return certificate_out(_certificate(certificate.pk))


@router.put(
    "/certificates/{certificate_id}/restriction",
    response={200: CertificateOut, **problems(400, 403, 404, 409, 422)},
    operation_id="certificate_restriction_update",
    summary="Mark a certificate restricted (R5) with its reason, or lift the restriction",
    description=f"{ADMIN_ONLY} Audited with before and after. " + REFUSED.format(what="restricting without a reason"),
)
def certificate_restriction_update(request, certificate_id: Path[Id], payload: RestrictionIn):
    require_role(request.user, Role.PROVINCIAL_ADMIN)
    certificate = _certificate(certificate_id)
    services.set_restriction(
        actor=request.user, certificate=certificate, restricted=payload.restricted, reason=payload.reason
    )
    return certificate_out(_certificate(certificate.pk))


@router.put(
    "/certificates/{certificate_id}/levels/{level}",
    response={200: CertificateOut, **problems(400, 403, 404, 409, 422)},
    operation_id="certificate_levels_update",
    summary="Offer a level, or change its minimum headcount (R2)",
    description=f"{ADMIN_ONLY} Audited with before and after. Plans already filed are checked against a new "
    "minimum the next time their rules run.",
)
def certificate_levels_update(request, certificate_id: Path[Id], level: Path[Level], payload: MinimumIn):
    require_role(request.user, Role.PROVINCIAL_ADMIN)
    certificate = _certificate(certificate_id)
    offered = certificate.levels.filter(level=level).first()
    if offered is None:
        services.add_level(
            actor=request.user, certificate=certificate, level=level, min_headcount=payload.min_headcount
        )
    else:
        services.set_min_headcount(actor=request.user, level=offered, min_headcount=payload.min_headcount)
    return certificate_out(_certificate(certificate.pk))


@router.put(
    "/certificates/{certificate_id}/majors",
    response={200: CertificateOut, **problems(400, 403, 404, 409, 422)},
    operation_id="certificate_majors_update",
    summary="The majors the catalogue lists for a certificate (R6)",
    description=f"{ADMIN_ONLY} Replaces the list with the majors of `major_ids` (see `majors_list`, "
    "`majors_create`); audited with the majors added and removed.",
)
def certificate_majors_update(request, certificate_id: Path[Id], payload: MajorsIn):
    require_role(request.user, Role.PROVINCIAL_ADMIN)
    certificate = _certificate(certificate_id)
    majors = list(Major.objects.filter(pk__in=payload.major_ids))
    if len(majors) != len(set(payload.major_ids)):
        return field_error("major_ids", "No such major.")
    services.set_majors(actor=request.user, certificate=certificate, majors=majors)
    return certificate_out(_certificate(certificate.pk))


@router.get(
    "/majors",
    response={200: MajorPage, **problems(422)},
    operation_id="majors_list",
    summary="The majors (考核专业) the catalogue knows",
    description="Everyone.",
)
def majors_list(request, query: Query[AwardingBodyQuery], page: Query[PageIn]):
    queryset = Major.objects.all()
    if query.q:
        queryset = queryset.filter(name__icontains=query.q) | queryset.filter(code__icontains=query.q)
    return paged(queryset.order_by("name", "code", "pk"), page, _major_out)


@router.post(
    "/majors",
    response={201: MajorEntryOut, **problems(400, 403, 409, 422)},
    operation_id="majors_create",
    summary="Add a major",
    description=f"{ADMIN_ONLY} Audited. " + REFUSED.format(what="the name and code exist already"),
)
def majors_create(request, payload: MajorIn):
    require_role(request.user, Role.PROVINCIAL_ADMIN)
    major = services.create_major(actor=request.user, name=payload.name, code=payload.code)
    return Status(201, _major_out(major))
