"""`{% once %}…{% endonce %}`: markup that depends on nothing but the code and the active language (static file
URLs, reversed URLs without arguments, translated labels) rendered once per process and language, then reused.
Its content must read no variable of the page: it would be the first page's for everyone.

`{% once pk=plan.pk %}…{% endonce %}` makes holes: a part of a page that differs from page to page only in an id
(`{% url 'line_add' pk %}`) and its CSRF token (`{% csrf_token %}`) is rendered once with stand-ins for them, then
filled in per request as `{{ value }}` renders them. The ids are integers (a URL pattern may want one): each stands
in as a number no page shows. The content may read no other variable of the page.
"""

from __future__ import annotations

import re

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.base import render_value_in_context
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

_generation = [0]  # counts the changes of settings (tests): URLs, languages or static files may differ after one

STAND_IN = 987_654_321_000  # + the hole's number: an id no page shows
CSRF_STAND_IN = "\x00csrf\x00"  # survives escaping; in no label or URL


@receiver(setting_changed)
def forget_rendered(**kwargs) -> None:
    _generation[0] += 1


class OnceNode(template.Node):
    def __init__(self, nodelist, holes: dict):
        self.nodelist = nodelist
        self.holes = holes  # name -> the page's expression filling it
        self.rendered: dict[tuple, list[str]] = {}  # the markup split at its stand-ins: text, hole, text, …
        self.generation = _generation[0]
        names = [str(STAND_IN + at) for at in range(len(holes))] + [re.escape(CSRF_STAND_IN)]
        self.stand_ins = re.compile(f"({'|'.join(names)})")

    def render(self, context) -> str:
        if self.generation != _generation[0]:
            self.rendered, self.generation = {}, _generation[0]
        token = context.get("csrf_token")
        csrf = bool(self.holes) and bool(token) and token != "NOTPROVIDED"  # else {% csrf_token %} writes nothing
        key = (get_language(), get_urlconf(), get_script_prefix(), csrf)
        parts = self.rendered.get(key)
        if parts is None:
            parts = self.rendered[key] = self._render_with_stand_ins(context, csrf)
        if len(parts) == 1:
            return mark_safe(parts[0])  # noqa: S308  (the template engine's own output)
        values = {str(STAND_IN + at): expression.resolve(context) for at, expression in enumerate(self.holes.values())}
        values[CSRF_STAND_IN] = context.get("csrf_token")
        filled = list(parts)
        for at in range(1, len(filled), 2):
            filled[at] = render_value_in_context(values[filled[at]], context)
        return mark_safe("".join(filled))  # noqa: S308  (the template engine's own output, the holes escaped)

    def _render_with_stand_ins(self, context, csrf: bool) -> list[str]:
        if not self.holes:
            return [self.nodelist.render(context)]
        stand_ins = {name: STAND_IN + at for at, name in enumerate(self.holes)}
        with context.push(**stand_ins, csrf_token=CSRF_STAND_IN if csrf else None):
            return self.stand_ins.split(self.nodelist.render(context))


@register.tag
def once(parser, token):
    holes = {}
    for bit in token.split_contents()[1:]:
        name, _, expression = bit.partition("=")
        if not expression:
            raise template.TemplateSyntaxError("{% once %} takes name=value holes only")
        holes[name] = parser.compile_filter(expression)
    nodelist = parser.parse(("endonce",))
    parser.delete_first_token()
    return OnceNode(nodelist, holes)
