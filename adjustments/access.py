"""The one place that says which adjustment request a user may read or change (404 outside scope)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from adjustments.models import AdjustmentRequest


def get_request_for_user(user, pk: int, *, write: bool = False) -> AdjustmentRequest:
    """The request `pk` if `user` may see it, else 404; with write=True only its institution's users, else 403."""
    request = get_object_or_404(
        AdjustmentRequest.objects.for_user(user).select_related(
            "plan__institution__bureau",
            "plan__round",
            "created_by",
            "office_head_signed_by",
            "leader_signed_by",
            "bureau_forwarded_by",
            "decided_by",
        ),
        pk=pk,
    )
    if write and request.plan.institution_id != user.institution_id:
        raise PermissionDenied
    return request
