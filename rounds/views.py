from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from rounds.enums import Stage
from rounds.models import Round


def get_round_for_user(user, pk: int) -> Round:
    return get_object_or_404(Round.objects.for_user(user).prefetch_related("extensions"), pk=pk)


@login_required
def round_list(request):
    return render(request, "rounds/list.html", {"rounds": Round.objects.for_user(request.user)})


@login_required
def round_detail(request, pk: int):
    rnd = get_round_for_user(request.user, pk)
    now = timezone.now()
    user = request.user
    institution = user.institution if user.institution_id else None
    bureau = user.bureau if user.bureau_id else None
    rows = []
    for stage in (Stage.FILING, Stage.BUREAU_REVIEW, Stage.PROVINCIAL_REVIEW, Stage.ADJUSTMENT):
        window = rnd.window_for(stage, institution=institution, bureau=bureau)
        rows.append({"window": window, "is_open": window.is_open(at=now), "days_left": window.days_left(at=now)})
    extensions = rnd.extensions.select_related("institution", "bureau")
    if not user.sees_everything:
        extensions = extensions.filter(institution=institution) if institution else extensions.filter(bureau=bureau)
    return render(
        request,
        "rounds/detail.html",
        {"round": rnd, "rows": rows, "extensions": extensions, "scan_passed": rnd.scan_deadline_passed(at=now)},
    )
