"""The reference imports through the API, as jobs: the same importers as the import page, the report kept on the
job; a refused file or another role changes nothing."""

from __future__ import annotations

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from catalog.models import Certificate
from institutions.models import Bureau, ReferenceImport

PLATFORM_JSON = [
    {
        "certificateId": "p-1",
        "certificateName": "物流管理职业技能等级证书",
        "xzhOrgName": "北京中物联物流采购培训中心",
        "certificateGrade": "1",
    }
]


def _upload(api_client, kind: str, name: str, content: bytes):
    """Upload, let the queued job run (it is queued when the request's transaction commits), read the job back."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        answer = api_client.client.post(
            "/api/v1/reference-imports",
            {"kind": kind, "file": SimpleUploadedFile(name, content)},
            headers=api_client.headers,
        )
    if answer.status_code != 202:
        return answer
    assert answer.json()["state"] == "queued"  # answered before the job ran
    return api_client.get(f"/reference-imports/{answer.json()['id']}")


def test_reference_import_of_bureaus_runs_as_a_job_with_its_report(api, cast, private_storage):
    answer = _upload(api(cast.provincial_admin), "bureaus", "cities.csv", "city\n安庆市\n合肥市\n".encode())

    job = answer.json()
    assert (answer.status_code, job["kind"], job["state"]) == (200, "bureaus", "done")  # the job read back
    assert (job["report"]["created"], job["report"]["errors"]) == (1, [])
    assert Bureau.objects.filter(name="安庆市").exists()
    read = api(cast.provincial_admin).get(f"/reference-imports/{job['id']}").json()
    assert read["state"] == "done"


def test_reference_import_refuses_a_bad_row_whole_and_a_wrong_format(api, cast, private_storage):
    admin = api(cast.provincial_admin)

    bad = _upload(admin, "bureaus", "cities.csv", "city\n安庆市\n\n安庆市\n".encode()).json()
    wrong = _upload(admin, "institutions", "list.json", b"[]")

    assert (bad["state"], bool(bad["report"]["errors"])) == ("refused", True)
    assert not Bureau.objects.filter(name="安庆市").exists()
    assert (wrong.status_code, wrong.json()["type"]) == (422, "urn:onex:problem:file-refused")
    assert ReferenceImport.objects.count() == 1


def test_reference_import_of_the_platforms_json_is_for_the_admin_only(api, cast, private_storage):
    content = json.dumps(PLATFORM_JSON, ensure_ascii=False).encode()

    refused = _upload(api(cast.provincial_reviewer), "certificates", "platform.json", content)
    listed = api(cast.provincial_reviewer).get("/reference-imports")
    done = _upload(api(cast.provincial_admin), "certificates", "platform.json", content).json()

    assert (refused.status_code, listed.status_code) == (403, 403)
    assert (done["state"], done["report"]["errors"]) == ("done", [])
    assert Certificate.objects.filter(name="物流管理职业技能等级证书").exists()
