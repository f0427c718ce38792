"""The whole round of the notice, for both kinds of institution, through a Python client generated from
openapi.json by openapi-python-client — as an integrator would build on the API, with nothing but the description.

The generator lives in its own virtualenv (.tools/openapi-client, from requirements-tools.lock, made by
scripts/client-generator.sh); the generated client needs only httpx and attrs (requirements-dev.lock). It talks
HTTP to the live test server: a secondary school files and goes through its city bureau, a college goes straight
to the province; both plans are decided, published and read back, and the school downloads its summary sheet."""

from __future__ import annotations

import importlib
import importlib.util
import io
import json
import os
import subprocess
import sys
from http import HTTPStatus
from pathlib import Path

import pytest
import time_machine
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from openpyxl import load_workbook

from api.main import api as onex_api
from api.services import create_token
from tests.api.conftest import BUREAU_DAY, FILING_DAY, PROVINCE_DAY
from tests.conftest import make_certificate
from tests.reviews.factories import J

ROOT = Path(__file__).resolve().parents[2]
# The one kind of warning the generator may give: a file answer (Excel, Word, PDF) is left to `.content`.
FILE_ANSWER = "Unsupported content_type"

pytestmark = pytest.mark.usefixtures("private_storage")


def generator_warnings(output: str) -> list[str]:
    blocks = output.split("WARNING parsing ")[1:]
    return [block.splitlines()[0] for block in blocks if FILE_ANSWER not in block]


