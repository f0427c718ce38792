"""Which round and which extension a user may read: rounds are public within the platform, an extension is seen by
the province and by the institution or bureau it was granted to (404 otherwise)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from rounds.models import Extension, Round


def get_round_for_user(user, pk: int) -> Round:
    return get_object_or_404(Round.objects.for_user(user).prefetch_related("extensions"), pk=pk)


def get_extension_for_user(user, round: Round, pk: int) -> Extension:
    return get_object_or_404(Extension.objects.for_user(user).filter(round=round), pk=pk)
