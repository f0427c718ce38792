"""`{% once %}…{% endonce %}`: markup that depends on nothing but the code and the active language (static file
URLs, reversed URLs without arguments, translated labels) rendered once per process and language, then reused.
Its content must read no variable of the page: it would be the first page's for everyone."""

from __future__ import annotations

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

_generation = [0]  # counts the changes of settings (tests): URLs, languages or static files may differ after one


@receiver(setting_changed)
def forget_rendered(**kwargs) -> None:
    _generation[0] += 1


class OnceNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist
        self.rendered: dict[tuple, str] = {}
        self.generation = _generation[0]

    def render(self, context) -> str:
        if self.generation != _generation[0]:
            self.rendered, self.generation = {}, _generation[0]
        key = (get_language(), get_urlconf(), get_script_prefix())
        html = self.rendered.get(key)
        if html is None:
            html = self.rendered[key] = self.nodelist.render(context)
        return mark_safe(html)  # noqa: S308  (the template engine's own output)


@register.tag
def once(parser, token):
    nodelist = parser.parse(("endonce",))
    parser.delete_first_token()
    return OnceNode(nodelist)
