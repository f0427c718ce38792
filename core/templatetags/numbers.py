from django import template

from core import numbers

register = template.Library()


@register.filter
def percent(value, empty: str = "–") -> str:
    """{{ figures.completion|percent }} → '88.9%' (half up), '–' without a rate."""
    return numbers.percent(value, empty)


@register.filter
def rounded(value):
    """The rate's number alone, rounded half up to one decimal (for texts that write the % themselves)."""
    shown = numbers.round_half_up(value)
    return "–" if shown is None else shown
