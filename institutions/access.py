"""Which institution a user may see: those of `Institution.objects.for_user` (404 otherwise)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from institutions.models import Institution


def get_institution_for_user(user, pk: int) -> Institution:
    return get_object_or_404(Institution.objects.for_user(user).select_related("bureau"), pk=pk)
