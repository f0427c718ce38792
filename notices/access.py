"""Which notice a user may read or change: out of scope is 404, the wrong role is 403."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.enums import Role
from notices.models import Notice

# The provincial office writes notices; the observer (department leadership) only reads them.
WRITERS = frozenset({Role.PROVINCIAL_ADMIN, Role.PROVINCIAL_REVIEWER})


def can_write(user) -> bool:
    return user.is_authenticated and user.role in WRITERS


def get_notice_by_id_for_user(user, pk: int, *, write: bool = False) -> Notice:
    """Notice `pk` if `user` may read it (anonymous: public ones), else 404; write=True needs the office (403)."""
    notice = get_object_or_404(Notice.objects.for_user(user).select_related("round"), pk=pk)
    if write and not can_write(user):
        raise PermissionDenied
    return notice


def get_notice_for_user(user, year: int, pk: int, *, write: bool = False) -> Notice:
    """Notice `pk` at its address under `year` (see `get_notice_by_id_for_user`); another year is 404."""
    notice = get_notice_by_id_for_user(user, pk, write=write)
    if notice.year != year:
        raise Http404
    return notice
