"""Who sees a notice, for every role of the cast and every audience; anonymous visitors only public notices."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from accounts.models import User
from institutions.enums import InstitutionKind
from notices.enums import Audience
from notices.models import Notice
from tests.notices.conftest import make_notice

SCHOOL1 = {"staff", "office_head", "leader"}  # 中职 (secondary_vocational), bureau 1
COLLEGE1 = {"college_staff", "college_office_head", "college_leader"}  # 高职, bureau 1
SCHOOL2 = {"other_staff"}  # 省属中专, bureau 2
BUREAUS = {"bureau_reviewer", "other_bureau_reviewer"}
PROVINCE = {"provincial_reviewer", "provincial_admin", "observer"}
EVERYONE = SCHOOL1 | COLLEGE1 | SCHOOL2 | BUREAUS | PROVINCE

CASES = {
    "public": (dict(audience=Audience.PUBLIC), EVERYONE | {"anonymous"}),
    "institutions": (dict(audience=Audience.INSTITUTIONS), SCHOOL1 | COLLEGE1 | SCHOOL2 | PROVINCE),
    "kind 中职": (dict(audience=Audience.KIND, kind=InstitutionKind.SECONDARY_VOCATIONAL), SCHOOL1 | PROVINCE),
    "kind 省属中专": (dict(audience=Audience.KIND, kind=InstitutionKind.PROVINCIAL_SECONDARY), SCHOOL2 | PROVINCE),
    "kind 高职": (dict(audience=Audience.KIND, kind=InstitutionKind.HIGHER_VOCATIONAL), COLLEGE1 | PROVINCE),
    "bureaus": (dict(audience=Audience.BUREAUS), BUREAUS | PROVINCE),
    "draft, public": (dict(audience=Audience.PUBLIC, published=False), PROVINCE),
    "draft, institutions": (dict(audience=Audience.INSTITUTIONS, published=False), PROVINCE),
}


def readers(notice: Notice) -> set[str]:
    seen = {"anonymous"} if Notice.objects.for_user(AnonymousUser()).filter(pk=notice.pk).exists() else set()
    for user in User.objects.select_related("institution"):
        if Notice.objects.for_user(user).filter(pk=notice.pk).exists():
            seen.add(user.username)
    return seen


def page_readers(notice: Notice) -> set[str]:
    url = notice.get_absolute_url()
    statuses = {"anonymous": Client().get(url).status_code}
    for user in User.objects.all():
        client = Client()
        client.force_login(user)
        statuses[user.username] = client.get(url).status_code
    assert set(statuses.values()) <= {200, 404}, statuses
    return {name for name, status in statuses.items() if status == 200}


@pytest.mark.parametrize("case", list(CASES))
def test_audience_for_user_matches_the_table(cast, case):
    values, expected = CASES[case]
    notice = make_notice(cast.provincial_admin, **values)

    assert readers(notice) == expected


@pytest.mark.parametrize("case", list(CASES))
def test_audience_notice_page_is_200_for_readers_and_404_for_everyone_else(cast, case):
    values, expected = CASES[case]
    notice = make_notice(cast.provincial_admin, **values)

    assert page_readers(notice) == expected


def test_audience_non_public_notice_is_404_for_anonymous_and_public_is_200(cast, client):
    public = make_notice(cast.provincial_admin, audience=Audience.PUBLIC)
    private = make_notice(cast.provincial_admin, audience=Audience.INSTITUTIONS, title="仅院校")

    assert (client.get(public.get_absolute_url()).status_code, client.get(private.get_absolute_url()).status_code) == (
        200,
        404,
    )


def test_audience_url_with_another_year_is_404(cast, client):
    notice = make_notice(cast.provincial_admin, audience=Audience.PUBLIC)

    response = client.get(f"/notices/{notice.year - 1}/{notice.pk}/")

    assert (notice.get_absolute_url(), response.status_code) == (f"/notices/2027/{notice.pk}/", 404)


def test_audience_list_shows_only_what_the_reader_may_see(cast, client):
    make_notice(cast.provincial_admin, audience=Audience.PUBLIC, title="公开通知")
    make_notice(cast.provincial_admin, audience=Audience.BUREAUS, title="致各市教育局")
    make_notice(cast.provincial_admin, audience=Audience.INSTITUTIONS, title="致各院校")
    make_notice(cast.provincial_admin, audience=Audience.INSTITUTIONS, title="草稿", published=False)

    def titles(user=None) -> list[str]:
        c = Client()
        if user:
            c.force_login(user)
        return [n.title for n in c.get("/notices/").context["page"].object_list]

    assert titles() == ["公开通知"]
    assert titles(cast.staff) == ["致各院校", "公开通知"]
    assert titles(cast.bureau_reviewer) == ["致各市教育局", "公开通知"]
    assert titles(cast.observer) == ["草稿", "致各院校", "致各市教育局", "公开通知"]
