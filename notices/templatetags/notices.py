from django import template

from notices.models import Notice
from notices.workflow import allowed_steps

register = template.Library()

HOME_LIMIT = 10


@register.inclusion_tag("notices/_unread.html", takes_context=True)
def unread_notices(context):
    """The notices the signed-in person's institution or bureau has not confirmed yet, newest first (home page)."""
    request = context["request"]
    notices = Notice.objects.unconfirmed_by(request.user).order_by("-published_at", "-id")
    return {"notices": list(notices[:HOME_LIMIT]), "request": request, "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("notices/_round_notices.html", takes_context=True)
def round_notices(context, round_):
    """The notices linked to `round_` that the signed-in person may read (round page)."""
    user = context["request"].user
    notices = Notice.objects.for_user(user).filter(round=round_)
    return {"notices": list(notices), "sees_everything": user.sees_everything}


@register.simple_tag(takes_context=True)
def notice_steps(context, notice: Notice) -> list[str]:
    """The steps the signed-in person may take on `notice` (notices.workflow): what the page offers.
    `{% notice_steps notice as steps %}{% if "publish" in steps %}…`"""
    return allowed_steps(context["request"].user, notice)
