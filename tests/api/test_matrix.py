"""Every endpoint × every member of the cast: allowed, refused (403) or out of scope (404) — the same scope as the
pages (tests/test_scope_matrix.py), and nothing changes on a refusal.

Data-driven: a write endpoint is a `Case` in CASES (how to build its plan, what to send, when, who may, who sees
the plan); read endpoints reuse the pages' plan matrix."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.models import AuditEvent
from plans.enums import PlanStatus
from plans.models import Plan
from reviews import services as review_services
from tests.api.conftest import BUREAU_DAY, FILING_DAY, PROVINCE_DAY, ApiClient
from tests.conftest import make_certificate
from tests.reviews.factories import J, plan_in
from tests.test_scope_matrix import COLLEGE1, EVERYONE, SCHOOL2, SCOPED_MODELS, World, institution_key

SCHOOL1 = {"staff", "office_head", "leader"}
PROVINCE = {"provincial_reviewer", "provincial_admin", "observer"}
REVIEWERS_OF_SCHOOL1 = {"bureau_reviewer"}


@pytest.fixture
def world(cast, spring, autumn) -> World:
    """The plans of the pages' scope matrix (tests/test_scope_matrix.py), in the same states under the same keys."""

    def plan(institution, rnd, status):
        return Plan.objects.create(institution=institution, round=rnd, status=status)

    return World(
        cast=cast,
        rounds={"spring": spring, "autumn": autumn},
        plans={
            "school1/spring": plan(cast.school1, spring, PlanStatus.BUREAU_REVIEW),
            "school1/autumn": plan(cast.school1, autumn, PlanStatus.DRAFT),
            "college1/spring": plan(cast.college1, spring, PlanStatus.PROVINCIAL_REVIEW),
            "school2/spring": plan(cast.school2, spring, PlanStatus.BUREAU_REVIEW),
            "school2/autumn": plan(cast.school2, autumn, PlanStatus.AWAITING_SIGNOFF),
            "college2/spring": plan(cast.college2, spring, PlanStatus.PUBLISHED),
        },
    )


def sees_school1_plan(status: str) -> set[str]:
    """DOMAIN.md §3: the school, the province, and the school's bureau once the plan has left the school."""
    unsigned = status in (PlanStatus.DRAFT, PlanStatus.AWAITING_SIGNOFF)
    return SCHOOL1 | PROVINCE | (set() if unsigned else REVIEWERS_OF_SCHOOL1)


@dataclass(frozen=True)
class Case:
    name: str
    status: str  # of school1's plan
    request: Callable  # (plan) -> (method, path, body)
    at: datetime
    allowed: str
    decided: bool = False  # the province has decided every line already

    def expected(self) -> dict[str, int]:
        ok = 204 if self.request.__name__ == "delete" else (201 if self.name == "add line" else 200)
        seen = sees_school1_plan(self.status)
        return {u: ok if u == self.allowed else 403 if u in seen else 404 for u in EVERYONE}


def action(name: str, body=None):
    def request(plan):
        return "post", f"/plans/{plan.pk}/actions/{name}", body

    return request


def delete(plan):
    return "delete", f"/plans/{plan.pk}/lines/{plan.lines.first().pk}", None


