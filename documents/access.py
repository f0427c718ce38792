"""The one place per object kind that says who may read it: out of scope is 404, never the data."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from documents.models import Bundle, Scan
from institutions.models import Bureau
from rounds.models import Round


def get_scan_for_user(user, pk: int) -> Scan:
    return get_object_or_404(Scan.objects.for_user(user).select_related("plan__institution", "bureau"), pk=pk)


def get_bundle_for_user(user, pk: int) -> Bundle:
    return get_object_or_404(Bundle.objects.for_user(user).select_related("round"), pk=pk)


def get_round_for_user(user, pk: int) -> Round:
    return get_object_or_404(Round.objects.for_user(user), pk=pk)


def get_bureau_for_user(user, pk: int) -> Bureau:
    """A bureau's papers: its own reviewers and the province; everyone else gets 404."""
    if user.sees_everything or (user.is_bureau_reviewer and user.bureau_id == pk):
        return get_object_or_404(Bureau, pk=pk)
    raise Http404


def require_province(user) -> None:
    if not user.sees_everything:
        raise Http404
