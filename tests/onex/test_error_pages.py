"""400, 403, 404, 500 and a refused CSRF token: a page in the site's layout and the reader's language."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from onex import errors


def texts(response) -> tuple[int, str]:
    page = response.content.decode()
    return response.status_code, page


def test_404_is_chinese_inside_the_layout(client, cast):
    client.force_login(cast.staff)

    status, page = texts(client.get("/no-such-page/"))

    assert status == 404
    assert 'data-testid="error-404"' in page
    assert "页面不存在" in page and "此页面不存在，或您无权查看。" in page
    assert 'action="/accounts/logout/"' in page  # the site's header, signed in
    assert "Not Found" not in page


def test_404_is_english_when_english_is_chosen(client, cast):
    client.force_login(cast.staff)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    status, page = texts(client.get("/no-such-page/"))

    assert (status, "Page not found" in page, "页面不存在" in page) == (404, True, False)


def test_403_is_chinese_inside_the_layout(client, cast):
    client.force_login(cast.staff)

    status, page = texts(client.get(reverse("import_data")))

    assert status == 403
    assert 'data-testid="error-403"' in page and "无权访问" in page


def test_refused_csrf_token_is_a_chinese_page_that_says_nothing_was_saved(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.staff)

    status, page = texts(client.post(reverse("notifications_read_all")))

    assert status == 403
    assert 'data-testid="error-csrf"' in page
    assert "表单已失效" in page and "没有保存任何内容" in page
    assert "CSRF verification failed" not in page and "Forbidden" not in page


def test_400_is_chinese_inside_the_layout(client, cast, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 2
    client.force_login(cast.staff)

    status, page = texts(client.post(reverse("set_language"), {f"f{i}": "x" for i in range(5)}))

    assert status == 400
    assert 'data-testid="error-400"' in page and "请求被拒绝" in page


@pytest.mark.django_db
def test_500_is_chinese_inside_the_layout(rf, cast):
    request = rf.get("/plans/")
    request.user = cast.staff
    request.session = {}

    with translation.override("zh-hans"):
        status, page = texts(errors.server_error(request))

    assert status == 500
    assert 'data-testid="error-500"' in page and "服务器错误" in page


def test_500_without_a_database_falls_back_to_the_plain_page(rf):
    # No django_db mark: the database refuses every query, as when it is down.
    status, page = texts(errors.server_error(rf.get("/plans/")))

    assert status == 500
    assert 'data-testid="server-error"' in page and "服务器错误" in page
