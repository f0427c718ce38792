from datetime import date

from django.urls import reverse

from audit.models import AuditEvent
from monitoring import crypto
from monitoring.enums import ProgressSource
from monitoring.models import Candidate, InstitutionProgress, LineProgress
from tests.monitoring.conftest import LOGISTICS
from tests.monitoring.factories import CANDIDATE_HEADERS, J, M, id_number, line_of, write_xlsx
from tests.monitoring.helpers import run_import


def test_typed_progress_is_saved_audited_and_rolled_up(client, cast, plans, frozen):
    line = line_of(plans["school"], plans["logistics"], M)
    client.force_login(cast.staff)

    response = client.post(
        reverse("monitoring:line_progress", args=[line.pk]), {"registered": 40, "examined": 36, "passed": 30}
    )

    progress = LineProgress.objects.get(line=line)
    assert (response.status_code, progress.registered, progress.examined, progress.passed) == (302, 40, 36, 30)
    assert progress.source == ProgressSource.TYPED
    assert InstitutionProgress.objects.get(institution=cast.school1, year=2027).examined == 36
    event = AuditEvent.objects.get(action="monitoring.progress.record")
    assert (event.actor, event.before, event.after) == (
        cast.staff,
        {},
        {"registered": 40, "examined": 36, "passed": 30, "source": "typed"},
    )


def test_typed_progress_refuses_more_examined_than_registered(client, cast, plans, frozen):
    line = line_of(plans["school"], plans["logistics"], M)
    client.force_login(cast.staff)

    client.post(reverse("monitoring:line_progress", args=[line.pk]), {"registered": 10, "examined": 11, "passed": 0})

    assert LineProgress.objects.count() == 0


def test_typed_progress_only_by_the_institutions_staff(client, cast, plans, frozen):
    line = line_of(plans["school"], plans["logistics"], M)
    url = reverse("monitoring:line_progress", args=[line.pk])
    data = {"registered": 1, "examined": 1, "passed": 1}
    statuses = []
    for user in (cast.other_staff, cast.leader, cast.bureau_reviewer, cast.other_bureau_reviewer, cast.observer):
        client.force_login(user)
        statuses.append(client.post(url, data).status_code)

    assert statuses == [404, 403, 403, 404, 403]
    assert LineProgress.objects.count() == 0


def test_institution_page_shows_standing_and_what_the_next_checkpoint_expects(client, cast, plans, frozen):
    line = line_of(plans["school"], plans["logistics"], M)
    client.force_login(cast.staff)
    client.post(reverse("monitoring:line_progress", args=[line.pk]), {"registered": 20, "examined": 14, "passed": 9})

    response = client.get(reverse("monitoring:mine"), follow=True)

    standing = response.context["standing"]
    # On 15 June: 14 of 70 = 20.0 % meets April's 10 %; the end of June wants 30 % of 70 = 21.
    assert (standing.figures.completion, standing.standing, standing.target_month) == (20, "on_track", 4)
    assert (standing.next_month, standing.expected, standing.still_needed) == (6, 21, 7)
    assert [line.figures.examined for line in standing.lines] == [14, 0]


def test_institution_page_is_scoped(client, cast, plans, frozen):
    url = reverse("monitoring:institution", args=[cast.school1.pk])
    statuses = []
    for user in (cast.staff, cast.other_staff, cast.bureau_reviewer, cast.other_bureau_reviewer, cast.observer):
        client.force_login(user)
        statuses.append(client.get(url).status_code)

    assert statuses == [200, 404, 200, 404, 200]


def _imported(client, cast, plans, tmp_path):
    person = id_number()
    path = write_xlsx(
        tmp_path / "c.xlsx", [CANDIDATE_HEADERS, ["张三丰", person, LOGISTICS, "中级", date(2027, 5, 10), "通过", ""]]
    )
    client.force_login(cast.staff)
    run_import(client, path)
    return person, Candidate.objects.get()


def test_candidates_are_listed_masked_and_found_by_id_number_by_post(client, cast, plans, tmp_path, frozen):
    person, candidate = _imported(client, cast, plans, tmp_path)
    url = reverse("monitoring:line_candidates", args=[candidate.line_id])

    listed = client.get(url)
    found = client.post(url, {"id_number": person})
    missing = client.post(url, {"id_number": id_number()})

    assert [c.id_masked for c in listed.context["page"]] == [candidate.id_masked]
    assert [c.pk for c in found.context["page"]] == [candidate.pk]
    assert list(missing.context["page"]) == []


def test_reveal_needs_a_provincial_admin_and_a_reason_and_is_audited(client, cast, plans, tmp_path, frozen, produced):
    person, candidate = _imported(client, cast, plans, tmp_path)
    url = reverse("monitoring:reveal", args=[candidate.pk])
    client.force_login(cast.provincial_reviewer)
    refused = client.post(url, {"reason": "核对"})
    client.force_login(cast.provincial_admin)
    no_reason = client.post(url, {"reason": ""})
    produced.reveals_allowed = True

    revealed = client.post(url, {"reason": "考生申诉核对身份"})

    assert (refused.status_code, no_reason.context["revealed"]) == (403, None)
    assert revealed.context["revealed"] == ("张三丰", person)
    assert "no-store" in revealed["Cache-Control"].split(", ")
    event = AuditEvent.objects.get(action="monitoring.candidate.reveal")
    assert (event.actor, event.reason, event.object_id) == (
        cast.provincial_admin,
        "考生申诉核对身份",
        str(candidate.pk),
    )
    assert person not in f"{event.object_repr}{event.before}{event.after}"
    assert crypto.unseal(candidate.sealed)[1] == person


def test_reveal_of_an_unknown_or_out_of_scope_candidate_is_404(client, cast):
    client.force_login(cast.provincial_admin)

    assert client.get(reverse("monitoring:reveal", args=[999])).status_code == 404


def test_line_of_another_institution_has_no_candidates_page(client, cast, plans, frozen):
    line = line_of(plans["college"], plans["logistics"], J)
    client.force_login(cast.staff)

    assert client.get(reverse("monitoring:line_candidates", args=[line.pk])).status_code == 404
