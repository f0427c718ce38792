from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

from core.numbers import percent

register = template.Library()

PERCENT_KEYS = frozenset({"completion", "participation", "pass_rate", "target"})


@register.filter
def cell(row: dict, key: str):
    return row.get(key)


@register.filter
def percent_or_number(value, key: str) -> str:
    if value is None:
        return "–"
    if key in PERCENT_KEYS:
        return percent(value)
    return str(value)


BADGES = {"serious": "danger", "slow": "warning"}  # any other standing: success (as monitoring/_standing.html)
PLAIN_KEYS = frozenset({"bureau", "kind"})


@register.filter
def table_rows(figure) -> list[tuple[dict, SafeString]]:
    """Each row of `figure` with the HTML of its cells after the first (monitoring/_figure_table.html): made here
    rather than chosen cell by cell in the template, where a drill-down page's thousand cells cost ~20 ms; text
    escaped as Django's escape() does (html.escape, quotes too), without its lazy-string wrapper per call."""
    keys = [key for key, _label in figure.columns[1:]]
    return [(row, mark_safe("".join(_cell(row, key) for key in keys))) for row in figure.rows]  # noqa: S308


def _cell(row: dict, key: str) -> str:
    if key == "standing":
        colour = BADGES.get(row["standing_code"], "success")
        return f'<td><span class="badge text-bg-{colour}" data-testid="standing">{escape(str(row[key]))}</span></td>'
    if key in PLAIN_KEYS:
        return f"<td>{escape(str(row.get(key)))}</td>"
    return f'<td class="text-end">{escape(percent_or_number(row.get(key), key))}</td>'
