"""The navigation bar is rendered once per kind of reader and filled in per request (onex.navigation): each
reader's bar equals the one the template renders for them afresh, and a change of role, language, scope or
unread count shows on the next page."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from accounts.enums import Role
from onex import navigation
from tests.notifications.test_views import send


def page_context(user) -> RequestContext:
    """A page's template context for `user`, with the context processors' user, request and CSRF token."""
    request = RequestFactory().get('/plans/?q=<a href="x">&page=2')
    request.user = user
    return RequestContext(request, {})


def both_bars(user, *, items: bool = True) -> tuple[str, str]:
    """The bar as a page shows it (from the rendered copy) and as the template renders it afresh."""
    context = page_context(user)
    with context.bind_template(Template("")):
        shown = navigation.navigation(context, items=items)
        reader = user if user.is_authenticated else None
        fresh = navigation.render_bar(reader, navigation.own_values(context, reader, items=items), items=items)
    return str(shown), fresh


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_navigation_the_cached_bar_equals_the_fresh_one_for_every_role(cast, language):
    send(cast.staff, 2)
    send(cast.provincial_admin)
    readers = [*cast.one_of_every_role(), cast.other_staff, cast.college_leader, cast.other_bureau_reviewer]
    with translation.override(language):
        seen = [both_bars(user) for user in [*readers, AnonymousUser()] * 2]  # the first of a kind renders
        seen += [both_bars(user, items=False) for user in readers * 2]

    assert [shown == fresh for shown, fresh in seen] == [True] * len(seen)
    # Shared by readers of a kind: staff with and without unread messages, the other five roles, a leader and a
    # reviewer of another institution or bureau sharing their kind's copy, and signed out; fewer without the items.
    assert len(navigation._rendered) == 9 + 7


def nav(client) -> str:
    html = client.get(reverse("home")).content.decode()
    return html.split('<nav class="navbar', 1)[1].split("</nav>", 1)[0]


def test_navigation_shows_a_new_role_on_the_next_page(client, cast):
    client.force_login(cast.provincial_reviewer)
    before = nav(client)
    cast.provincial_reviewer.role = Role.PROVINCIAL_ADMIN
    cast.provincial_reviewer.save()
    after = nav(client)

    assert ('data-testid="manage-menu"' in before, 'data-testid="manage-menu"' in after) == (False, True)
    assert ("省级审核人" in before, "省级管理员" in after) == (True, True)


def test_navigation_shows_a_new_language_on_the_next_page(client, cast):
    client.force_login(cast.staff)
    before = nav(client)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    after = nav(client)

    assert ("退出" in before, "Log out" in after, "Log out" in before) == (True, True, False)


def test_navigation_shows_a_new_scope_on_the_next_page(client, cast):
    client.force_login(cast.bureau_reviewer)
    staff = client.__class__()
    staff.force_login(cast.staff)
    before = (nav(client), nav(staff))
    cast.bureau_reviewer.bureau = cast.bureau2
    cast.bureau_reviewer.save()
    cast.staff.institution = cast.school2
    cast.staff.save()
    after = (nav(client), nav(staff))

    assert [("合肥" in bar, "芜湖" in bar) for bar in (*before, *after)] == [(True, False)] * 2 + [(False, True)] * 2


def test_navigation_shows_a_new_unread_count_on_the_next_page(client, cast):
    client.force_login(cast.staff)
    before = nav(client)
    send(cast.staff, 2)
    after = nav(client)

    assert ('data-testid="unread-count"' in before, 'data-testid="unread-count">2<' in after) == (False, True)


def test_navigation_forgets_its_copies_when_the_settings_change(cast, settings):
    both_bars(cast.staff)
    settings.LANGUAGES = [*settings.LANGUAGES]

    assert navigation._rendered == {}
