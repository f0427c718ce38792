from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from rounds.access import get_round_for_user
from rounds.models import Extension, Round
from rounds.services import windows_for_user


@login_required
def round_list(request):
    return render(request, "rounds/list.html", {"rounds": Round.objects.for_user(request.user)})


@login_required
def round_detail(request, pk: int):
    rnd = get_round_for_user(request.user, pk)
    now = timezone.now()
    user = request.user
    rows = [
        {"window": window, "is_open": window.is_open(at=now), "days_left": window.days_left(at=now)}
        for window in windows_for_user(round=rnd, user=user)
    ]
    extensions = Extension.objects.for_user(user).filter(round=rnd).select_related("institution", "bureau")
    return render(
        request,
        "rounds/detail.html",
        {"round": rnd, "rows": rows, "extensions": extensions, "scan_passed": rnd.scan_deadline_passed(at=now)},
    )