@pytest.fixture(scope="session")
def onex_client(tmp_path_factory):
    """The package generated from this description, importable as `onex_client`."""
    for runtime in ("httpx", "attrs"):  # requirements-dev.lock; scripts/setup.sh --dev installs them: never skipped
        assert importlib.util.find_spec(runtime), f"{runtime} is missing: run scripts/setup.sh --dev"
    generator = subprocess.run(
        [ROOT / "scripts" / "client-generator.sh"], check=True, capture_output=True, text=True
    ).stdout.strip()
    where = tmp_path_factory.mktemp("generated")
    (where / "openapi.json").write_text(json.dumps(onex_api.get_openapi_schema(), cls=DjangoJSONEncoder))
    # Its post-generation hooks run its own ruff, from its own virtualenv.
    env = {**os.environ, "PATH": f"{Path(generator).parent}{os.pathsep}{os.environ['PATH']}"}
    command = [generator, "generate", "--path", "openapi.json", "--meta", "none", "--output-path", "onex_client"]
    done = subprocess.run(command, cwd=where, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert generator_warnings(done.stdout + done.stderr) == []
    sys.path.insert(0, str(where))
    yield importlib.import_module("onex_client")
    sys.path.remove(str(where))


class Integrator:
    """One person's generated client and the generated operations, by tag."""

    def __init__(self, package, base_url: str, user):
        _token, raw = create_token(user=user, name="integration", at=timezone.now())
        self.client = package.AuthenticatedClient(base_url=base_url, token=raw)
        self.api = importlib.import_module("onex_client.api")
        self.models = importlib.import_module("onex_client.models")

    def op(self, tag: str, operation_id: str):
        return importlib.import_module(f"onex_client.api.{tag}.{operation_id}")

    def call(self, tag: str, operation_id: str, *args, **kwargs):
        """The parsed answer; anything but a 2xx fails the test with the problem's detail."""
        answer = self.op(tag, operation_id).sync_detailed(*args, client=self.client, **kwargs)
        assert 200 <= answer.status_code < 300, (operation_id, answer.status_code, answer.content.decode())
        return answer.parsed


@pytest.fixture
def integrator(onex_client, live_server):
    """integrator(user) → an Integrator on the live server; their connections closed after the test."""
    people: list[Integrator] = []

    def make(user) -> Integrator:
        people.append(Integrator(onex_client, live_server.url, user))
        return people[-1]

    yield make
    for person in people:
        person.client.get_httpx_client().close()


def step(person: Integrator, plan_id: int, action: str, body=None):
    # Always a body, if an empty one: the generated method sends its UNSET marker for a body left out.
    body = person.models.ActionIn() if body is None else body
    return person.call("plans", "plan_steps_take", plan_id, person.models.PlanStepsTakeAction(action), body=body)


def file_plan(person: Integrator, leader: Integrator, round_id: int, certificate_id: int, headcount: int):
    """Open a plan, add one line, fill the new certificate's form, send it for sign-off and sign it off: the line's
    id and the plan's status after."""
    m = person.models
    plan = person.call("plans", "plans_create", body=m.PlanCreateIn(round_id=round_id))
    line = person.call(
        "plans",
        "plan_lines_create",
        plan.id,
        body=m.LineIn(certificate_id=certificate_id, level=m.Level.JUNIOR, major_name="物流管理", headcount=headcount),
    )
    form = m.ApplicationFormIn(
        majors=[m.FormMajorIn(name="物流管理", students=120)],
        teachers=[m.FormTeacherIn(name="张老师", title="讲师", role="考评员")],
        facilities="物流实训室两间",
        is_exam_site=True,
        enterprises="京东物流",
        training_plan="每周4学时，共16周",
        budget_amount="50000.00",
        budget_source="学校专项经费",
        review_date=FILING_DAY.date(),
        experts=[m.FormExpertIn(name="李教授", title="教授", affiliation="安徽大学")],
        review_conclusion="同意申报",
    )
    saved = person.call("plans", "plan_forms_save", plan.id, certificate_id, body=form)
    assert saved.complete is True
    step(person, plan.id, "send_for_signoff")
    signed = step(leader, plan.id, "sign_off")
    return line.id, signed.plan.status


def decide_and_publish(province: Integrator, plan_id: int, line_id: int, headcount: int):
    m = province.models
    decision = m.LineDecisionIn(line_id=line_id, outcome=m.Outcome.REDUCE, headcount=headcount, reason="实训工位不足")
    step(province, plan_id, "decide", m.ActionIn(decisions=[decision]))
    return step(province, plan_id, "publish").plan.status


def test_generated_client_runs_a_whole_round_for_a_school_and_a_college(integrator, cast, spring):
    make_certificate("物流管理职业技能等级证书", levels=[J])
    school, school_leader = integrator(cast.staff), integrator(cast.leader)
    college, college_leader = integrator(cast.college_staff), integrator(cast.college_leader)
    bureau, province = integrator(cast.bureau_reviewer), integrator(cast.provincial_reviewer)
    m = school.models

    with time_machine.travel(FILING_DAY, tick=False):
        rounds = school.call("rounds", "rounds_list")
        [round_id] = [r.id for r in rounds.items if (r.year, r.season) == (2027, "spring")]
        [found] = school.call("catalogue", "certificates_list", q="wlgl").items
        school_line, school_status = file_plan(school, school_leader, round_id, found.id, 40)
        college_line, college_status = file_plan(college, college_leader, round_id, found.id, 60)

    with time_machine.travel(BUREAU_DAY, tick=False):
        queue = bureau.call("plans", "plans_list", status=m.PlanStatus.BUREAU_REVIEW)
        [school_plan] = [p.id for p in queue.items]
        recommendation = m.LineDecisionIn(line_id=school_line, outcome=m.Outcome.APPROVE)
        step(bureau, school_plan, "recommend", m.ActionIn(decisions=[recommendation]))
        forwarded = step(bureau, school_plan, "approve", m.ActionIn(reason="材料齐全")).plan.status

    with time_machine.travel(PROVINCE_DAY, tick=False):
        waiting = province.call("plans", "plans_list", status=m.PlanStatus.PROVINCIAL_REVIEW)
        plans = {p.institution.kind: p.id for p in waiting.items}
        published = [
            decide_and_publish(province, plans[m.InstitutionKind.SECONDARY_VOCATIONAL], school_line, 35),
            decide_and_publish(province, plans[m.InstitutionKind.HIGHER_VOCATIONAL], college_line, 50),
        ]
        school_final = school.call("plans", "plans_get", school_plan)
        college_final = college.call("plans", "plans_get", plans[m.InstitutionKind.HIGHER_VOCATIONAL])
        sheet = school.op("documents", "plan_summary_download").sync_detailed(school_plan, client=school.client)

    assert (school_status, college_status) == ("bureau_review", "provincial_review")
    assert forwarded == "provincial_review"
    assert published == ["published", "published"]
    assert [(ln.headcount, ln.approved_headcount) for ln in school_final.lines] == [(40, 35)]
    assert [(ln.headcount, ln.approved_headcount) for ln in college_final.lines] == [(60, 50)]
    assert (sheet.status_code, sheet.headers["Content-Type"]) == (
        HTTPStatus.OK,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    rows = [[c.value for c in row] for row in load_workbook(io.BytesIO(sheet.content)).active.iter_rows()]
    assert any("物流管理" in row and 40 in row for row in rows)