FORM = {"facilities": "实训室", "is_exam_site": True}
CASES = [
    Case(
        "add line",
        PlanStatus.DRAFT,
        lambda plan: (
            "post",
            f"/plans/{plan.pk}/lines",
            {
                "certificate_id": plan.lines.first().certificate_id,
                "level": "junior",
                "major_name": "现代物流",
                "headcount": 30,
            },
        ),
        FILING_DAY,
        "staff",
    ),
    Case(
        "change line",
        PlanStatus.DRAFT,
        lambda plan: ("patch", f"/plans/{plan.pk}/lines/{plan.lines.first().pk}", {"headcount": 50}),
        FILING_DAY,
        "staff",
    ),
    Case("remove line", PlanStatus.DRAFT, delete, FILING_DAY, "staff"),
    Case(
        "save form",
        PlanStatus.DRAFT,
        lambda plan: ("put", f"/plans/{plan.pk}/forms/{plan.lines.first().certificate_id}", FORM),
        FILING_DAY,
        "staff",
    ),
    Case("copy_last_year", PlanStatus.DRAFT, action("copy_last_year"), FILING_DAY, "staff"),
    Case("send_for_signoff", PlanStatus.DRAFT, action("send_for_signoff"), FILING_DAY, "staff"),
    Case("send_back", PlanStatus.AWAITING_SIGNOFF, action("send_back", {"reason": "人数再核"}), FILING_DAY, "leader"),
    Case("sign_off", PlanStatus.AWAITING_SIGNOFF, action("sign_off"), FILING_DAY, "leader"),
    Case(
        "recommend",
        PlanStatus.BUREAU_REVIEW,
        lambda plan: action("recommend", {"decisions": [{"line_id": plan.lines.first().pk, "outcome": "approve"}]})(
            plan
        ),
        BUREAU_DAY,
        "bureau_reviewer",
    ),
    Case("approve", PlanStatus.BUREAU_REVIEW, action("approve"), BUREAU_DAY, "bureau_reviewer"),
    Case(
        "return (bureau)",
        PlanStatus.BUREAU_REVIEW,
        action("return", {"reason": "补充材料"}),
        BUREAU_DAY,
        "bureau_reviewer",
    ),
    Case(
        "decide",
        PlanStatus.PROVINCIAL_REVIEW,
        lambda plan: action("decide", {"decisions": [{"line_id": plan.lines.first().pk, "outcome": "approve"}]})(plan),
        PROVINCE_DAY,
        "provincial_reviewer",
    ),
    Case(
        "return (province)",
        PlanStatus.PROVINCIAL_REVIEW,
        action("return", {"reason": "补充材料"}),
        PROVINCE_DAY,
        "provincial_reviewer",
    ),
    Case("publish", PlanStatus.PROVINCIAL_REVIEW, action("publish"), PROVINCE_DAY, "provincial_reviewer", decided=True),
]


def _answers(client, case: Case, plan) -> dict[str, tuple[int, bool]]:
    """Each user's status, and whether anything was audited; every call is rolled back before the next."""
    seen = {}
    for user in User.objects.filter(username__in=EVERYONE):
        events = AuditEvent.objects.count()
        with transaction.atomic():
            method, path, body = case.request(plan)
            caller = ApiClient(client, user)
            events += 1  # the token's creation
            answer = getattr(caller, method)(path) if method == "delete" else getattr(caller, method)(path, body)
            seen[user.username] = (answer.status_code, AuditEvent.objects.count() > events)
            transaction.set_rollback(True)
    return seen


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_matrix_write_endpoint_answers_by_role_and_scope(client, cast, spring, case):
    certificate = make_certificate("物流管理职业技能等级证书", levels=[J])
    plan = plan_in(cast.school1, spring, case.status, [(certificate, J, "物流管理", 40)])
    if case.decided:
        for line in plan.lines.all():
            review_services.decide_line(actor=cast.provincial_reviewer, line=line, outcome="approve", at=PROVINCE_DAY)

    with time_machine.travel(case.at, tick=False):
        seen = _answers(client, case, plan)

    expected = case.expected()
    assert {u: status for u, (status, _changed) in seen.items()} == expected
    # Refusals change nothing; the allowed step audits (copying an empty last year adds no line).
    changed = {u for u, (_status, did) in seen.items() if did}
    assert changed == ({case.allowed} if case.name != "copy_last_year" else set())


def test_matrix_plan_detail_answers_404_outside_scope(client, world):
    plans = world.plans
    seen = {}
    for user in world.users():
        caller = ApiClient(client, user)
        seen[user.username] = {key: caller.get(f"/plans/{plan.pk}").status_code for key, plan in plans.items()}

    expected = SCOPED_MODELS["plan"].expected
    assert seen == {u: {key: 200 if key in expected[u] else 404 for key in plans} for u in EVERYONE}


