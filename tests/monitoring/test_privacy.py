"""No whole ID number in anything OneX shows or hands out. The autouse `produced` fixture scans every
response, download, log line, audit event and e-mail of every monitoring test; this test makes sure
one run goes through every kind of page and file that shows candidates or their rows."""

from datetime import date

from django.urls import reverse

from monitoring import services
from monitoring.figures import FIGURES
from monitoring.models import Candidate, Checkpoint, ProgressImport
from tests.monitoring.conftest import LOGISTICS
from tests.monitoring.factories import CANDIDATE_HEADERS, bad_check_digit, id_number, write_xlsx
from tests.monitoring.helpers import confirm, upload


def test_no_whole_id_number_in_pages_downloads_logs_or_urls(client, cast, plans, tmp_path, frozen, produced):
    person = id_number()
    path = write_xlsx(
        tmp_path / "c.xlsx",
        [
            ["院校名称", *CANDIDATE_HEADERS],
            [cast.school1.name, "张三丰", person, LOGISTICS, "中级", date(2027, 5, 10), "通过", "C1"],
            [cast.school1.name, "李四", bad_check_digit(id_number()), LOGISTICS, "中级", date(2027, 5, 10), "通过", ""],
            [cast.school1.name, "张三丰", person, LOGISTICS, "中级", date(2027, 5, 10), "通过", "C1"],
            [cast.school1.name, "王五", id_number(), LOGISTICS, "高级", date(2027, 5, 10), "通过", ""],
        ],
    )
    client.force_login(cast.provincial_admin)
    upload(client, path)
    job = ProgressImport.objects.get()
    client.get(reverse("monitoring:import_map", args=[job.pk]))
    confirm(client, job)
    candidate = Candidate.objects.get()
    services.take_checkpoint(year=2027, month=4)
    checkpoint = Checkpoint.objects.get()
    urls = [
        reverse("monitoring:imports"),
        reverse("monitoring:import_detail", args=[job.pk]),
        reverse("monitoring:import_issues", args=[job.pk]),
        reverse("monitoring:line_candidates", args=[candidate.line_id]),
        reverse("monitoring:institution", args=[cast.school1.pk]) + "?year=2027",
        reverse("monitoring:institutions") + "?year=2027",
        reverse("monitoring:institutions_xlsx") + "?year=2027",
        reverse("monitoring:report", args=[checkpoint.pk]),
        reverse("monitoring:report_xlsx", args=[checkpoint.pk]),
        reverse("monitoring:report_pdf", args=[checkpoint.pk]),
        reverse("monitoring:reveal", args=[candidate.pk]),
        reverse("monitoring:year_end", args=[2027]),
    ]
    for name in FIGURES:
        urls += [reverse(f"monitoring:figure_{kind}", args=[name]) + "?year=2027" for kind in ("data", "table", "xlsx")]

    statuses = {url: client.get(url).status_code for url in urls}
    client.post(reverse("monitoring:line_candidates", args=[candidate.line_id]), {"id_number": person})

    assert set(statuses.values()) == {200}
    assert [i["row"] for i in job.__class__.objects.get().issues] == [3, 4, 5]
    # The scan itself runs when the test ends (tests/monitoring/conftest.py: produced).
    assert produced.leaks() == []
    assert len(produced.items) > 40
