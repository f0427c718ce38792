from django import template

from onex import navigation as bar

register = template.Library()


@register.simple_tag(takes_context=True)
def navigation(context, items: bool = True):
    """The site's navigation bar (onex.navigation); `items=False` leaves out the menu items."""
    return bar.navigation(context, items=items)