def _listed(client, world: World, path: str, key) -> dict[str, set[str]]:
    seen = {}
    for user in world.users():
        items = ApiClient(client, user).get(path, limit=200).json()["items"]
        seen[user.username] = {key(item) for item in items}
    return seen


def test_matrix_plan_list_is_exactly_the_pages_scope(client, world):
    names = {plan.pk: key for key, plan in world.plans.items()}

    seen = _listed(client, world, "/plans", lambda item: names[item["id"]])

    assert seen == SCOPED_MODELS["plan"].expected


def test_matrix_institution_list_is_exactly_the_pages_scope(client, world):
    names = {inst.pk: institution_key(inst) for inst in (world.cast.school1, world.cast.college1)} | {
        inst.pk: institution_key(inst) for inst in (world.cast.school2, world.cast.college2)
    }

    seen = _listed(client, world, "/institutions", lambda item: names[item["id"]])

    assert seen == SCOPED_MODELS["institution"].expected


@pytest.mark.parametrize(
    "path", ["/me", "/rounds", "/certificates", "/plans", "/institutions", "/inbox", "/notices", "/awarding-bodies"]
)
def test_matrix_reference_endpoints_answer_everyone(client, world, path):
    seen = {user.username: ApiClient(client, user).get(path).status_code for user in world.users()}

    assert seen == dict.fromkeys(EVERYONE, 200)


@pytest.mark.parametrize(
    "path",
    [
        "/me",
        "/rounds",
        "/certificates",
        "/plans",
        "/institutions",
        "/plans/1",
        "/inbox",
        "/rounds/1/extensions",
        "/notices",
    ],
)
def test_matrix_every_endpoint_refuses_requests_without_a_token(client, db, path):
    answer = client.get(f"/api/v1{path}")

    assert (answer.status_code, answer.json()["status"]) == (401, 401)


def test_matrix_bulk_approval_is_for_reviewers_only(client, world):
    body = {"plan_ids": [plan.pk for plan in world.plans.values()]}
    seen = {
        user.username: ApiClient(client, user).post("/reviews/bulk-approve/preview", body).status_code
        for user in world.users()
    }

    reviewers = {"bureau_reviewer", "other_bureau_reviewer", "provincial_reviewer"}
    assert seen == {u: 200 if u in reviewers else 403 for u in EVERYONE}


def test_matrix_bulk_preview_leaves_out_plans_outside_scope(api, world):
    body = {"plan_ids": [plan.pk for plan in world.plans.values()]}

    preview = api(world.cast.bureau_reviewer).post("/reviews/bulk-approve/preview", body).json()

    listed = {item["plan_id"] for item in preview["ready"] + preview["blocked"]}
    assert listed == {world.plans["school1/spring"].pk}


# --- the office's operations: rounds, catalogue, institutions, users, notices, inbox --------------------------


@dataclass(frozen=True)
class OfficeCase:
    """An operation outside the plan workflow: `allowed` answer `ok`, the others who see the object 403, the rest
    404 (`seen` None: everyone sees it). `request(world)` builds (method, path, body) inside the rolled-back call."""

    name: str
    request: Callable
    allowed: frozenset[str]
    ok: int = 200
    seen: frozenset[str] | None = None
    refused: int = 403  # what those who see the object but may not act answer (409: the step is not theirs)

    def expected(self) -> dict[str, int]:
        seen = EVERYONE if self.seen is None else self.seen
        return {u: self.ok if u in self.allowed else self.refused if u in seen else 404 for u in EVERYONE}


ADMIN = frozenset({"provincial_admin"})
OFFICE = frozenset({"provincial_admin", "provincial_reviewer"})
INSTITUTIONS = frozenset(SCHOOL1 | COLLEGE1 | SCHOOL2)


def _notice(world: World, *, published: bool = True):
    from tests.notices.conftest import make_notice

    return make_notice(world.cast.provincial_admin, published=published)


