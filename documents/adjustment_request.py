"""附件3 安徽省1+X职业技能等级证书调整申请表, from plain data (the adjustments app calls this).

The request is an increase only (DOMAIN.md §8): each line says what was approved before and
what is asked for now. Two sign-offs inside the institution come first — the certificate
pilot office head, then the leader — then the school's stamp, the city bureau's opinion (secondary
schools only, which send through their bureau) and the province's. Before the decision the form
says it awaits one; after it, each line carries the approved figure and the province's box its
opinion, dated. Up to 10 lines fit one A4 page, boxes included.
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
    Paragraph,
    Section,
    SignBox,
    SignBoxes,
    Table,
    TextBox,
    bureau_box,
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
    approved: int | None = None  # the headcount after the decision (None: not decided)

    @property
    def increase(self) -> int:
        return self.after - self.before

    @property
    def granted(self) -> int:
        """The headcount of record once decided: the approved figure, or the one before when refused."""
        return self.approved if self.approved is not None else self.before

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
class Decision:
    """The province's decision: 同意 / 核减后同意 / 不同意, why, who and when."""

    verdict: str
    on: date
    reason: str = ""
    name: str = ""


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
    secondary: bool = False  # a secondary school: its bureau's opinion box
    bureau: SignOff = field(default_factory=SignOff)
    decision: Decision | None = None

    @property
    def totals(self) -> tuple[int, int, int]:
        before = sum(ln.before for ln in self.lines)
        after = sum(ln.after for ln in self.lines)
        return before, after, after - before

    @property
    def approved_total(self) -> int:
        return sum(ln.granted for ln in self.lines)


def _day(on: date | None) -> str:
    return f"{on.year}年{on.month}月{on.day}日" if on else DATE_LINE


def _signed(title: str, role: str, signoff: SignOff) -> SignBox:
    return SignBox(title, [f"{role}（签字）：{signoff.name}", _day(signoff.on)], text=signoff.opinion)


def _province(decision: Decision | None) -> SignBox:
    if decision is None:
        return province_box()
    opinion = decision.verdict + (f"。{decision.reason}" if decision.reason else "")
    return SignBox("省1+X办公室意见", [f"审核人（签字）：{decision.name}", _day(decision.on)], text=opinion)


def _status(request: AdjustmentRequest) -> Paragraph:
    decision = request.decision
    if decision is None:
        return Paragraph("本表为调整申请，尚待省1+X办公室审核决定，所列调整后人数为申请人数。")
    before, _after, _increase = request.totals
    return Paragraph(
        f"省1+X办公室已于{_day(decision.on)}作出决定：{decision.verdict}；"
        f"核定后合计{request.approved_total}人（原计划{before}人）。"
    )


def _table(request: AdjustmentRequest) -> Table:
    decided = request.decision is not None
    header = ["序号", "证书名称", "培训评价组织", "等级", "考核专业", "原计划人数", "调整后人数", "调增人数"]
    widths = [6, 28, 15, 7, 15, 9, 10, 10]
    rows = [
        [str(i), ln.certificate, ln.awarding_body, ln.level_text, ln.major, str(ln.before), str(ln.after)]
        + [f"+{ln.increase}"]
        + ([str(ln.granted)] if decided else [])
        for i, ln in enumerate(request.lines, start=1)
    ]
    before, after, increase = request.totals
    footer = ["合计", "", "", "", "", str(before), str(after), f"+{increase}"]
    if decided:
        header, widths = [*header, "核定调整后人数"], [6, 26, 13, 7, 13, 8, 8, 8, 11]
        footer.append(str(request.approved_total))
    return Table(header, rows, footer=footer, widths=widths)


def build(request: AdjustmentRequest) -> Document:
    institution_boxes = [
        _signed("学校证书试点管理部门意见", "负责人", request.office_head),
        _signed("校级分管领导意见", "分管领导", request.leader),
    ]
    outside = [SignBox("学校意见", [STAMP_LINE, DATE_LINE])]
    if request.secondary:
        outside.append(_signed("市教育局意见", "负责人", request.bureau) if request.bureau.name else bureau_box())
    outside.append(_province(request.decision))
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
            _status(request),
            Section("一、调增内容"),
            _table(request),
            Section("二、调整理由"),
            TextBox("调整理由", request.reason),
            Section("三、审批意见"),
            SignBoxes(institution_boxes),
            SignBoxes(outside),
        ],
    )


def filename(request: AdjustmentRequest, ext: str) -> str:
    return adjustment_filename(request.institution_name, request.year, ext)


def docx(request: AdjustmentRequest) -> bytes:
    return render_docx(build(request))


def pdf(request: AdjustmentRequest) -> bytes:
    return render_pdf(build(request))
