"""The year-end close (DOMAIN.md §10, R3): the list the office reviews, the close that fixes it, and the lifting of
one institution's cap — monitoring.closing's services, the year-end page's roles."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Path, Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from accounts.enums import Role
from api.common import require_role
from api.fields import Id, example, required_line, required_text
from api.pagination import PageIn, PageOut
from api.problems import problems
from core.models import ProvinceSettings
from monitoring import services, yearend
from monitoring.access import OFFICE_ROLES, get_institution_for_user
from monitoring.models import YearEndClose
from monitoring.records import RateSource

router = Router(tags=["year-end"])

Year = Annotated[int, Field(ge=2019, le=2100)]


class CapRowOut(Schema):
    institution_id: int
    institution: str
    bureau: str
    approved: int
    examined_counted: int = Field(description="Examined, each line capped at its approved headcount.")
    computed: Decimal | None = Field(description="The completion the progress data gives, in %.")
    recorded: Decimal | None = Field(description="The rate recorded for the year before the close, in %.")
    rate: Decimal | None = Field(description="The rate the close fixes, in %.")
    has_data: bool
    source: Literal[tuple(RateSource.values)]  # type: ignore[valid-type]
    capped: bool = Field(description="R3 caps next year's plan at this year's approved headcount.")
    cap_lifted: bool
    next_planned: int = Field(description="Next year's planned headcount so far (capped institutions only).")
    over_cap: bool


def row_out(row: yearend.CapRow) -> dict:
    return {
        "institution_id": row.institution_id,
        "institution": row.institution_name,
        "bureau": row.bureau_name,
        "approved": row.figures.approved,
        "examined_counted": row.figures.toward_completion,
        "computed": row.computed,
        "recorded": row.recorded,
        "rate": row.rate,
        "has_data": row.has_data,
        "source": row.source,
        "capped": row.capped,
        "cap_lifted": row.cap_lifted,
        "next_planned": row.next_planned,
        "over_cap": row.over_cap,
    }


class CloseOut(Schema):
    id: int
    year: int
    version: int
    threshold: Decimal
    institutions: int
    capped: int
    confirmed_at: datetime
    reopened_at: datetime | None
    reopen_reason: str


def close_out(closed: YearEndClose) -> dict:
    fields = ("year", "version", "threshold", "institutions", "capped", "confirmed_at", "reopened_at", "reopen_reason")
    return {"id": closed.pk, **{name: getattr(closed, name) for name in fields}}


class YearEndOut(PageOut):
    year: int
    threshold: Decimal = Field(description="Below this completion (in %) R3 caps next year's plan.")
    reviewed: str = Field(description="The fingerprint of every row: send it back to close exactly this list.")
    closed: CloseOut | None = Field(description="The close in force; null while the year is open.")
    versions: list[CloseOut]
    items: list[CapRowOut]


@router.get(
    "/year-end/{year}",
    response={200: YearEndOut, **problems(403, 422)},
    operation_id="year_end_get",
    summary="What closing the year would fix: every institution's rate and what R3 then does",
    description="The provincial reviewer, the provincial admin and the observer (403 for others). While the year "
    "is open, its figures are brought up to date first, as on the page. The rows are paged; `reviewed` covers "
    "all of them.",
)
def year_end_get(request, year: Path[Year], page: Query[PageIn]):
    require_role(request.user, *OFFICE_ROLES, Role.OBSERVER)
    rows = services.prepare_review(year=year)
    versions = list(YearEndClose.objects.filter(year=year))
    return {
        "year": year,
        "threshold": ProvinceSettings.current().cap_completion_threshold,
        "reviewed": yearend.fingerprint(rows),
        "closed": next((close_out(v) for v in versions if v.reopened_at is None), None),
        "versions": [close_out(v) for v in versions],
        "count": len(rows),
        "limit": page.limit,
        "offset": page.offset,
        "items": [row_out(row) for row in rows[page.offset : page.offset + page.limit]],
    }


class CloseIn(Schema):
    model_config = example(
        {"reviewed": "5d9fba2ab9f125839ba680d2617334a1fd35cee3a40a56be7e8d3587900e844c", "use_computed": [41, 57]}
    )

    reviewed: required_line(64) = Field(description="`reviewed` from year_end_get.")  # type: ignore[valid-type]
    use_computed: list[Id] = Field(
        default_factory=list,
        max_length=100_000,
        description="Institutions without progress data that get the computed rate instead of keeping theirs.",
    )


@router.post(
    "/year-end/{year}/close",
    response={200: CloseOut, 201: CloseOut, **problems(400, 403, 409, 422)},
    operation_id="year_end_close",
    summary="Close the year: fix every institution's completion rate (what R3 reads next year)",
    description="The provincial reviewer or admin (403 for others). 201 with the new close; 200 with the close "
    "the same person made already (a retried request). 409 step-refused when the year is closed already or the "
    "figures changed since `reviewed` (review again).",
)
def year_end_close(request, year: Path[Year], payload: CloseIn):
    require_role(request.user, *OFFICE_ROLES)
    closed, now = services.close_year_once(
        actor=request.user, year=year, reviewed=payload.reviewed, use_computed=set(payload.use_computed)
    )
    return Status(201 if now else 200, close_out(closed))


class LiftIn(Schema):
    model_config = example({"reason": "新校区投入使用，实训条件扩充"})

    reason: required_text(500) = Field(  # type: ignore[valid-type]
        description="Why the institution's plan may exceed the cap (原则上).", examples=["新校区投入使用，实训条件扩充"]
    )


class CapOut(Schema):
    institution_id: int
    year: int
    cap_lifted: bool
    cap_lift_reason: str


@router.post(
    "/year-end/{year}/caps/{institution_id}/lift",
    response={200: CapOut, **problems(400, 403, 404, 409, 422)},
    operation_id="caps_lift",
    summary="Lift the cap R3 puts on an institution's next-year plan, with a reason (the provincial admin)",
    description="The provincial admin only (403 for others); audited with the reason. 409 step-refused when the "
    "cap is lifted already.",
)
def caps_lift(request, year: Path[Year], institution_id: Path[Id], payload: LiftIn):
    require_role(request.user, Role.PROVINCIAL_ADMIN)
    institution = get_institution_for_user(request.user, institution_id)
    lifted = services.lift_cap(actor=request.user, institution=institution, year=year, reason=payload.reason)
    return {
        "institution_id": institution.pk,
        "year": year,
        "cap_lifted": lifted.cap_lifted,
        "cap_lift_reason": lifted.cap_lift_reason,
    }
