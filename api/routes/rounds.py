"""Rounds, their windows and extensions (DOMAIN.md §4): the calendar as it applies to the caller, and the provincial
admin's round creation, date changes and extensions — each one call of `rounds.services`, scoped by
`rounds.access`."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from ninja import Path, Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from accounts.enums import Role
from api.common import require_role
from api.fields import Id, example, required_text
from api.pagination import PageIn, PageOut, paged
from api.problems import field_error, problems
from api.schemas import Ref
from api.serializers import ref
from institutions.models import Bureau, Institution
from rounds import services
from rounds.access import get_extension_for_user, get_round_for_user
from rounds.enums import Season, Stage
from rounds.models import Extension, Round

router = Router(tags=["rounds"])

ADMIN_ONLY = "Provincial admin only (any other role: 403)."
REFUSALS = "`urn:onex:problem:step-refused` (409) when {what}; `urn:onex:problem:invalid-input` (422) for bad input."


class WindowOut(Schema):
    stage: Stage
    label: str
    start: date
    end: date
    extended_until: date | None = Field(description="Your institution's or bureau's extension, if any.")
    last_day: date = Field(description="The last day the window is open for you (inclusive, Asia/Shanghai).")
    is_open: bool
    days_left: int = Field(description="Whole days left including today; 0 once closed.")


class RoundOut(Schema):
    id: int
    year: int
    season: Season
    name: str
    windows: list[WindowOut]
    scan_deadline: date
    adjustment_end: date


class RoundPage(PageOut):
    items: list[RoundOut]


class DatesIn(Schema):
    """Any of the round's dates; a window (start, end) must not end before it starts."""

    model_config = example({"filing_end": "2027-04-09"})

    filing_start: date | None = None
    filing_end: date | None = None
    bureau_review_start: date | None = None
    bureau_review_end: date | None = None
    provincial_review_start: date | None = None
    provincial_review_end: date | None = None
    scan_deadline: date | None = None
    adjustment_end: date | None = None


class RoundIn(DatesIn):
    model_config = example({"year": 2028, "season": "spring"})

    year: int = Field(ge=2000, le=2100)
    season: Season


class ExtensionOut(Schema):
    id: int
    round: Ref
    stage: Stage
    institution: Ref | None
    bureau: Ref | None
    until: date
    reason: str
    granted_by: str
    granted_at: datetime


class ExtensionPage(PageOut):
    items: list[ExtensionOut]


class ExtensionIn(Schema):
    """One institution (`institution_id`) or one bureau (`bureau_id`), not both."""

    model_config = example({"stage": "filing", "until": "2027-04-10", "reason": "系统故障", "institution_id": 12})

    stage: Stage
    until: date
    reason: required_text(2000)  # type: ignore[valid-type]
    institution_id: Id | None = None
    bureau_id: Id | None = None


class RevokeIn(Schema):
    model_config = example({"reason": "误批"})

    reason: required_text(2000)  # type: ignore[valid-type]


def round_out(rnd: Round, user, at: datetime) -> dict:
    windows = [
        {
            "stage": stage,
            "label": window.label,
            "start": window.start,
            "end": window.end,
            "extended_until": window.extended_until,
            "last_day": window.last_day,
            "is_open": window.is_open(at=at),
            "days_left": window.days_left(at=at),
        }
        for stage, window in zip(services.ALL_STAGES, services.windows_for_user(round=rnd, user=user), strict=True)
    ]
    return {
        "id": rnd.pk,
        "year": rnd.year,
        "season": rnd.season,
        "name": str(rnd),
        "windows": windows,
        "scan_deadline": rnd.scan_deadline,
        "adjustment_end": rnd.adjustment_end,
    }


def extension_out(extension: Extension) -> dict:
    return {
        "id": extension.pk,
        "round": ref(extension.round),
        "stage": extension.stage,
        "institution": ref(extension.institution, extension.institution.name) if extension.institution else None,
        "bureau": ref(extension.bureau) if extension.bureau else None,
        "until": extension.until,
        "reason": extension.reason,
        "granted_by": str(extension.granted_by),
        "granted_at": extension.granted_at,
    }


def _dates(payload: DatesIn) -> dict[str, date]:
    return {name: day for name in services.DATE_FIELDS if (day := getattr(payload, name)) is not None}


def _fresh(user, pk: int) -> dict:
    return round_out(get_round_for_user(user, pk), user, timezone.now())


