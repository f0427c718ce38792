from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts import services
from accounts.access import role_required
from accounts.enums import Role
from accounts.forms import UserCreateForm
from accounts.models import User


@role_required(Role.PROVINCIAL_ADMIN)
def user_list(request):
    users = User.objects.for_user(request.user).select_related("institution", "bureau")
    return render(request, "accounts/user_list.html", {"users": users})


@role_required(Role.PROVINCIAL_ADMIN)
def user_create(request):
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.create_user(actor=request.user, form=form)
        messages.success(request, _("User %(name)s created.") % {"name": user.username})
        return redirect("user_list")
    return render(request, "accounts/user_form.html", {"form": form})
