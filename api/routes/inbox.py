"""The in-app inbox: everyone's own messages, and marking them read — `notifications.services`, scoped by
`Notification.objects.for_user`."""

from __future__ import annotations

from datetime import datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Path, Query, Router, Schema
from pydantic import Field

from api.fields import Id
from api.pagination import PageIn, PageOut, paged
from api.problems import problems
from notifications import services
from notifications.models import Notification

router = Router(tags=["inbox"])

OWN = "Everyone, for their own inbox; another person's message answers 404."


class MessageOut(Schema):
    id: int
    template: str = Field(description="The message's template name, e.g. `plan_returned`.")
    subject: str
    body: str
    url: str = Field(description="The page the message is about (a path on the site), or empty.")
    created_at: datetime
    read_at: datetime | None


class MessagePage(PageOut):
    items: list[MessageOut]
    unread: int = Field(description="How many of your messages are unread, whatever the filter.")


class InboxFilters(Schema):
    unread: bool = Field(False, description="Only the unread messages.")


class MarkedOut(Schema):
    marked: int = Field(description="How many messages were marked read now.")


def message_out(row: Notification) -> dict:
    return {
        "id": row.pk,
        "template": row.name,
        "subject": row.subject,
        "body": row.body,
        "url": row.url,
        "created_at": row.created_at,
        "read_at": row.read_at,
    }


@router.get(
    "/inbox",
    response={200: MessagePage, **problems(422)},
    operation_id="inbox_list",
    summary="Your messages, newest first",
    description=OWN,
)
def inbox_list(request, filters: Query[InboxFilters], page: Query[PageIn]):
    mine = Notification.objects.for_user(request.user)
    queryset = mine.unread() if filters.unread else mine
    answer = paged(queryset.order_by("-created_at", "-id"), page, message_out)
    return answer | {"unread": mine.unread().count()}


@router.post(
    "/inbox/{message_id}/read",
    response={200: MessageOut, **problems(400, 404, 422)},
    operation_id="inbox_mark_read",
    summary="Mark one message read",
    description=f"{OWN} Marking a read message again changes nothing.",
)
def inbox_mark_read(request, message_id: Path[Id]):
    row = get_object_or_404(Notification.objects.for_user(request.user), pk=message_id)
    return message_out(services.mark_read(user=request.user, notification=row, at=timezone.now()))


@router.post(
    "/inbox/read-all",
    response={200: MarkedOut, **problems(400)},
    operation_id="inbox_mark_all_read",
    summary="Mark all your messages read",
    description=OWN,
)
def inbox_mark_all_read(request):
    return {"marked": services.mark_all_read(user=request.user, at=timezone.now())}
