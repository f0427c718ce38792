from django import template

from notifications.models import Notification

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """How many unread messages the signed-in person has (one COUNT query)."""
    user = context["request"].user
    return Notification.objects.for_user(user).unread().count()
