from django.shortcuts import render

from accounts.access import role_required
from accounts.enums import Role


@role_required(Role.PROVINCIAL_ADMIN)
def import_data(request):
    return render(request, "institutions/import.html", {})
