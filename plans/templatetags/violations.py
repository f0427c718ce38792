"""{% violation v %} and {% violations list %}: the markup of plans/violation_markup.py for the signed-in user."""

from django import template

from plans import violation_markup

register = template.Library()


@register.simple_tag(takes_context=True)
def violation(context, v):
    return violation_markup.violation_html(v, user=context.get("user"))


@register.simple_tag(takes_context=True)
def violations(context, items):
    return violation_markup.violations_html(items, user=context.get("user"))
