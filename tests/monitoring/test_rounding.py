"""The institution page and the institutions download show 40 of 45 as 88.9 % (half up), not 88.8 %."""

import io

from django.urls import reverse
from python_calamine import CalamineWorkbook

from monitoring import services
from tests.factories import published_plan
from tests.monitoring.factories import J, line_of


def test_rates_are_rounded_half_up_on_the_page_and_in_the_download(client, cast, plans, frozen):
    plan = published_plan(cast.school2, 2027, [(plans["care"], J, "护理", 45)])
    services.record_line_progress(
        actor=None, line=line_of(plan, plans["care"], J), counts=services.Counts(registered=45, examined=40, passed=40)
    )
    client.force_login(cast.provincial_reviewer)

    page = client.get(reverse("monitoring:institution", args=[cast.school2.pk]) + "?year=2027")
    sheet = client.get(reverse("monitoring:institutions_xlsx") + "?year=2027&bureau=" + str(cast.bureau2.pk))

    cells = CalamineWorkbook.from_filelike(io.BytesIO(sheet.content)).get_sheet_by_index(0).to_python()
    assert '<td class="text-end" data-testid="completion">88.9%</td>' in page.content.decode()
    assert [row for row in cells if row[0] == cast.school2.name][0][-3:] == [88.9, 88.9, 100.0]
