"""The tokens page (any signed-in user, own tokens only) and the API's answer for unknown paths."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from api.forms import TokenForm
from api.models import ApiToken
from api.problems import problem
from api.services import TokenError, create_token, revoke_token


@never_cache
@login_required
def token_list(request):
    """List the user's tokens; POST creates one and shows its secret on this response only."""
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = create_token(
                user=request.user, name=form.cleaned_data["name"], at=timezone.now(), expires_at=form.expires_at()
            )
        except TokenError as exc:
            form.add_error(None, str(exc))
        else:
            created = {"token": token, "raw": raw}
            form = TokenForm()
    tokens = ApiToken.objects.for_user(request.user)
    return render(
        request, "api/tokens.html", {"form": form, "tokens": tokens, "created": created, "now": timezone.now()}
    )


@require_POST
@login_required
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken.objects.for_user(request.user), pk=pk)
    revoke_token(user=request.user, token=token, at=timezone.now())
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("api_tokens")


def not_found(request, rest: str = ""):
    """Paths under /api/v1/ that name no operation: a problem, like every other API error."""
    return problem(404, detail=_("No such API path."))
