"""{% line_rows page.rows %} and {% form_links plan page.new_certificates %}: the plan page's line rows
(plans/line_rows.py) for the plan, steps and user of the page, and its new certificates' forms (plans/form_links.py)."""

from django import template

from plans import line_rows as markup
from plans.enums import PlanStatus
from plans.form_links import form_links_html

register = template.Library()


@register.simple_tag(takes_context=True)
def line_rows(context, rows):
    return markup.rows_html(
        rows,
        published=context["plan"].status == PlanStatus.PUBLISHED,
        editable="edit" in context.get("steps", ()),
        user=context.get("user"),
    )


@register.simple_tag
def form_links(plan, new_certificates):
    return form_links_html(plan, new_certificates)