def _on_notice(verb: str, body=None, *, published: bool = True, method: str = "post"):
    def request(world: World):
        return method, f"/notices/{_notice(world, published=published).pk}/{verb}", body

    return request


def _extension(world: World, **target):
    from rounds.services import grant_extension

    return grant_extension(
        actor=world.cast.provincial_admin,
        round=world.rounds["spring"],
        stage="filing",
        until=FILING_DAY.date().replace(day=20),
        reason="系统故障",
        **target,
    )


def _revoke(world: World):
    extension = _extension(world, institution=world.cast.school1)
    return "post", f"/rounds/{extension.round_id}/extensions/{extension.pk}/revoke", {"reason": "误批"}


OFFICE_CASES = [
    OfficeCase("rounds_create", lambda w: ("post", "/rounds", {"year": 2030, "season": "spring"}), ADMIN, 201),
    OfficeCase(
        "rounds_update",
        lambda w: ("patch", f"/rounds/{w.rounds['spring'].pk}", {"filing_end": "2027-04-09"}),
        ADMIN,
    ),
    OfficeCase(
        "round_extensions_create",
        lambda w: (
            "post",
            f"/rounds/{w.rounds['spring'].pk}/extensions",
            {"stage": "filing", "until": "2027-04-20", "reason": "系统故障", "institution_id": w.cast.school1.pk},
        ),
        ADMIN,
        201,
    ),
    OfficeCase("round_extensions_revoke", _revoke, ADMIN, 204, seen=frozenset(SCHOOL1 | PROVINCE)),
    OfficeCase(
        "notices_create",
        lambda w: ("post", "/notices", {"title": "通知", "year": 2027, "audience": "institutions"}),
        OFFICE,
        201,
    ),
    OfficeCase("notices_publish", _on_notice("publish", published=False), OFFICE, seen=frozenset(PROVINCE)),
    OfficeCase(
        "notices_withdraw", _on_notice("withdraw", {"reason": "文号有误"}), OFFICE, seen=INSTITUTIONS | PROVINCE
    ),
    OfficeCase("notices_remind", _on_notice("remind", {}), OFFICE, seen=INSTITUTIONS | PROVINCE),
    OfficeCase(
        "users_create",
        lambda w: ("post", "/users", {"username": "new", "password": "Anhui-1x-Plan!2027", "role": "observer"}),
        ADMIN,
        201,
    ),
    OfficeCase(
        "users_deactivate", lambda w: ("post", f"/users/{w.cast.staff.pk}/deactivate", {"reason": "调岗"}), ADMIN
    ),
    OfficeCase(
        "users_reset_second_factor", lambda w: ("post", f"/users/{w.cast.staff.pk}/second-factor/reset", None), ADMIN
    ),
    OfficeCase("awarding_bodies_create", lambda w: ("post", "/awarding-bodies", {"name": "某评价组织"}), ADMIN, 201),
    OfficeCase(
        "certificate_restriction_update",
        lambda w: (
            "put",
            f"/certificates/{make_certificate('某证书', levels=[J]).pk}/restriction",
            {"restricted": True, "reason": "暂停"},
        ),
        ADMIN,
    ),
    OfficeCase(
        "certificate_levels_update",
        lambda w: (
            "put",
            f"/certificates/{make_certificate('某证书', levels=[J]).pk}/levels/junior",
            {"min_headcount": 9},
        ),
        ADMIN,
    ),
    OfficeCase(
        "institution_registration_update",
        lambda w: ("put", f"/institutions/{w.cast.school1.pk}/registration", {"platform_account": "ah-1"}),
        frozenset({"staff", "provincial_admin"}),
        seen=frozenset(SCHOOL1 | PROVINCE | REVIEWERS_OF_SCHOOL1),
    ),
    OfficeCase(
        "institution_contacts_update",
        lambda w: ("put", f"/institutions/{w.cast.school1.pk}/contacts", {"contact_name": "王老师"}),
        frozenset({"staff", "office_head", "provincial_admin"}),
        seen=frozenset(SCHOOL1 | PROVINCE | REVIEWERS_OF_SCHOOL1),
    ),
    OfficeCase("notices_confirm", _on_notice("confirm"), INSTITUTIONS, seen=INSTITUTIONS | PROVINCE, refused=409),
]


