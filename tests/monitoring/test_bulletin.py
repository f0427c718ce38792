"""The 通报 as an official document (issue 14 item 10): drafted from a checkpoint, edited, issued as Word and PDF
(A4), and published in the same step as a notice its audience confirms reading."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from docx import Document as read_docx
from pypdf import PdfReader

from audit.models import AuditEvent
from monitoring import services
from monitoring.records import Bulletin
from notices.models import Notice
from tests.monitoring.factories import J, M, line_of

SHANGHAI = ZoneInfo("Asia/Shanghai")


def typed(line, registered, examined, passed):
    services.record_line_progress(
        actor=None, line=line, counts=services.Counts(registered=registered, examined=examined, passed=passed)
    )


@pytest.fixture
def june(cast, plans):
    """April: school1 7 of 70 (10 %), college1 25 of 50. June (30 %): school1 14 of 70 = 20 % slow."""
    with time_machine.travel(datetime(2027, 4, 30, 10, 0, tzinfo=SHANGHAI), tick=False):
        typed(line_of(plans["school"], plans["logistics"], M), 10, 7, 3)
        typed(line_of(plans["college"], plans["logistics"], J), 30, 25, 20)
    with time_machine.travel(datetime(2027, 6, 30, 10, 0, tzinfo=SHANGHAI), tick=False):
        typed(line_of(plans["school"], plans["logistics"], M), 20, 14, 8)
    with time_machine.travel(datetime(2027, 7, 1, 9, 0, tzinfo=SHANGHAI), tick=False):
        services.take_checkpoint(year=2027, month=4)
        checkpoint, _taken = services.take_checkpoint(year=2027, month=6)
    return checkpoint


@pytest.fixture
def office(client, cast):
    with time_machine.travel(datetime(2027, 7, 2, 9, 0, tzinfo=SHANGHAI), tick=False):
        client.force_login(cast.provincial_reviewer)
        yield client


def test_bulletin_draft_is_written_from_the_checkpoint_data(office, cast, june):
    response = office.post(reverse("monitoring:bulletin_draft", args=[june.pk]))
    again = office.post(reverse("monitoring:bulletin_draft", args=[june.pk]))

    bulletin = Bulletin.objects.get()
    assert response.url == again.url == reverse("monitoring:bulletin", args=[bulletin.pk])
    assert (bulletin.title, bulletin.number, bulletin.date) == (
        "关于2027年6月1+X证书考核进度监测情况的通报",
        "皖教秘职成〔2027〕  号",
        date(2027, 7, 2),
    )
    # 39 of 120 examined = 32.5 % against June's 30 %; April was 32 of 120 = 26.7 %.
    assert "全省批准考核计划120人，报名50人，参考39人，通过28人，考核完成率32.5%，达到本期目标30.0%。" in bulletin.body
    assert "较上期（4月底）的26.7%提高5.8个百分点。" in bulletin.body
    assert (
        f"共有1所院校进度滞后（完成率低于本期目标），其中0所严重滞后（低于目标的一半）。分市情况：{cast.bureau1.name}1所"
        in bulletin.body
    )
    assert "下一监测节点为2027年8月31日，目标完成率45.0%。" in bulletin.body
    assert "年度考核完成率低于50%的院校，下一年度申报规模不得超过本年度批准规模。" in bulletin.body


def test_bulletin_is_edited_issued_as_word_and_pdf_and_published_as_a_notice(office, cast, june, settings):
    office.post(reverse("monitoring:bulletin_draft", args=[june.pk]))
    bulletin = Bulletin.objects.get()
    edited = bulletin.body.replace("请进度滞后的院校分析原因", "请示例合肥职业学校等进度滞后院校分析原因")

    office.post(
        reverse("monitoring:bulletin", args=[bulletin.pk]),
        {"number": "皖教秘职成〔2027〕12号", "date": "2027-07-05", "title": bulletin.title, "body": edited},
    )
    published = office.post(reverse("bulletin_publish", args=[bulletin.pk]), {"audience": "institutions"})

    bulletin.refresh_from_db()
    notice = Notice.objects.get()
    assert published.url == reverse("notice_detail", args=[2027, notice.pk])
    assert (notice.number, notice.date, notice.title, notice.audience) == (
        "皖教秘职成〔2027〕12号",
        date(2027, 7, 5),
        bulletin.title,
        "institutions",
    )
    assert (notice.published_at is not None, notice.expects_receipts, bulletin.notice) == (True, True, notice)
    assert list(notice.attachments.values_list("title", flat=True)) == [bulletin.title]
    pdf = PdfReader(io.BytesIO(office.get(reverse("monitoring:bulletin_file", args=[bulletin.pk, "pdf"])).content))
    text = "".join(page.extract_text() for page in pdf.pages)
    assert (len(pdf.pages), round(float(pdf.pages[0].mediabox.width)), round(float(pdf.pages[0].mediabox.height))) == (
        2,
        595,
        842,
    )
    assert ("安徽省教育厅" in text, "皖教秘职成〔2027〕12号" in text, "示例合肥职业学校等进度滞后院校" in text) == (
        True,
        True,
        True,
    )
    word = read_docx(io.BytesIO(office.get(reverse("monitoring:bulletin_file", args=[bulletin.pk, "docx"])).content))
    lines = [p.text for p in word.paragraphs]
    assert lines[:3] == ["安徽省教育厅", "皖教秘职成〔2027〕12号", bulletin.title]
    assert (round(word.sections[0].page_width.mm), round(word.sections[0].page_height.mm)) == (210, 297)
    assert [t.rows[0].cells[0].text for t in word.tables] == ["范围", "院校类型", "院校"]
    assert list(
        AuditEvent.objects.filter(action__startswith="monitoring.bulletin")
        .order_by("id")
        .values_list("action", flat=True)
    ) == [
        "monitoring.bulletin.draft",
        "monitoring.bulletin.edit",
        "monitoring.bulletin.issue",
        "monitoring.bulletin.publish",
    ]


def test_bulletin_is_not_issued_without_a_document_number_nor_changed_after(office, cast, june):
    office.post(reverse("monitoring:bulletin_draft", args=[june.pk]))
    bulletin = Bulletin.objects.get()

    refused = office.post(reverse("bulletin_publish", args=[bulletin.pk]), {"audience": "institutions"})
    bulletin.refresh_from_db()

    assert (refused.url, bulletin.is_issued, Notice.objects.count()) == (
        reverse("monitoring:bulletin", args=[bulletin.pk]),
        False,
        0,
    )


def test_bulletin_pages_are_the_office_s(client, cast, june):
    client.force_login(cast.bureau_reviewer)

    response = client.post(reverse("monitoring:bulletin_draft", args=[june.pk]))

    assert (response.status_code, Bulletin.objects.count()) == (403, 0)
