"""附件3 安徽省1+X职业技能等级证书调整申请表, from plain data (the adjustments app calls this).

The request is an increase only (DOMAIN.md §8): each line says what was approved before and
what is asked for now. Two sign-offs inside the institution come first — the certificate
pilot office head, then the leader — and the province's opinion box last.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from catalog.enums import Level
from core.downloads import adjustment_filename
from documents.layout import (
    DATE_LINE,
    STAMP_LINE,
    Document,
    Fields,
    Section,
    SignBox,
    SignBoxes,
    Table,
    TextBox,
    province_box,
)
from documents.pdf import render_pdf
from documents.word import render_docx

ATTACHMENT = "附件3"
TITLE = "安徽省1+X职业技能等级证书调整申请表"


@dataclass(frozen=True)
class AdjustmentLine:
    certificate: str
    level: str  # a Level value ("junior") or its Chinese (初级)
    major: str
    before: int  # approved headcount before; 0 for a new major or level
    after: int
    awarding_body: str = ""

    @property
    def increase(self) -> int:
        return self.after - self.before

    @property
    def level_text(self) -> str:
        return Level(self.level).chinese if self.level in Level.values else self.level


@dataclass(frozen=True)
class SignOff:
    """Who signed inside the institution, and when; an empty name leaves the box to sign by hand."""

    name: str = ""
    on: date | None = None
    opinion: str = ""


@dataclass(frozen=True)
class AdjustmentRequest:
    institution_name: str
    year: int
    lines: list[AdjustmentLine]
    reason: str
    office_head: SignOff = field(default_factory=SignOff)
    leader: SignOff = field(default_factory=SignOff)
    institution_kind: str = ""  # Chinese, e.g. 高职院校
    bureau_name: str = ""
    contact_name: str = ""
    contact_phone: str = ""

    @property
    def totals(self) -> tuple[int, int, int]:
        before = sum(ln.before for ln in self.lines)
        after = sum(ln.after for ln in self.lines)
        return before, after, after - before


def _signed(title: str, role: str, signoff: SignOff) -> SignBox:
    day = f"{signoff.on.year}年{signoff.on.month}月{signoff.on.day}日" if signoff.on else DATE_LINE
    return SignBox(title, [f"{role}（签字）：{signoff.name}", day], text=signoff.opinion)


def build(request: AdjustmentRequest) -> Document:
    rows = [
        [
            str(i),
            ln.certificate,
            ln.awarding_body,
            ln.level_text,
            ln.major,
            str(ln.before),
            str(ln.after),
            f"+{ln.increase}",
        ]
        for i, ln in enumerate(request.lines, start=1)
    ]
    before, after, increase = request.totals
    return Document(
        ATTACHMENT,
        TITLE,
        [
            Fields(
                [
                    ("申请单位", request.institution_name),
                    ("单位类型", request.institution_kind),
                    ("所在市", request.bureau_name),
                    ("申请年度", f"{request.year}年"),
                    ("联系人", request.contact_name),
                    ("联系电话", request.contact_phone),
                ]
            ),
            Section("一、调增内容"),
            Table(
                ["序号", "证书名称", "培训评价组织", "等级", "考核专业", "原计划人数", "调整后人数", "调增人数"],
                rows,
                footer=["合计", "", "", "", "", str(before), str(after), f"+{increase}"],
                widths=[6, 22, 16, 7, 17, 11, 11, 10],
            ),
            Section("二、调整理由"),
            TextBox("调整理由", request.reason),
            Section("三、审批意见"),
            SignBoxes(
                [
                    _signed("学校证书试点管理部门意见", "负责人", request.office_head),
                    _signed("校级分管领导意见", "分管领导", request.leader),
                ]
            ),
            SignBoxes([SignBox("学校意见", [STAMP_LINE, DATE_LINE]), province_box()]),
        ],
    )


def filename(request: AdjustmentRequest, ext: str) -> str:
    return adjustment_filename(request.institution_name, request.year, ext)


def docx(request: AdjustmentRequest) -> bytes:
    return render_docx(build(request))


def pdf(request: AdjustmentRequest) -> bytes:
    return render_pdf(build(request))
