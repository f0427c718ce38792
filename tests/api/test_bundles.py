"""The round bundle through the API: asked for by the province, built in the background, downloaded for a week on
the pages' export limit; everyone else gets 404, as on the page."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime, timedelta

import pytest
import time_machine

from audit.models import AuditEvent
from core.dates import SHANGHAI
from documents.models import Bundle
from tests.adjustments.factories import J, published
from tests.conftest import make_certificate

NOW = datetime(2027, 4, 16, 9, 0, tzinfo=SHANGHAI)
pytestmark = pytest.mark.usefixtures("private_storage")


@pytest.fixture
def plan(cast, spring):
    certificate = make_certificate("物流管理职业技能等级证书", levels=[J])
    return published(cast.college2, spring, [(certificate, J, "物流管理", 40)])


def test_bundle_is_asked_for_built_and_downloaded_by_the_province_for_a_week(api, cast, spring, plan):
    with time_machine.travel(NOW, tick=False):
        asked = api(cast.provincial_reviewer).post(f"/rounds/{spring.pk}/bundles")
        bundle_id = asked.json()["id"]
        shown = api(cast.observer).get(f"/bundles/{bundle_id}").json()
    with time_machine.travel(NOW + timedelta(days=6, hours=23), tick=False):
        zipped = api(cast.provincial_admin).get(f"/bundles/{bundle_id}/download")
        content = b"".join(zipped.streaming_content)
    with time_machine.travel(NOW + timedelta(days=7), tick=False):
        expired = api(cast.provincial_admin).get(f"/bundles/{bundle_id}/download")

    assert (asked.status_code, asked.json()["round"]["id"]) == (202, spring.pk)
    assert (shown["status"], shown["percent"], shown["available"]) == ("done", 100, True)
    assert (zipped.status_code, zipped["Content-Type"], zipped["Cache-Control"]) == (200, "application/zip", "no-store")
    assert zipfile.ZipFile(io.BytesIO(content)).testzip() is None
    assert (expired.status_code, expired.json()["status"]) == (410, 410)
    assert AuditEvent.objects.filter(action="bundle.request").count() == 1


def test_bundle_is_404_outside_the_province(api, cast, spring, plan):
    bundle_id = api(cast.provincial_reviewer).post(f"/rounds/{spring.pk}/bundles").json()["id"]

    seen = {
        name: (
            api(getattr(cast, name)).post(f"/rounds/{spring.pk}/bundles").status_code,
            api(getattr(cast, name)).get(f"/bundles/{bundle_id}").status_code,
            api(getattr(cast, name)).get(f"/bundles/{bundle_id}/download").status_code,
        )
        for name in ["staff", "bureau_reviewer"]
    }

    assert seen == {"staff": (404, 404, 404), "bureau_reviewer": (404, 404, 404)}
    assert Bundle.objects.count() == 1


def test_bundle_still_being_built_is_refused_409(api, cast, spring, plan, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    bundle_id = api(cast.provincial_reviewer).post(f"/rounds/{spring.pk}/bundles").json()["id"]

    answer = api(cast.provincial_reviewer).get(f"/bundles/{bundle_id}/download")

    assert (answer.status_code, answer.json()["type"]) == (409, "urn:onex:problem:step-refused")


def test_bundle_download_spends_the_export_limit(api, cast, spring, plan, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "export": "1/600"}
    bundle_id = api(cast.provincial_reviewer).post(f"/rounds/{spring.pk}/bundles").json()["id"]
    caller = api(cast.provincial_reviewer)

    answers = [caller.get(f"/bundles/{bundle_id}/download") for _ in "ab"]
    b"".join(answers[0].streaming_content)  # read to the end: the test client then closes the file

    assert [answer.status_code for answer in answers] == [200, 429]
