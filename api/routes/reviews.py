"""The review queue with the page's filters: the same form (its default round, its bureau choices), the same
scope (reviews.queues.queue_for), the same one filter (reviews.queues.filter_queue) and the same rows."""

from __future__ import annotations

from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from api.common import require_role
from api.fields import Id, line
from api.pagination import PageIn, PageOut
from api.plan_schemas import PlanSummaryOut
from api.problems import field_error, problems
from api.schemas import Ref
from api.serializers import plan_summary, ref
from core.dates import local_today
from institutions.enums import InstitutionKind
from plans.enums import PlanStatus
from reviews import queues
from reviews.forms import QueueFilterForm
from reviews.queue_counts import queue_counts
from reviews.tasks import requeue_stale

router = Router(tags=["reviews"])
FIELDS = {"round": "round_id", "bureau": "bureau_id", "certificate": "certificate_id"}


class QueueQuery(Schema):
    round_id: Id | None = Field(None, description="One round; the current round when left out.")
    all_rounds: bool = Field(False, description="Every round instead of the current one.")
    bureau_id: Id | None = Field(None, description="The province: one bureau's institutions (bureaus see their own).")
    kind: InstitutionKind | None = None
    status: PlanStatus | None = None
    certificate_id: Id | None = Field(None, description="Plans with a line of this certificate.")
    text: line(100) = Field("", description="Part of the institution's name or code, or of a line's certificate.")  # type: ignore[valid-type]
    has_warnings: bool = Field(False, description="Only plans whose rule check found errors or warnings.")
    newest_first: bool = Field(False, description="Last submitted first (default: first submitted first).")


class QueueRowOut(PlanSummaryOut):
    bureau: Ref
    lines: int
    planned: int = Field(description="The plan's total headcount.")
    check_current: bool = Field(
        description="The stored rule check is of the plan as it stands; when not, one is queued and "
        "`errors`/`warnings` are null until it has run."
    )
    errors: int | None
    warnings: int | None


class StatusCountOut(Schema):
    status: PlanStatus
    count: int


class QueuePage(PageOut):
    counts: list[StatusCountOut] = Field(description="The filtered queue by status, before the `status` filter.")
    items: list[QueueRowOut]


def row_out(plan) -> dict:
    current = queues.check_is_current(plan)
    return {
        **plan_summary(plan),
        "bureau": ref(plan.institution.bureau),
        "lines": plan.line_count,
        "planned": plan.planned or 0,
        "check_current": current,
        "errors": plan.review_check.errors if current else None,
        "warnings": plan.review_check.warnings if current else None,
    }


def _form_data(query: QueueQuery) -> dict:
    """The query as the queue page's form reads it (no `round`: the current one; an empty one: all)."""
    data = {
        "bureau": query.bureau_id or "",
        "kind": query.kind or "",
        "status": query.status or "",
        "certificate": query.certificate_id or "",
        "text": query.text,
        "sort": "newest" if query.newest_first else "oldest",
    }
    if query.has_warnings:
        data["has_warnings"] = "on"
    if query.all_rounds or query.round_id:
        data["round"] = "" if query.all_rounds else query.round_id
    return {name: str(value) for name, value in data.items()}


@router.get(
    "/reviews/queue",
    response={200: QueuePage, **problems(403, 422)},
    operation_id="review_queue_list",
    summary="The review queue, filtered as on the queue page",
    description="Bureau reviewers (their secondary schools' submitted plans), the provincial reviewer, admin and "
    "observer (what reached the province); 403 for institution roles. By default the current round; a round, "
    "bureau or certificate that does not exist or is not the caller's to filter by answers 422.",
)
def review_queue_list(request, query: Query[QueueQuery], page: Query[PageIn]):
    user = request.user
    require_role(user, *queues.QUEUE_ROLES)
    form = QueueFilterForm(_form_data(query), user=user, today=local_today(timezone.now()))
    if not form.is_valid():
        field, messages = next(iter(form.errors.items()))
        return field_error(FIELDS.get(field, field), str(messages[0]), where="query")
    filters = form.filters()
    base = queues.queue_for(user)
    counts = queue_counts(user, base, filters)
    rows = queues.with_line_figures(queues.cut(queues.rows(base, filters), page.offset, page.offset + page.limit))
    requeue_stale(rows)
    return {
        "count": counts.get(filters.status, 0) if filters.status else sum(counts.values()),
        "limit": page.limit,
        "offset": page.offset,
        "counts": [{"status": status, "count": counts[status]} for status in PlanStatus.values if status in counts],
        "items": [row_out(plan) for plan in rows],
    }