def _office_answers(client, world: World, case: OfficeCase) -> dict[str, tuple[int, bool]]:
    seen = {}
    for user in world.users():
        with transaction.atomic():
            method, path, body = case.request(world)
            caller = ApiClient(client, user)
            events = AuditEvent.objects.count()
            answer = getattr(caller, method)(path, body)
            seen[user.username] = (answer.status_code, AuditEvent.objects.count() > events)
            transaction.set_rollback(True)
    return seen


@pytest.mark.parametrize("case", OFFICE_CASES, ids=lambda case: case.name)
def test_matrix_office_operation_answers_by_role_and_scope(client, world, case):
    with time_machine.travel(FILING_DAY, tick=False):
        seen = _office_answers(client, world, case)

    assert {u: status for u, (status, _changed) in seen.items()} == case.expected()
    # Refusals change nothing; the allowed ones are audited.
    assert {u for u, (_status, did) in seen.items() if did} == set(case.allowed)


@pytest.mark.parametrize("verb", ["receipts"])
def test_matrix_notice_receipts_are_for_the_province(client, world, verb):
    notice = _notice(world)
    seen = {
        user.username: ApiClient(client, user).get(f"/notices/{notice.pk}/{verb}").status_code for user in world.users()
    }

    assert seen == {u: 200 if u in PROVINCE else 403 if u in INSTITUTIONS else 404 for u in EVERYONE}


# --- the office's operations (issue 18) --------------------------------------------------------------------------

INSTITUTION_PEOPLE = {"staff", "office_head", "leader", "college_staff", "college_office_head", "college_leader"}
INSTITUTION_PEOPLE |= {"other_staff"}
SEES_SCHOOL1 = SCHOOL1 | REVIEWERS_OF_SCHOOL1 | PROVINCE


def answers_by(allowed: set[str], ok: int, *, refused: int = 403, seen: set[str] | None = None) -> dict[str, int]:
    """`ok` for `allowed`, `refused` for the others who see the object (everyone by default), 404 for the rest."""
    seen = EVERYONE if seen is None else seen
    return {u: ok if u in allowed else refused if u in seen else 404 for u in EVERYONE}


@dataclass(frozen=True)
class Operation:
    name: str
    request: Callable  # (objects) -> (method, path, body); "upload" posts the body as multipart
    expected: dict[str, int]
    at: datetime | None = None


def template_file(plan) -> dict:
    from plans.excel import template_response

    return {"file": SimpleUploadedFile("申报条目.xlsx", template_response(plan).content)}


