"""Zero-width and bidirectional characters cannot make a second "护理" beside "护理" (R4), nor a second bureau,
institution or certificate of the same name: every input boundary normalises (core.text) before it compares."""

from __future__ import annotations

import io
from datetime import datetime

import openpyxl
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from adjustments.rules import Change
from catalog.importers import import_certificates
from catalog.models import Certificate
from core.dates import SHANGHAI
from institutions.importers import import_bureaus, import_institutions
from institutions.models import Bureau, Institution
from plans import services
from plans.excel import COLUMNS
from plans.line_import import compare, read_lines
from plans.models import PlanLine
from tests.api.conftest import ApiClient
from tests.conftest import make_certificate
from tests.factories import J, draft
from tests.institutions.helpers import write_csv

FILING = datetime(2027, 4, 3, 10, 0, tzinfo=SHANGHAI)
# The same major to the eye: a zero-width space, a word joiner, a BOM, a right-to-left override, a bidi isolate.
LOOKALIKES = ["护\u200b理", "\u2060护理", "\ufeff护理", "护理\u202e", "\u2066护理\u2069", "护\u00ad理"]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def nursing(cast, spring):
    certificate = make_certificate("母婴护理职业技能等级证书", levels=[J])
    return draft(cast.school1, spring, [(certificate, J, "护理", 30)]), certificate


@pytest.mark.parametrize("major", LOOKALIKES)
def test_invisible_characters_in_a_major_are_an_r4_duplicate_in_the_service(cast, nursing, major):
    plan, certificate = nursing

    with pytest.raises(services.RuleError) as raised:
        services.add_line(actor=cast.staff, plan=plan, certificate=certificate, level=J, major_name=major, headcount=9)

    assert ([v.code for v in raised.value.violations], PlanLine.objects.count()) == (["R4"], 1)


@pytest.mark.parametrize("major", LOOKALIKES)
def test_invisible_characters_in_a_major_are_an_r4_duplicate_on_the_page(client, cast, nursing, major):
    plan, certificate = nursing
    client.force_login(cast.staff)

    with time_machine.travel(FILING, tick=False):
        client.post(
            reverse("line_add", args=[plan.pk]),
            {"certificate": certificate.pk, "level": J, "major_name": major, "headcount": 9},
        )

    assert list(PlanLine.objects.values_list("major_name", flat=True)) == ["护理"]


@pytest.mark.parametrize("major", LOOKALIKES)
def test_invisible_characters_in_a_major_are_an_r4_duplicate_in_the_api(client, cast, nursing, major):
    plan, certificate = nursing
    body = {"certificate_id": certificate.pk, "level": J, "major_name": major, "headcount": 9}

    with time_machine.travel(FILING, tick=False):
        answer = ApiClient(client, cast.staff).post(f"/plans/{plan.pk}/lines", body)

    assert (answer.status_code, [v["rule"] for v in answer.json()["violations"]]) == (422, ["R4"])
    assert PlanLine.objects.count() == 1


def test_invisible_characters_in_a_major_are_the_same_line_in_the_excel_round_trip(cast, nursing):
    plan, _certificate = nursing
    book = openpyxl.Workbook()
    book.active.append(COLUMNS)
    book.active.append(["母婴护理职业技能等级证书", "初级", "护\u200b理", "", 9, "", ""])
    buffer = io.BytesIO()
    book.save(buffer)

    read = read_lines(SimpleUploadedFile("lines.xlsx", buffer.getvalue()))
    diff = compare(plan, read.lines)

    assert (read.errors, diff.added, [c.line.major_name for c in diff.changed]) == ([], [], ["护理"])
    assert [c.fields for c in diff.changed][0][0][1:] == ("30", "9")


def test_invisible_characters_in_an_adjustments_new_major_compare_as_the_line_they_copy():
    assert Change(headcount=5, certificate_id=1, level=J, major_name="护\u202e理").key == (1, J, "护理")


def test_remarks_and_codes_are_stored_without_invisible_characters(cast, nursing):
    plan, certificate = nursing

    line = services.add_line(
        actor=cast.staff,
        plan=plan,
        certificate=certificate,
        level=J,
        major_name="\u200b助产",
        major_code="520202\u2060",
        remark="按实际\u202e报名",
        headcount=9,
    )

    line.refresh_from_db()
    assert (line.major_name, line.major_code, line.remark) == ("助产", "520202", "按实际报名")


def test_invisible_characters_make_no_second_bureau_or_institution(db, tmp_path):
    import_bureaus(write_csv(tmp_path / "b.csv", [["city"], ["合肥市"]]))
    header = ["name", "city", "level", "moe_code", "authority", "remarks", "source"]
    import_institutions(write_csv(tmp_path / "i.csv", [header, ["合肥财经职业学院", "合肥市", "专科", "", "", "", ""]]))

    bureaus = import_bureaus(write_csv(tmp_path / "b2.csv", [["city"], ["合肥\u200b市"]]))
    institutions = import_institutions(
        write_csv(tmp_path / "i2.csv", [header, ["合肥财经\u202e职业学院", "\u2060合肥市", "专科", "", "", "", ""]])
    )

    assert (bureaus.created, institutions.created) == (0, 0)
    assert list(Bureau.objects.values_list("name", flat=True)) == ["合肥市"]
    assert list(Institution.objects.values_list("name", flat=True)) == ["合肥财经职业学院"]


def test_invisible_characters_make_no_second_certificate(db, tmp_path):
    header = ["batch", "name", "organization", "levels_seen", "source"]
    import_certificates(write_csv(tmp_path / "a.csv", [header, ["2", "甲证书", "甲组织", "中级", ""]]))

    report = import_certificates(
        write_csv(tmp_path / "b.csv", [header, ["2", "甲\u200b证书", "甲组织\u202e", "中级", ""]])
    )

    assert (report.created, list(Certificate.objects.values_list("name", "awarding_body__name"))) == (
        0,
        [("甲证书", "甲组织")],
    )
