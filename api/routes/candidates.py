"""A line's candidates, masked, and the audited reveal of one candidate's name and ID number — the page's scope
helpers, services and per-user limits (RATE_LIMIT_CANDIDATES, RATE_LIMIT_REVEAL) on the same counters."""

from __future__ import annotations

from datetime import date
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from ninja import Path, Query, Router, Schema
from pydantic import Field

from api.common import role_refusal
from api.fields import Id, example, required_text
from api.limits import spend
from api.pagination import PageOut, paged
from api.problems import problems
from monitoring import services
from monitoring.access import CANDIDATES_PER_PAGE, candidates_of, get_candidate_for_user, get_line_for_user
from monitoring.enums import Result
from monitoring.models import Candidate

router = Router(tags=["candidates"])


class CandidateOut(Schema):
    id: int
    line_id: int
    year: int
    name_masked: str = Field(description="The name with all but its first character masked.")
    id_masked: str = Field(description="The ID number with its middle digits masked.")
    exam_date: date | None
    result: Literal[tuple(Result.values)]  # type: ignore[valid-type]
    certificate_number: str


def candidate_out(candidate: Candidate) -> dict:
    return {
        "id": candidate.pk,
        "line_id": candidate.line_id,
        "year": candidate.year,
        "name_masked": candidate.name_masked,
        "id_masked": candidate.id_masked,
        "exam_date": candidate.exam_date,
        "result": candidate.result,
        "certificate_number": candidate.certificate_number,
    }


class CandidatePage(PageOut):
    items: list[CandidateOut]


class CandidatePageIn(Schema):
    # No larger pages than the page's: the limit counts pages, so a page holds as many people as on the page.
    limit: int = Field(CANDIDATES_PER_PAGE, ge=1, le=CANDIDATES_PER_PAGE, description="At most 50 candidates.")
    offset: int = Field(0, ge=0, le=10_000_000)


@router.get(
    "/lines/{line_id}/candidates",
    response={200: CandidatePage, **problems(404, 422)},
    operation_id="candidates_list",
    summary="A published line's candidates, names and ID numbers masked",
    description="Anyone who sees the line's institution (its people, its bureau, the province), for an approved "
    "line of a published plan; 404 otherwise. Each page read is audited (`monitoring.candidates.view`: who, "
    "which line, which page) and counts against the same per-user limit as the candidates page "
    "(RATE_LIMIT_CANDIDATES): 429 with Retry-After past it.",
)
def candidates_list(request, line_id: Path[Id], page: Query[CandidatePageIn]):
    spend(request, "candidates")
    line = get_line_for_user(request.user, line_id)
    answer = paged(candidates_of(line), page, candidate_out)  # type: ignore[arg-type]
    number = page.offset // page.limit + 1
    services.record_candidates_viewed(actor=request.user, line=line, page=number, shown=len(answer["items"]))
    return answer


class RevealIn(Schema):
    model_config = example({"reason": "考生申诉核对身份"})

    reason: required_text(500) = Field(  # type: ignore[valid-type]
        description="Why the ID number is needed (a candidate's appeal…); kept in the audit trail.",
        examples=["考生申诉核对身份"],
    )


class RevealOut(Schema):
    candidate_id: int
    name: str
    id_number: str


@router.post(
    "/candidates/{candidate_id}/reveal",
    response={200: RevealOut, **problems(400, 403, 404, 409, 422)},
    operation_id="candidates_reveal",
    summary="Read one candidate's full name and ID number, with a reason (the provincial admin)",
    description="The provincial admin only (403 for every other role). The reason is required and audited "
    "(`monitoring.candidate.reveal`); a blank one is refused (422 invalid-input). Counts against the same per-user "
    "limit as the reveal page (RATE_LIMIT_REVEAL): 429 with Retry-After past it. The answer is never cached.",
)
def candidates_reveal(request, candidate_id: Path[Id], payload: RevealIn, response: HttpResponse):
    spend(request, "reveal")
    if not request.user.is_provincial_admin:
        raise PermissionDenied(role_refusal(request.user))
    candidate = get_candidate_for_user(request.user, candidate_id)
    name, number = services.reveal_id_number(actor=request.user, candidate=candidate, reason=payload.reason)
    response["Cache-Control"] = "no-store"
    return {"candidate_id": candidate.pk, "name": name, "id_number": number}