OPERATIONS = [
    Operation(
        "candidates_list",
        lambda o: ("get", f"/monitoring/lines/{o['line'].pk}/candidates", None),
        answers_by(SEES_SCHOOL1, 200, seen=set()),
    ),
    Operation(
        "candidates_reveal",
        lambda o: ("post", f"/monitoring/candidates/{o['candidate'].pk}/reveal", {"reason": "核对"}),
        answers_by({"provincial_admin"}, 200),
    ),
    Operation("dashboard_get", lambda o: ("get", "/monitoring/dashboard", None), answers_by(EVERYONE, 200)),
    Operation(
        "checkpoint_report_download",
        lambda o: ("get", f"/monitoring/checkpoints/{o['checkpoint'].pk}/report.xlsx", None),
        answers_by(EVERYONE - INSTITUTION_PEOPLE, 200),
    ),
    Operation("year_end_get", lambda o: ("get", "/monitoring/year-end/2027", None), answers_by(PROVINCE, 200)),
    Operation(
        "year_end_close",
        lambda o: ("post", "/monitoring/year-end/2027/close", {"reviewed": o["reviewed"]}),
        answers_by({"provincial_reviewer", "provincial_admin"}, 201),
    ),
    Operation(
        "caps_lift",
        lambda o: ("post", f"/monitoring/year-end/2027/caps/{o['line'].plan.institution_id}/lift", {"reason": "扩招"}),
        answers_by({"provincial_admin"}, 200),
    ),
    Operation(
        "bundles_create",
        lambda o: ("post", f"/rounds/{o['line'].plan.round_id}/bundles", None),
        answers_by(PROVINCE, 202, seen=set()),
    ),
    Operation(
        "bundles_get", lambda o: ("get", f"/bundles/{o['bundle'].pk}", None), answers_by(PROVINCE, 200, seen=set())
    ),
    Operation(
        "bundles_download",
        lambda o: ("get", f"/bundles/{o['bundle'].pk}/download", None),
        answers_by(PROVINCE, 200, seen=set()),
    ),
    Operation(
        "plan_lines_template_download",
        lambda o: ("get", f"/plans/{o['draft'].pk}/lines/template.xlsx", None),
        answers_by(SCHOOL1 | PROVINCE, 200, seen=set()),
    ),
    Operation(
        "plan_lines_import_preview",
        lambda o: ("upload", f"/plans/{o['draft'].pk}/lines/import/preview", template_file(o["draft"])),
        answers_by({"staff"}, 200, seen=SCHOOL1 | PROVINCE),
        at=FILING_DAY,
    ),
    Operation("audit_events_list", lambda o: ("get", "/audit/events", None), answers_by({"provincial_admin"}, 200)),
    Operation(
        "audit_events_download",
        lambda o: ("get", "/audit/events/export.xlsx", None),
        answers_by({"provincial_admin"}, 200),
    ),
    Operation(
        "review_queue_list",
        lambda o: ("get", "/reviews/queue", None),
        answers_by({"bureau_reviewer", "other_bureau_reviewer"} | PROVINCE, 200),
    ),
]


@pytest.fixture
def office_objects(cast, spring, autumn, private_storage, monkeypatch) -> dict:
    """A published line of school1 with one candidate, a checkpoint, the year's review, a built bundle, and a
    draft of school1."""
    from documents.services import request_bundle
    from monitoring import services as monitoring_services
    from monitoring.closing import prepare_review
    from monitoring.yearend import fingerprint
    from tests.adjustments.factories import published
    from tests.api.test_monitoring_office import TEST_KEY, candidate

    monkeypatch.setenv("ONEX_ID_KEY", TEST_KEY)
    certificate = make_certificate("物流管理职业技能等级证书", levels=[J])
    line = published(cast.school1, spring, [(certificate, J, "物流管理", 40)]).lines.get()
    checkpoint, _taken = monitoring_services.take_checkpoint(year=2027, month=6, actor=cast.provincial_reviewer)
    return {
        "line": line,
        "candidate": candidate(line),
        "checkpoint": checkpoint,
        "reviewed": fingerprint(prepare_review(year=2027)),
        "bundle": request_bundle(user=cast.provincial_reviewer, round_=spring),
        "draft": plan_in(cast.school1, autumn, PlanStatus.DRAFT, [(certificate, J, "物流管理", 30)]),
    }


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda operation: operation.name)
def test_matrix_monitoring_audit_queue_operation_answers_by_role_and_scope(client, cast, office_objects, operation):
    seen = {}
    for user in User.objects.filter(username__in=EVERYONE):
        with transaction.atomic(), time_machine.travel(operation.at or timezone.now(), tick=False):
            method, path, body = operation.request(office_objects)
            caller = ApiClient(client, user)
            if method == "upload":
                answer = client.post(f"/api/v1{path}", body, headers=caller.headers)
            else:
                answer = caller.get(path) if method == "get" else caller.post(path, body)
            if answer.streaming:
                b"".join(answer.streaming_content)  # read to the end: the test client then closes the file
            seen[user.username] = answer.status_code
            transaction.set_rollback(True)

    assert seen == operation.expected
