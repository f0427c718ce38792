"""The 500 page is shown when the database is gone: it must render with no database and no context."""

from __future__ import annotations

from django.views.defaults import server_error


def test_server_error_page_renders_without_database_or_request_context(rf):
    # No django_db mark: any query here would fail the test.
    response = server_error(rf.get("/plans/"))

    page = response.content.decode()
    assert response.status_code == 500
    assert 'data-testid="server-error"' in page
    assert "服务器错误" in page
    assert "Server error" in page
    assert "/static/vendor/bootstrap/bootstrap.min.css" in page
    assert "<script" not in page
    assert "style=" not in page
