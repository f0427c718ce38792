"""The home page lists what `onex.todos.todos_for` collects from each room, and stops once the item is done."""

from __future__ import annotations

from notices import services
from tests.notices.conftest import AT, make_notice


def test_home_todos_show_a_notice_to_confirm_until_confirmed(client, cast):
    notice = make_notice(cast.provincial_admin, title="关于报送试点材料的通知")
    client.force_login(cast.office_head)

    page = client.get("/").content.decode()
    assert "关于报送试点材料的通知" in page
    assert notice.get_absolute_url() in page

    services.confirm_read(user=cast.leader, notice=notice, at=AT)
    page = client.get("/").content.decode()
    assert "关于报送试点材料的通知" not in page
    assert "目前没有待办事项" in page
