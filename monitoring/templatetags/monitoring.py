from django import template

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
