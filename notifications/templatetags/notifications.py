from django import template

from notifications.counts import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """How many unread messages the signed-in person has (cached, see notifications.counts)."""
    return unread_count(context["request"].user)
