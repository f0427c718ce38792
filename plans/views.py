from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from plans.access import get_plan_for_user
from plans.models import Plan


@login_required
def plan_list(request):
    plans = Plan.objects.for_user(request.user).select_related("institution", "round")
    return render(request, "plans/list.html", {"plans": plans})


@login_required
def plan_detail(request, pk: int):
    plan = get_plan_for_user(request.user, pk)
    return render(request, "plans/detail.html", {"plan": plan})
