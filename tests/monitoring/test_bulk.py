from datetime import date

import pytest
from django.db import connection, transaction

from monitoring import access, bulk, services
from monitoring.models import Candidate, LineProgress, ProgressImport
from tests.monitoring.conftest import CARE, LOGISTICS
from tests.monitoring.factories import CANDIDATE_HEADERS, J, M, id_number, line_of, write_xlsx
from tests.monitoring.helpers import run_import


def _one_candidate(client, cast, tmp_path, rows):
    client.force_login(cast.staff)
    return run_import(client, write_xlsx(tmp_path / "c.xlsx", [CANDIDATE_HEADERS, *rows]))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the direct COPY is PostgreSQL's")
def test_direct_copy_meeting_an_existing_candidate_raises_conflict(client, cast, plans, tmp_path, frozen):
    _one_candidate(client, cast, tmp_path, [["甲", id_number(), LOGISTICS, "中级", None, "", ""]])
    existing = Candidate.objects.get()
    job = ProgressImport.objects.get()
    batch = bulk.Batch(
        places=[bulk.Place.of(existing.line_id, 2027, existing.certificate_id, existing.level, "registered")],
        dates=[bulk.ExamDate.of(None)],
        digests=[bytes(existing.id_hash)],
        names=["乙"],
        numbers=[id_number()],
        codes=[""],
    )

    with pytest.raises(bulk.Conflict), transaction.atomic():
        sink = bulk.DirectSink(job.pk)
        try:
            sink.add(batch)
            sink.finish()
        finally:
            sink.close()

    assert Candidate.objects.count() == 1


def test_recount_puts_drifted_line_counts_right(client, cast, plans, tmp_path, frozen):
    _one_candidate(
        client,
        cast,
        tmp_path,
        [
            ["甲", id_number(), LOGISTICS, "中级", date(2027, 5, 1), "通过", "Z1"],
            ["乙", id_number(), LOGISTICS, "中级", date(2027, 5, 1), "缺考", ""],
        ],
    )
    line = line_of(plans["school"], plans["logistics"], M)
    LineProgress.objects.filter(line=line).update(candidate_registered=9, registered=9)

    services.refresh_figures(year=2027)

    progress = LineProgress.objects.get(line=line)
    assert (progress.registered, progress.examined, progress.passed, progress.candidate_registered) == (2, 1, 1, 2)


def test_rows_the_fast_path_does_not_know_are_explained_and_kept(client, cast, plans, tmp_path, frozen):
    lower = id_number()
    while not lower.endswith("X"):
        lower = id_number()
    wide = id_number()
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in wide)

    job = _one_candidate(
        client,
        cast,
        tmp_path,
        [
            ["甲", lower.lower(), LOGISTICS, " 中级 ", "2027/05/01", "合格", ""],
            ["乙", full_width, "物流管理", "中级", "", "", ""],
            ["丙\t丁", id_number(), LOGISTICS, "中级", "", "", ""],
            ["丁", id_number(), LOGISTICS, "中级", "", "", "A\\B"],
        ],
    )

    assert (job.rows_written, [i["row"] for i in job.issues]) == (2, [4, 5])
    assert sorted(Candidate.objects.values_list("id_masked", flat=True)) == sorted(
        [lower[:3] + "*" * 11 + lower[-4:], wide[:3] + "*" * 11 + wide[-4:]]
    )


def test_a_lines_candidates_keep_the_files_order_when_the_rows_are_grouped_for_the_index(
    client, cast, plans, tmp_path, frozen
):
    # Rows of two lines, alternating: the COPY groups them by certificate and level, each line's in file order.
    rows = [
        [f"考生{n}", id_number(), (CARE, LOGISTICS)[n % 2], ("初级", "中级")[n % 2], date(2027, 5, 1), "通过", f"Z{n}"]
        for n in range(12)
    ]

    job = _one_candidate(client, cast, tmp_path, rows)

    care = access.candidates_of(line_of(plans["school"], plans["care"], J))
    logistics = access.candidates_of(line_of(plans["school"], plans["logistics"], M))
    assert job.rows_written == 12
    assert [c.certificate_number for c in care] == [f"Z{n}" for n in range(0, 12, 2)]
    assert [c.certificate_number for c in logistics] == [f"Z{n}" for n in range(1, 12, 2)]
