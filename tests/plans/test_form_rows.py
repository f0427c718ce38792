"""附件1's lists as table rows (issue 15 item 12): majors, teachers and assessors, experts entered row by row, stored
as before (a list of dicts), read back into rows, and text typed one entry per line still read."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from plans.forms import ApplicationFormForm
from plans.models import ApplicationForm
from tests.conftest import make_certificate, make_round
from tests.core.test_date_round_trip import posted
from tests.factories import J, complete_form, draft


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_form_rows_posted_row_by_row_are_cleaned_into_the_stored_lists():
    data = {
        "majors-0-name": "物流管理",
        "majors-0-students": "120",
        "majors-2-name": "电子商务",  # row 1 was removed in the browser
        "majors-2-students": "80",
        "majors-3-name": "",  # the empty row left to type into
        "majors-3-students": "",
        "teachers-0-name": "张老师",
        "teachers-0-title": "讲师",
        "teachers-0-role": "考评员",
        "experts-0-name": "李教授",
        "experts-0-title": "教授",
        "experts-0-affiliation": "安徽大学, 合肥",  # a comma inside a cell stays in the cell
    }

    form = ApplicationFormForm(data=data)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["majors"] == [{"name": "物流管理", "students": 120}, {"name": "电子商务", "students": 80}]
    assert form.cleaned_data["teachers"] == [{"name": "张老师", "title": "讲师", "role": "考评员"}]
    assert form.cleaned_data["experts"] == [{"name": "李教授", "title": "教授", "affiliation": "安徽大学, 合肥"}]


def test_form_rows_still_read_text_typed_one_entry_per_line():
    form = ApplicationFormForm(data={"majors": "物流管理 | 120\n电子商务，80", "experts": "李教授 | 教授 | 安徽大学"})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["majors"] == [{"name": "物流管理", "students": 120}, {"name": "电子商务", "students": 80}]
    assert form.cleaned_data["experts"] == [{"name": "李教授", "title": "教授", "affiliation": "安徽大学"}]


def test_form_rows_refuse_an_expert_without_affiliation_naming_the_row():
    form = ApplicationFormForm(data={"experts-0-name": "李教授", "experts-0-title": "教授"})

    assert form.errors == {"experts": ["“李教授 | 教授”: give the expert's title and affiliation."]}


def test_form_rows_refuse_a_major_without_students():
    form = ApplicationFormForm(data={"majors-0-name": "物流管理", "majors-0-students": ""})

    assert list(form.errors) == ["majors"]


def test_form_rows_saved_lists_render_as_rows_and_round_trip_unchanged(cast):
    certificate = make_certificate("物流管理职业技能等级证书", batch=1)
    saved = complete_form(draft(cast.school1, make_round(2027)), certificate)
    saved = ApplicationForm.objects.get(pk=saved.pk)

    page = ApplicationFormForm(initial=ApplicationFormForm.initial_from(saved))
    html = str(page)
    again = ApplicationFormForm(data=posted(page))

    assert 'name="experts-0-affiliation" value="安徽大学"' in html
    assert "data-rows-add" in html and "<template>" in html
    assert again.is_valid(), again.errors
    assert {name: again.cleaned_data[name] for name in ("majors", "teachers", "experts", "review_date")} == {
        "majors": saved.majors,
        "teachers": saved.teachers,
        "experts": saved.experts,
        "review_date": date(2027, 3, 20),
    }


def test_form_rows_page_saves_the_rows(client, cast, spring, time_machine):
    certificate = make_certificate("物流管理职业技能等级证书", batch=1)
    plan = draft(cast.school1, spring, [(certificate, J, "物流管理", 30)])
    time_machine.move_to(date(2027, 4, 3))
    client.force_login(cast.staff)

    response = client.post(
        reverse("form_edit", args=[plan.pk, certificate.pk]),
        {
            "majors-0-name": "物流管理",
            "majors-0-students": "120",
            "experts-0-name": "李教授",
            "experts-0-title": "教授",
            "experts-0-affiliation": "安徽大学",
        },
    )

    saved = ApplicationForm.objects.get(plan=plan, certificate=certificate)
    assert response.status_code == 302
    assert (saved.majors, saved.experts) == (
        [{"name": "物流管理", "students": 120}],
        [{"name": "李教授", "title": "教授", "affiliation": "安徽大学"}],
    )
