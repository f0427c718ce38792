"""Candidate lists (names and ID numbers masked) are personal data: each page viewed is audited (who, which
line, which page, when), viewing is rate limited per user like the reveals, and the observer, who may read
every institution's lists, needs the second factor like the reviewers."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.urls import reverse

from audit.models import AuditEvent
from monitoring.models import Candidate
from tests.conftest import password_only_login
from tests.monitoring.conftest import LOGISTICS
from tests.monitoring.factories import CANDIDATE_HEADERS, id_number, write_xlsx
from tests.monitoring.helpers import run_import

AT = datetime(2027, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # the `frozen` clock


def imported_line(client, cast, tmp_path) -> int:
    rows = [CANDIDATE_HEADERS, ["张三丰", id_number(), LOGISTICS, "中级", date(2027, 5, 10), "通过", ""]]
    client.force_login(cast.staff)
    run_import(client, write_xlsx(tmp_path / "c.xlsx", rows))
    return Candidate.objects.get().line_id


def views(line_id: int) -> list[tuple]:
    events = AuditEvent.objects.filter(action="monitoring.candidates.view").order_by("id")
    assert {(e.object_type, e.object_id) for e in events} <= {("plans.planline", str(line_id))}
    return [(e.actor_name, e.actor_role, e.after, e.at) for e in events]


def test_candidate_list_views_are_audited_with_who_which_line_and_page(client, cast, plans, tmp_path, frozen):
    line_id = imported_line(client, cast, tmp_path)
    url = reverse("monitoring:line_candidates", args=[line_id])

    client.get(url)
    client.force_login(cast.observer)
    client.get(url + "?page=1")

    assert views(line_id) == [
        ("staff", "institution_staff", {"page": 1, "shown": 1}, AT),
        ("observer", "observer", {"page": 1, "shown": 1}, AT),
    ]


def test_candidate_list_allows_the_limit_then_answers_429_and_audits_nothing_more(
    client, cast, plans, tmp_path, frozen, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "candidates": "2/600"}
    line_id = imported_line(client, cast, tmp_path)
    url = reverse("monitoring:line_candidates", args=[line_id])
    client.force_login(cast.observer)

    shown = [client.get(url).status_code for _ in range(2)]
    refused = client.get(url)

    assert (shown, refused.status_code, refused["Retry-After"]) == ([200, 200], 429, "600")
    assert "张" not in refused.text
    assert len(views(line_id)) == 2


def test_candidate_list_is_not_shown_to_an_observer_without_the_second_factor(client, cast, plans, tmp_path, frozen):
    line_id = imported_line(client, cast, tmp_path)
    url = reverse("monitoring:line_candidates", args=[line_id])
    client.logout()
    password_only_login(client, cast.observer)

    response = client.get(url)

    assert (response.status_code, response["Location"]) == (302, f"/accounts/second-factor/?next={url}")
    assert views(line_id) == []
