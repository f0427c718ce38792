"""The navigation bar of every page (templates/_navigation.html), rendered once per process for each kind of
reader and filled in per request with what is the reader's own.

Its links, labels and menus follow from the code (URLs, templates, translations), the active language and the
reader: signed in or not, their role, whether they belong to an institution, whether the page shows the menu
items (the second-factor pages do not), whether they have unread messages (the badge) and whether the page has
a CSRF token. Those make the key. The reader's name and scope, the unread count, the CSRF token and the page's
own address are holes, filled in per request as `{{ value }}` renders them. So nothing stored can go stale:
another role, language or scope selects another key or fills in other values; a change of settings (tests)
forgets everything. Reversing 15 URLs and translating 16 labels cost ~3 ms of every signed-in page (issue 21).
"""

from __future__ import annotations

import re

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.base import render_value_in_context
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from notifications.counts import unread_count

TEMPLATE = "_navigation.html"
HOLE = "\x00{}\x00"  # survives HTML escaping; in no label or URL
HOLES = re.compile("\x00(\\w+)\x00")
FLAGS = ("unread", "csrf_token")  # the markup depends on whether they are there: part of the key too

# The key -> the rendered bar split at its holes: text, hole name, text, …, text. A few dozen keys at most.
_rendered: dict[tuple, list[str]] = {}


@receiver(setting_changed)
def forget_rendered(**kwargs) -> None:
    """Settings changed (tests do it): the URLs, languages or templates may differ from now on."""
    _rendered.clear()


def navigation(context, *, items: bool = True) -> SafeString:
    """The bar for the reader of a page's template `context`, from the rendered copy for their kind."""
    user = context.get("user")
    reader = user if user is not None and user.is_authenticated else None
    values = own_values(context, reader, items=items)
    key: tuple = (get_language(), get_urlconf(), get_script_prefix(), items, reader and reader.role)
    key += (reader and bool(reader.institution_id), *(bool(values[flag]) for flag in FLAGS))
    parts = _rendered.get(key)
    if parts is None:
        stand_ins = {name: HOLE.format(name) if value or name not in FLAGS else value for name, value in values.items()}
        parts = _rendered[key] = HOLES.split(render_bar(reader, stand_ins, items=items))
    filled = list(parts)
    for at in range(1, len(filled), 2):
        filled[at] = render_value_in_context(values[filled[at]], context)
    return mark_safe("".join(filled))  # noqa: S308  (the template's own output; the holes escaped as {{ }} does)


def own_values(context, reader, *, items: bool) -> dict:
    """The values of the bar that are the reader's or the page's own. The unread count is read only for a bar
    that shows it."""
    request, csrf = context.get("request"), context.get("csrf_token")
    csrf = str(csrf) if csrf else ""
    return {
        "name": reader or "",
        "scope": reader.scope_label if reader else "",
        "unread": unread_count(reader) if reader and items else 0,
        "csrf_token": "" if csrf == "NOTPROVIDED" else csrf,
        "next_path": request.get_full_path() if request else "",
    }


def render_bar(reader, values: dict, *, items: bool) -> str:
    """The bar rendered by the template engine, nothing stored (`reader` None when signed out)."""
    person = {}
    if reader is not None:
        person = {
            "signed_in": True,
            "institution_user": reader.is_institution_user,
            "provincial_admin": reader.is_provincial_admin,
            "institution": bool(reader.institution_id),
            "role": reader.get_role_display(),
            "name": values["name"],
            "scope": values["scope"],
        }
    return render_to_string(TEMPLATE, {"person": person, "items": items, **values})
