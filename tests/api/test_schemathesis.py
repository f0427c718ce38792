"""Property-based testing of the whole API against its own description (schemathesis), on the demo data.

The Django application itself is the server (WSGI, in this process and this test's database): load_demo fills
the database, a token of the demo's school staff and one of the provincial reviewer sign the requests, and every
operation of /api/v1/openapi.json gets up to `MAX_EXAMPLES` generated requests (derandomized, so a run is repeatable).
Ids in paths and bodies are drawn two times in three from the objects that exist, so the requests reach the
services and not only the 404s. Every response must be no 5xx and conform to the description: status code,
content type, headers and body schema, and authentication must be enforced.
"""

from __future__ import annotations

import io
import logging
import os
from datetime import datetime

import pytest
import schemathesis
import time_machine
from django.core import signals
from django.core.management import call_command
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import User
from adjustments.models import AdjustmentRequest
from api.services import create_token
from catalog.models import Certificate
from core.dates import SHANGHAI
from documents.models import Bundle, Scan
from institutions.models import Bureau, Institution
from monitoring.models import Candidate, Checkpoint, ProgressImport
from notices.models import Notice
from notifications.models import Notification
from onex.wsgi import application
from plans import services as plan_services
from plans.models import Plan, PlanLine
from rounds.models import Extension, Round

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "25"))  # per operation and run
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    ignored_auth,
]
# Outside the notice's windows: load_demo then extends this year's spring round for the demo accounts.
DEMO_DAY = datetime(2027, 5, 10, 10, 0, tzinfo=SHANGHAI)
# Valid requests as each kind of user, and invalid ones (negative mode), which must be refused with a documented
# 4xx problem, never a 5xx. The school's run is the fullest (it can change the most); the others sample fewer
# examples per operation so that the whole test stays within a few minutes.
RUNS = [
    ("school_staff", GenerationMode.POSITIVE, MAX_EXAMPLES),
    ("province_reviewer", GenerationMode.POSITIVE, max(1, MAX_EXAMPLES * 3 // 5)),
    ("bureau_hefei", GenerationMode.POSITIVE, max(1, MAX_EXAMPLES * 2 // 5)),
    ("school_staff", GenerationMode.NEGATIVE, max(1, MAX_EXAMPLES * 2 // 5)),
]
NEGATIVE_CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance]


@pytest.fixture
def wsgi_in_this_transaction():
    """The WSGI handler closes the database connection after each request (Django's test client does not): keep it
    open, so the application answers inside this test's transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def demo(db, settings, tmp_path, wsgi_in_this_transaction):
    settings.API_RATE_LIMIT = 1_000_000
    private = tmp_path / "private"  # an upload that passes its checks lands here, not in var/
    private.mkdir()
    settings.STORAGES = settings.STORAGES | {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(private)}}
    }
    # Refusals (401 from the auth probes, 403, 404) are the point here; 500s still log at ERROR.
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.ERROR)
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    with time_machine.travel(DEMO_DAY, tick=False):
        call_command("load_demo", accounts_file=str(tmp_path / "accounts.txt"), stdout=io.StringIO())
        staff = User.objects.get(username="school_staff")
        plan = plan_services.open_plan(actor=staff, round=Round.objects.get(year=2027, season="spring"), at=DEMO_DAY)
        certificate = Certificate.objects.get(name="物流管理职业技能等级证书")
        plan_services.add_line(
            actor=staff, plan=plan, certificate=certificate, level="junior", major_name="物流服务与管理", headcount=30
        )
        yield
    request_log.setLevel(level)


def wsgi_app(environ, start_response):
    """The application as a WSGI server runs it: the body read to the end, then the response closed (a streamed
    file is closed there; schemathesis's WSGI client does not call close())."""
    result = application(environ, start_response)
    try:
        return [b"".join(result)]
    finally:
        if hasattr(result, "close"):
            result.close()


def _real_ids(user) -> dict[str, list[int]]:
    """Ids that exist, those in the user's scope first (drawn more often)."""
    mine = list(Plan.objects.for_user(user).order_by("pk").values_list("pk", flat=True))
    every = list(Plan.objects.order_by("pk").values_list("pk", flat=True))
    return {
        "plan_id": mine * 3 + every,
        "line_id": list(PlanLine.objects.filter(plan_id__in=mine).order_by("pk").values_list("pk", flat=True)),
        "certificate_id": list(Certificate.objects.order_by("pk").values_list("pk", flat=True)[:50]),
        "round_id": list(Round.objects.order_by("pk").values_list("pk", flat=True)),
        "adjustment_id": list(AdjustmentRequest.objects.for_user(user).order_by("pk").values_list("pk", flat=True)),
        "scan_id": list(Scan.objects.for_user(user).order_by("pk").values_list("pk", flat=True)),
        "import_id": list(ProgressImport.objects.for_user(user).order_by("pk").values_list("pk", flat=True)),
        "checkpoint_id": list(Checkpoint.objects.order_by("pk").values_list("pk", flat=True)),
        "candidate_id": list(Candidate.objects.for_user(user).order_by("pk").values_list("pk", flat=True)[:50]),
        "bundle_id": list(Bundle.objects.for_user(user).order_by("pk").values_list("pk", flat=True)),
        "institution_id": list(Institution.objects.for_user(user).order_by("pk").values_list("pk", flat=True)[:50]),
        "bureau_id": list(Bureau.objects.for_user(user).order_by("pk").values_list("pk", flat=True)),
        "extension_id": list(Extension.objects.for_user(user).order_by("pk").values_list("pk", flat=True)),
        "notice_id": list(Notice.objects.for_user(user).order_by("pk").values_list("pk", flat=True)[:50]),
        "user_id": list(User.objects.for_user(user).order_by("pk").values_list("pk", flat=True)[:50]),
        "message_id": list(Notification.objects.for_user(user).order_by("pk").values_list("pk", flat=True)[:50]),
    }


def _with_real_ids(case, ids: dict[str, list[int]]):
    """Two times in three, ids that exist in place of generated ones (in the path and at the body's top level)."""

    def pick(pool: list[int], generated):
        return st.sampled_from(pool) | st.sampled_from(pool) | st.just(generated) if pool else st.just(generated)

    replacements = {}
    for name, value in (case.path_parameters or {}).items():
        if name in ids:
            replacements[("path", name)] = pick(ids[name], value)
    body = case.body if isinstance(case.body, dict) else {}
    for name in ("certificate_id", "round_id"):
        if name in body:
            replacements[("body", name)] = pick(ids[name], body[name])
    if not replacements:
        return st.just(case)

    def apply(values: dict):
        # Each draw makes a new case, so changing it in place is safe (Case has slots: no copy.copy).
        for (where, name), value in values.items():
            (case.path_parameters if where == "path" else case.body)[name] = value
        return case

    return st.fixed_dictionaries(replacements).map(apply)


def _run_operation(operation, mode: GenerationMode, examples: int, headers: dict, ids: dict) -> list[str]:
    """The operation's failure (the smallest example Hypothesis found), if any."""
    strategy = operation.as_strategy(generation_mode=mode).flatmap(lambda case: _with_real_ids(case, ids))
    checks = CHECKS if mode == GenerationMode.POSITIVE else NEGATIVE_CHECKS

    @settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    @given(case=strategy)
    def check(case):
        case.call_and_validate(headers=headers, checks=checks)

    try:
        check()
    # Schemathesis reports several failures of one example as a BaseExceptionGroup; every operation's failure is
    # collected, not only the first.
    except (Exception, BaseExceptionGroup) as failure:  # noqa: BLE001
        return [f"{operation.label}: {type(failure).__name__}: {failure}"]
    return []


@pytest.mark.parametrize(("username", "mode", "examples"), RUNS, ids=[f"{user}-{mode.value}" for user, mode, _ in RUNS])
def test_schemathesis_every_operation_conforms_and_never_fails_on_the_demo_data(demo, username, mode, examples):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    with time_machine.travel(DEMO_DAY, tick=False):
        user = User.objects.get(username=username)
        _token, raw = create_token(user=user, name="schemathesis", at=timezone.now())
        headers = {"Authorization": f"Bearer {raw}"}
        ids = _real_ids(user)
        operations = [result.ok() for result in schema.get_all_operations()]
        failures = [
            failure for operation in operations for failure in _run_operation(operation, mode, examples, headers, ids)
        ]

    assert len(operations) >= 70
    assert failures == [], "\n\n".join(failures)
