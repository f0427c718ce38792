"""{% line_rows page.rows %}: the plan page's line rows (plans/line_rows.py) for the plan, steps and user of the
page."""

from django import template

from plans import line_rows as markup
from plans.enums import PlanStatus

register = template.Library()


@register.simple_tag(takes_context=True)
def line_rows(context, rows):
    return markup.rows_html(
        rows,
        published=context["plan"].status == PlanStatus.PUBLISHED,
        editable="edit" in context.get("steps", ()),
        user=context.get("user"),
    )
