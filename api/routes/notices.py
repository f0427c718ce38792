"""The office's notices (DOMAIN.md §11): reading and confirming them, and for the office writing, publishing,
withdrawing, the receipts and reminders — each one call of `notices.services`, scoped by `notices.access`."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Path, Query, Router
from ninja.responses import Status

from api.common import require_role
from api.fields import Id
from api.pagination import PageIn, paged
from api.problems import field_error, problems
from api.schemas_notices import (
    ConfirmOut,
    NoticeFilters,
    NoticeIn,
    NoticeOut,
    NoticePage,
    ReceiptsOut,
    ReceiptsQuery,
    RemindedOut,
    RemindIn,
    WithdrawIn,
    notice_summary,
    receipt_out,
)
from api.serializers import ref
from institutions.models import Bureau
from notices import receipts, services
from notices.access import WRITERS, get_notice_by_id_for_user
from notices.models import Notice
from rounds.models import Round

router = Router(tags=["notices"])

OFFICE = "The provincial office (provincial admin or reviewer); other roles 403."
REFUSED = "`urn:onex:problem:step-refused` (409) when {what}."


def notice_out(notice: Notice, user) -> dict:
    reader = services.reader_of(user) if user.is_authenticated else {}
    receipt = notice.receipts.filter(**reader).select_related("confirmed_by").first() if reader else None
    to_confirm = set(Notice.objects.unconfirmed_by(user).filter(pk=notice.pk).values_list("pk", flat=True))
    return notice_summary(notice, to_confirm) | {
        "body": notice.body,
        "round": ref(notice.round) if notice.round_id else None,
        "offers_templates": notice.offers_templates,
        "withdrawn_reason": notice.withdrawn_reason,
        "attachments": [
            {"id": a.pk, "title": a.title, "file_name": a.original_name, "size": a.size}
            for a in notice.attachments.all()
        ],
        "my_receipt": receipt_out(receipt),
    }


def _fresh(user, pk: int) -> dict:
    return notice_out(get_notice_by_id_for_user(user, pk), user)


@router.get(
    "/notices",
    response={200: NoticePage, **problems(422)},
    operation_id="notices_list",
    summary="The notices meant for you, drafts first for the office",
    description="Everyone: the office sees every notice (drafts too), the others the published ones meant for them.",
)
def notices_list(request, filters: Query[NoticeFilters], page: Query[PageIn]):
    user = request.user
    to_confirm = set(Notice.objects.unconfirmed_by(user).values_list("pk", flat=True))
    queryset = Notice.objects.for_user(user)
    if filters.to_confirm:
        queryset = queryset.filter(pk__in=to_confirm)
    # Notice's own ordering: drafts first, then the newest published.
    return paged(queryset, page, lambda n: notice_summary(n, to_confirm))


@router.get(
    "/notices/{notice_id}",
    response={200: NoticeOut, **problems(404, 422)},
    operation_id="notices_read",
    summary="One notice, with your read receipt",
    description="Everyone, for a notice meant for them (the office: any); otherwise 404.",
)
def notices_read(request, notice_id: Path[Id]):
    return _fresh(request.user, notice_id)


@router.post(
    "/notices",
    response={201: NoticeOut, **problems(400, 403, 409, 422)},
    operation_id="notices_create",
    summary="Write a draft notice",
    description=f"{OFFICE} Audited. "
    + REFUSED.format(what="the audience `kind` comes without `institution_kind`, or the document number is taken"),
)
def notices_create(request, payload: NoticeIn):
    user = request.user
    require_role(user, *WRITERS)
    rnd = None
    if payload.round_id is not None and (rnd := Round.objects.filter(pk=payload.round_id).first()) is None:
        return field_error("round_id", "No such round.")
    values = payload.model_dump(exclude={"round_id"}) | {
        "round": rnd,
        "institution_kind": payload.institution_kind or "",
    }
    notice = services.create_notice(actor=user, **values)
    return Status(201, _fresh(user, notice.pk))


@router.post(
    "/notices/{notice_id}/publish",
    response={200: NoticeOut, **problems(400, 403, 404, 409, 422)},
    operation_id="notices_publish",
    summary="Publish a draft: everyone it is meant for is told",
    description=f"{OFFICE} Audited; an inbox message (and e-mail) to every person of the audience. "
    + REFUSED.format(what="the notice is published already"),
)
def notices_publish(request, notice_id: Path[Id]):
    user = request.user
    notice = get_notice_by_id_for_user(user, notice_id, write=True)
    services.publish_notice(actor=user, notice=notice, at=timezone.now())
    return _fresh(user, notice.pk)


@router.post(
    "/notices/{notice_id}/withdraw",
    response={200: NoticeOut, **problems(400, 403, 404, 409, 422)},
    operation_id="notices_withdraw",
    summary="Withdraw a published notice (撤回), with the reason its readers see",
    description=f"{OFFICE} Audited. The notice stays readable, marked withdrawn. "
    + REFUSED.format(what="the notice is a draft or withdrawn already"),
)
def notices_withdraw(request, notice_id: Path[Id], payload: WithdrawIn):
    user = request.user
    notice = get_notice_by_id_for_user(user, notice_id, write=True)
    services.withdraw_notice(actor=user, notice=notice, reason=payload.reason, at=timezone.now())
    return _fresh(user, notice.pk)


@router.post(
    "/notices/{notice_id}/confirm",
    response={200: ConfirmOut, **problems(400, 404, 409, 422)},
    operation_id="notices_confirm",
    summary="Confirm your institution or bureau has read the notice (已阅)",
    description="An institution's or a bureau's people, for a published notice meant for them that asks for "
    "receipts; a second confirmation changes nothing. Audited the first time. "
    + REFUSED.format(what="the notice asks no confirmation from you (the office, a withdrawn notice…)"),
)
def notices_confirm(request, notice_id: Path[Id]):
    user = request.user
    notice = get_notice_by_id_for_user(user, notice_id)
    receipt, created = services.confirm_read(user=user, notice=notice, at=timezone.now())
    return {"receipt": receipt_out(receipt), "created": created}


@router.get(
    "/notices/{notice_id}/receipts",
    response={200: ReceiptsOut, **problems(403, 404, 422)},
    operation_id="notices_receipts",
    summary="Who has confirmed the notice and who has not, by bureau",
    description="The province (admin, reviewers, observer); other roles 403. Counts per bureau always; the "
    f"readers themselves for `bureau_id`, else for every bureau up to {receipts.LIST_ALL_READERS} readers.",
)
def notices_receipts(request, notice_id: Path[Id], query: Query[ReceiptsQuery]):
    user = request.user
    notice = get_notice_by_id_for_user(user, notice_id)
    if not user.sees_everything:
        raise PermissionDenied
    seen = receipts.overview(notice, query.bureau_id)
    listed = {
        group.bureau.pk: [
            {"name": r.name, "is_bureau": r.kind == "", "confirmed_at": r.confirmed_at} for r in group.readers
        ]
        for group in seen.groups
    }
    bureaus = [
        {
            "bureau": ref(c.bureau),
            "readers": c.readers,
            "confirmed": c.confirmed,
            "pending": c.pending,
            "listed": listed.get(c.bureau.pk, []),
        }
        for c in seen.counts
    ]
    return {"confirmed": seen.confirmed, "pending": seen.pending, "bureaus": bureaus}


@router.post(
    "/notices/{notice_id}/remind",
    response={200: RemindedOut, **problems(400, 403, 404, 422)},
    operation_id="notices_remind",
    summary="Remind those who have not confirmed the notice",
    description=f"{OFFICE} Audited; an inbox message (and e-mail) to the certificate pilot office of each "
    "institution and the reviewers of each bureau that has not confirmed (of `bureau_id` only, when given).",
)
def notices_remind(request, notice_id: Path[Id], payload: RemindIn | None = None):
    user = request.user
    notice = get_notice_by_id_for_user(user, notice_id, write=True)
    bureau_id = payload.bureau_id if payload else None
    bureau = get_object_or_404(Bureau, pk=bureau_id) if bureau_id is not None else None
    return {"people": services.remind_unconfirmed(actor=user, notice=notice, bureau=bureau)}
