"""The home page's notice to-dos: a notice that asks for a receipt waits on every reader organisation until one of
its people confirms it (notices/todos.py)."""

from __future__ import annotations

from notices import services
from notices.enums import Audience
from notices.todos import notice_todos
from tests.notices.conftest import AT, make_notice


def urls(user) -> list[str]:
    return [todo.url for todo in notice_todos(user, at=AT)]


def test_notice_todos_institution_sees_it_until_a_colleague_confirms(cast):
    notice = make_notice(cast.provincial_admin)
    for user in (cast.staff, cast.office_head, cast.leader, cast.other_staff):
        assert urls(user) == [notice.get_absolute_url()]
    services.confirm_read(user=cast.leader, notice=notice, at=AT)
    assert (urls(cast.staff), urls(cast.office_head), urls(cast.leader)) == ([], [], [])
    assert urls(cast.other_staff) == [notice.get_absolute_url()]


def test_notice_todos_bureau_sees_a_bureau_notice_until_confirmed(cast):
    notice = make_notice(cast.provincial_admin, audience=Audience.BUREAUS)
    assert urls(cast.bureau_reviewer) == [notice.get_absolute_url()]
    assert urls(cast.staff) == []
    services.confirm_read(user=cast.bureau_reviewer, notice=notice, at=AT)
    assert urls(cast.bureau_reviewer) == []


def test_notice_todos_text_names_the_notice(cast):
    notice = make_notice(cast.provincial_admin)
    [todo] = notice_todos(cast.staff, at=AT)
    assert todo.text == f"Confirm you have read the notice: {notice}"


def test_notice_todos_none_without_receipts_or_for_the_office(cast):
    make_notice(cast.provincial_admin, expects_receipts=False)
    make_notice(cast.provincial_admin)
    assert len(urls(cast.staff)) == 1
    assert urls(cast.provincial_admin) == urls(cast.provincial_reviewer) == []
