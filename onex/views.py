from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import Error, connection
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
    """200 when the database answers, else 503 (never 500): a load balancer stops sending traffic meanwhile.

    Nothing is cached between calls: with CONN_HEALTH_CHECKS, a connection lost since the last request is
    replaced, so the process recovers by itself when the database is back.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Error:  # DatabaseError and InterfaceError alike (a connection closed under us)
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
