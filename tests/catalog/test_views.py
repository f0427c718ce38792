"""The catalogue pages under 管理: the provincial admin's only; each form round-trips and saves through the
services."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from catalog.enums import Level
from catalog.models import Major
from tests.conftest import make_certificate


@pytest.fixture
def certificate(db):
    return make_certificate("物流管理职业技能等级证书", levels=[Level.JUNIOR, Level.SENIOR], majors=["物流管理"])


@pytest.fixture
def admin_client(client, cast):
    client.force_login(cast.provincial_admin)
    return client


def form_values(response, form_name: str) -> dict:
    """The values the page renders in one of its forms, as a browser would post them back unchanged."""
    form = response.context[form_name]
    values = {}
    for bound in form:
        value = bound.value()
        if isinstance(value, bool):
            if value:
                values[bound.html_name] = "on"
        elif isinstance(value, list):
            values[bound.html_name] = [str(v.pk if hasattr(v, "pk") else v) for v in value]
        else:
            values[bound.html_name] = "" if value is None else str(value)
    return values


@pytest.mark.parametrize("role", ["provincial_reviewer", "staff", "bureau_reviewer", "observer"])
def test_catalog_pages_are_the_provincial_admins_only(client, cast, certificate, role):
    client.force_login(getattr(cast, role))

    assert client.get(reverse("catalog_list")).status_code == 403
    assert client.get(reverse("catalog_certificate", args=[certificate.pk])).status_code == 403
    assert client.post(reverse("catalog_restriction", args=[certificate.pk]), {"restricted": "on"}).status_code == 403


def test_catalog_list_searches_by_pinyin_and_restriction(admin_client, certificate):
    restricted = make_certificate("受限测试职业技能等级证书", restricted=True)

    found = admin_client.get(reverse("catalog_list"), {"q": "wlgl"})
    only_restricted = admin_client.get(reverse("catalog_list"), {"restricted": "on"})

    assert list(found.context["page"].object_list) == [certificate]
    assert list(only_restricted.context["page"].object_list) == [restricted]


def test_catalog_menu_links_the_catalogue_for_the_admin_only(client, cast):
    client.force_login(cast.provincial_admin)
    assert reverse("catalog_list") in client.get(reverse("home")).text
    client.force_login(cast.provincial_reviewer)
    assert reverse("catalog_list") not in client.get(reverse("home")).text


def test_catalog_restriction_form_saves_with_reason_and_round_trips(admin_client, certificate):
    url = reverse("catalog_restriction", args=[certificate.pk])

    response = admin_client.post(url, {"restricted": "on", "reason": "培训质量不高"})
    page = admin_client.get(reverse("catalog_certificate", args=[certificate.pk]))
    again = admin_client.post(url, form_values(page, "restriction_form"))

    certificate.refresh_from_db()
    assert response.status_code == again.status_code == 302
    assert (certificate.restricted, certificate.restricted_reason) == (True, "培训质量不高")
    assert AuditEvent.objects.filter(action="catalog.restriction").count() == 1  # the unchanged re-post: nothing


def test_catalog_restriction_without_reason_is_refused_on_the_form(admin_client, certificate):
    response = admin_client.post(reverse("catalog_restriction", args=[certificate.pk]), {"restricted": "on"})

    certificate.refresh_from_db()
    assert response.status_code == 400
    assert list(response.context["restriction_form"].errors) == ["reason"]
    assert certificate.restricted is False


def test_catalog_levels_form_sets_and_clears_minimums_and_round_trips(admin_client, certificate):
    url = reverse("catalog_levels", args=[certificate.pk])

    admin_client.post(url, {Level.JUNIOR: "20", Level.SENIOR: ""})
    page = admin_client.get(reverse("catalog_certificate", args=[certificate.pk]))
    admin_client.post(url, form_values(page, "levels_form"))

    minimums = dict(certificate.levels.values_list("level", "min_headcount"))
    assert minimums == {Level.JUNIOR: 20, Level.SENIOR: None}
    assert AuditEvent.objects.filter(action="catalog.min_headcount").count() == 1


def test_catalog_levels_form_refuses_zero(admin_client, certificate):
    response = admin_client.post(reverse("catalog_levels", args=[certificate.pk]), {Level.JUNIOR: "0"})

    assert response.status_code == 400
    assert list(certificate.levels.values_list("min_headcount", flat=True)) == [None, None]


def test_catalog_majors_form_replaces_the_majors_and_round_trips(admin_client, certificate):
    new = Major.objects.create(name="供应链运营", code="530802")
    url = reverse("catalog_majors", args=[certificate.pk])

    admin_client.post(url, {"majors": [str(new.pk)]})
    page = admin_client.get(reverse("catalog_certificate", args=[certificate.pk]))
    admin_client.post(url, form_values(page, "majors_form"))

    assert list(certificate.majors.all()) == [new]
    assert AuditEvent.objects.filter(action="catalog.majors").count() == 1