@router.get(
    "/rounds",
    response={200: RoundPage, **problems(422)},
    operation_id="rounds_list",
    summary="Filing rounds and their windows as they apply to you",
    description="Everyone. Each window is stretched by an extension granted to your institution or bureau.",
)
def rounds_list(request, page: Query[PageIn]):
    user, now = request.user, timezone.now()
    queryset = Round.objects.for_user(user).prefetch_related("extensions").order_by("-year", "-season", "pk")
    return paged(queryset, page, lambda rnd: round_out(rnd, user, now))


@router.get(
    "/rounds/{round_id}",
    response={200: RoundOut, **problems(404, 422)},
    operation_id="rounds_read",
    summary="One round, its windows as they apply to you",
    description="Everyone.",
)
def rounds_read(request, round_id: Path[Id]):
    return _fresh(request.user, round_id)


@router.post(
    "/rounds",
    response={201: RoundOut, **problems(400, 403, 409, 422)},
    operation_id="rounds_create",
    summary="Create a round with its windows",
    description=f"{ADMIN_ONLY} Dates left out take the notice's defaults for the season (DOMAIN.md §4). "
    + REFUSALS.format(what="the year and season exist already or a window would end before it starts"),
)
def rounds_create(request, payload: RoundIn):
    user = request.user
    require_role(user, Role.PROVINCIAL_ADMIN)
    rnd = services.create_round(actor=user, year=payload.year, season=payload.season, **_dates(payload))
    return Status(201, _fresh(user, rnd.pk))


@router.patch(
    "/rounds/{round_id}",
    response={200: RoundOut, **problems(400, 403, 404, 409, 422)},
    operation_id="rounds_update",
    summary="Move a round's windows and deadlines",
    description=f"{ADMIN_ONLY} Only the dates sent change; audited with the dates before and after. "
    + REFUSALS.format(what="a window would end before it starts"),
)
def rounds_update(request, round_id: Path[Id], payload: DatesIn):
    user = request.user
    rnd = get_round_for_user(user, round_id)
    require_role(user, Role.PROVINCIAL_ADMIN)
    services.change_dates(actor=user, round=rnd, **_dates(payload))
    return _fresh(user, rnd.pk)


@router.get(
    "/rounds/{round_id}/extensions",
    response={200: ExtensionPage, **problems(404, 422)},
    operation_id="round_extensions_list",
    summary="The round's extensions you may see",
    description="Everyone: the province sees all, an institution or a bureau those granted to it.",
)
def round_extensions_list(request, round_id: Path[Id], page: Query[PageIn]):
    rnd = get_round_for_user(request.user, round_id)
    queryset = Extension.objects.for_user(request.user).filter(round=rnd)
    queryset = queryset.select_related("round", "institution", "bureau", "granted_by").order_by("-granted_at", "-pk")
    return paged(queryset, page, extension_out)


def _target(model, pk: int | None, field: str):
    if pk is None:
        return None, None
    found = model.objects.filter(pk=pk).first()
    return found, (None if found else field_error(field, "No such object."))


@router.post(
    "/rounds/{round_id}/extensions",
    response={201: ExtensionOut, **problems(400, 403, 404, 409, 422)},
    operation_id="round_extensions_create",
    summary="Grant an institution or a bureau more time for one stage",
    description=f"{ADMIN_ONLY} Audited with the reason. "
    + REFUSALS.format(what="not exactly one institution or bureau is named, or the window already runs that long"),
)
def round_extensions_create(request, round_id: Path[Id], payload: ExtensionIn):
    user = request.user
    rnd = get_round_for_user(user, round_id)
    require_role(user, Role.PROVINCIAL_ADMIN)
    institution, refusal = _target(Institution, payload.institution_id, "institution_id")
    bureau, bureau_refusal = _target(Bureau, payload.bureau_id, "bureau_id")
    if refusal or bureau_refusal:
        return refusal or bureau_refusal
    extension = services.grant_extension(
        actor=user,
        round=rnd,
        stage=payload.stage,
        until=payload.until,
        reason=payload.reason,
        institution=institution,
        bureau=bureau,
    )
    return Status(201, extension_out(extension))


@router.post(
    "/rounds/{round_id}/extensions/{extension_id}/revoke",
    response={204: None, **problems(400, 403, 404, 409, 422)},
    operation_id="round_extensions_revoke",
    summary="Take an extension back, with a reason",
    description=f"{ADMIN_ONLY} Audited with the reason and what the extension granted.",
)
def round_extensions_revoke(request, round_id: Path[Id], extension_id: Path[Id], payload: RevokeIn):
    user = request.user
    extension = get_extension_for_user(user, get_round_for_user(user, round_id), extension_id)
    require_role(user, Role.PROVINCIAL_ADMIN)
    services.revoke_extension(actor=user, extension=extension, reason=payload.reason)
    return Status(204, None)
