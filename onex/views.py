from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from onex.todos import todos_for
from rounds.services import calendar_entries


@require_GET
@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_required
def home(request):
    now = timezone.now()
    user = request.user
    return render(
        request,
        "home.html",
        {
            "entries": calendar_entries(user=user, at=now),
            "todos": todos_for(user, at=now),
            "now": now,
        },
    )
