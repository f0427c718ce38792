"""`{% once %}` renders its markup once per process and language (core/templatetags/once.py): the copy equals
a fresh rendering in each language, and a change of settings (URLs, static files) renders it again."""

from __future__ import annotations

from django.template import Context, Template
from django.utils import translation

MARKUP = "{% translate 'Notices' %} <a href=\"{% url 'contacts' %}\"></a> <link href=\"{% static 'css/onex.css' %}\">"
ONCE = Template("{% load i18n static once %}{% once %}" + MARKUP + "{% endonce %}")
FRESH = Template("{% load i18n static %}" + MARKUP)


def both(language: str) -> tuple[str, str]:
    with translation.override(language):
        return ONCE.render(Context()), FRESH.render(Context())


def test_once_the_copy_equals_a_fresh_rendering_in_each_language(db):
    seen = [both("zh-hans"), both("en"), both("zh-hans"), both("en")]

    assert [once == fresh for once, fresh in seen] == [True] * 4
    assert ("通知" in seen[2][0], "Notices" in seen[3][0]) == (True, True)


def test_once_renders_again_when_the_settings_change(db, settings):
    before = both("zh-hans")[0]
    settings.STATIC_URL = "/elsewhere/"
    after = both("zh-hans")

    assert ("/elsewhere/" in before, "/elsewhere/" in after[0], after[0] == after[1]) == (False, True, True)


HOLED = "{% translate 'Add' %} <form action=\"{% url 'line_add' pk %}\">{% csrf_token %}</form> {{ pk }}"
ONCE_WITH_HOLES = Template("{% load i18n once %}{% once pk=plan.pk %}" + HOLED + "{% endonce %}")
FRESH_WITH_HOLES = Template("{% load i18n %}{% with pk=plan.pk %}" + HOLED + "{% endwith %}")


class Plan:
    def __init__(self, pk: int):
        self.pk = pk


def test_once_with_holes_fills_in_each_pages_id_and_csrf_token(db):
    pages = [("zh-hans", 7, "token-one"), ("zh-hans", 12345, "token-two"), ("en", 8, "token<&>"), ("en", 9, "")]
    seen = []
    for language, pk, token in pages:
        context = {"plan": Plan(pk), **({"csrf_token": token} if token else {})}
        with translation.override(language):
            seen.append((ONCE_WITH_HOLES.render(Context(context)), FRESH_WITH_HOLES.render(Context(context))))

    assert [once == fresh for once, fresh in seen] == [True] * 4
    assert 'action="/plans/12345/lines/add/"' in seen[1][0] and 'value="token-two"' in seen[1][0]
    assert 'value="token&lt;&amp;&gt;"' in seen[2][0] and "csrfmiddlewaretoken" not in seen[3][0]
