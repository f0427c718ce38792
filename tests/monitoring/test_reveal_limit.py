"""Reveals of a whole ID number and searches by one are rate limited per user: the Nth passes, the next is 429."""

from datetime import date

from django.urls import reverse

from audit.models import AuditEvent
from monitoring.models import Candidate
from tests.monitoring.conftest import LOGISTICS
from tests.monitoring.factories import CANDIDATE_HEADERS, id_number, write_xlsx
from tests.monitoring.helpers import run_import


def test_reveal_allows_the_limit_then_answers_429_and_reveals_nothing(
    client, cast, plans, tmp_path, frozen, produced, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "reveal": "2/3600"}
    person = id_number()
    path = write_xlsx(
        tmp_path / "c.xlsx", [CANDIDATE_HEADERS, ["张三丰", person, LOGISTICS, "中级", date(2027, 5, 10), "通过", ""]]
    )
    client.force_login(cast.staff)
    run_import(client, path)
    url = reverse("monitoring:reveal", args=[Candidate.objects.get().pk])
    client.force_login(cast.provincial_admin)
    produced.reveals_allowed = True

    shown = [client.post(url, {"reason": "考生申诉核对身份"}).context["revealed"][1] for _ in range(2)]
    refused = client.post(url, {"reason": "考生申诉核对身份"})
    form = client.get(url)

    assert shown == [person, person]
    assert (refused.status_code, refused["Retry-After"]) == (429, "3600")  # the clock is frozen on the hour
    assert person not in refused.text
    assert AuditEvent.objects.filter(action="monitoring.candidate.reveal").count() == 2
    assert form.status_code == 200  # the form itself is not counted


def test_search_by_id_number_allows_the_limit_then_answers_429(client, cast, plans, tmp_path, frozen, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "id-lookup": "2/600"}
    person = id_number()
    path = write_xlsx(
        tmp_path / "c.xlsx", [CANDIDATE_HEADERS, ["张三丰", person, LOGISTICS, "中级", date(2027, 5, 10), "通过", ""]]
    )
    client.force_login(cast.staff)
    run_import(client, path)
    url = reverse("monitoring:line_candidates", args=[Candidate.objects.get().line_id])

    found = [len(client.post(url, {"id_number": person}).context["page"].object_list) for _ in range(2)]
    refused = client.post(url, {"id_number": person})
    listed = client.get(url)

    assert found == [1, 1]
    assert (refused.status_code, refused["Retry-After"]) == (429, "600")
    assert listed.status_code == 200  # the list itself is not counted
