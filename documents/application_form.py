"""附件1 安徽省1+X职业技能等级证书申报表: one per new certificate, as Word and PDF."""

from __future__ import annotations

from dataclasses import dataclass

from catalog.enums import Level
from core.downloads import application_filename
from documents import labels
from documents.layout import (
    Document,
    Fields,
    Paragraph,
    Section,
    SignBoxes,
    Table,
    TextBox,
    bureau_box,
    province_box,
    school_box,
)
from documents.pdf import render_pdf
from documents.word import render_docx
from plans.models import ApplicationForm, Plan, PlanLine

ATTACHMENT = "附件1"
TITLE = "安徽省1+X职业技能等级证书申报表"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
LEVEL_ORDER = {level: i for i, level in enumerate(Level.values)}


def header_fields(plan: Plan) -> Fields:
    """The institution's header block, shared by the forms of one plan."""
    institution = plan.institution
    return Fields(
        [
            ("申报单位", institution.name),
            ("单位类型", labels.kind(institution.kind)),
            ("所在市", institution.bureau.name),
            ("院校代码", institution.ministry_code or "—"),
            ("联系人", institution.contact_name or ""),
            ("联系电话", institution.contact_phone or ""),
            ("申报轮次", labels.round_label(plan.round)),
            ("平台注册账号", institution.platform_account or "—"),
        ]
    )


def _yes_no(value: bool | None) -> str:
    return "" if value is None else "是" if value else "否"


def _money(value) -> str:
    return "" if value is None else f"{value:,.2f}"


def _rows(items: list, keys: tuple[str, ...]) -> list[list[str]]:
    """JSON list items as table rows; a plain string item fills the first column."""
    rows = []
    for item in items or []:
        if isinstance(item, dict):
            rows.append(["" if item.get(k) is None else str(item.get(k)) for k in keys])
        else:
            rows.append([str(item)] + [""] * (len(keys) - 1))
    return rows


def _students_total(majors: list) -> str:
    total = 0
    for item in majors or []:
        try:
            total += int(item.get("students") or 0) if isinstance(item, dict) else 0
        except (TypeError, ValueError):
            continue
    return str(total)


def build(form: ApplicationForm, lines: list[PlanLine]) -> Document:
    """The form's `Document`: header, certificate, plan lines, the form's fields, signature boxes."""
    plan = form.plan
    boxes = [school_box()]
    if plan.institution.is_secondary:
        boxes.append(bureau_box())
    boxes.append(province_box())
    return Document(
        ATTACHMENT,
        TITLE,
        [
            header_fields(plan),
            *_certificate_part(form.certificate, lines),
            *_form_part(form),
            Paragraph("本表一证书一论证一申报，所填信息真实有效。", align="left"),
            SignBoxes(boxes),
        ],
    )


def _certificate_part(certificate, lines: list[PlanLine]) -> list:
    """一、the certificate applied for, and the plan's lines of it with their total."""
    line_rows = [[labels.level(ln.level), ln.major_name, ln.major_code, str(ln.headcount)] for ln in lines]
    return [
        Section("一、申报证书"),
        Fields(
            [
                ("证书名称", certificate.name),
                ("培训评价组织", certificate.awarding_body.name if certificate.awarding_body else ""),
                ("证书目录批次", labels.BATCH.get(certificate.batch, "")),
                ("申报等级", "、".join(dict.fromkeys(labels.level(ln.level) for ln in lines))),
            ]
        ),
        Table(
            ["等级", "考核专业", "专业代码", "申报人数"],
            line_rows,
            footer=["合计", "", "", str(sum(ln.headcount for ln in lines))],
            widths=[15, 45, 20, 20],
        ),
    ]


def _form_part(form: ApplicationForm) -> list:
    """二 to 八: what the institution wrote in the form."""
    return [
        Section("二、对应专业及在校生"),
        Table(
            ["专业名称", "在校生人数"],
            _rows(form.majors, ("name", "students")),
            footer=["合计", _students_total(form.majors)],
        ),
        Section("三、培训教师及考评员"),
        Table(["姓名", "职称", "承担工作"], _rows(form.teachers, ("name", "title", "role"))),
        Section("四、实训条件"),
        Fields([("是否为考核站点", _yes_no(form.is_exam_site))]),
        TextBox("培训及考核实训条件", form.facilities),
        Section("五、认可企业"),
        TextBox("认可该证书的企业", form.enterprises),
        Section("六、培训计划"),
        TextBox("证书培训计划", form.training_plan),
        Section("七、经费预算"),
        Fields([("预算金额（元）", _money(form.budget_amount)), ("经费来源", form.budget_source)]),
        Section("八、专家论证"),
        Fields([("论证日期", f"{form.review_date:%Y年%m月%d日}" if form.review_date else "")]),
        Table(["专家姓名", "职称", "工作单位"], _rows(form.experts, ("name", "title", "affiliation"))),
        TextBox("论证结论", form.review_conclusion),
    ]


@dataclass(frozen=True)
class ApplicationFormExport:
    """One new certificate's form: `docx()` and `pdf()`, over one query for its lines."""

    form: ApplicationForm

    @classmethod
    def for_plan(cls, plan: Plan, certificate_id: int) -> ApplicationFormExport:
        form = (
            ApplicationForm.objects.select_related("certificate__awarding_body")
            .filter(plan=plan)
            .get(certificate_id=certificate_id)
        )
        form.plan = plan  # already loaded with its institution, bureau and round
        return cls(form)

    def lines(self) -> list[PlanLine]:
        lines = PlanLine.objects.filter(plan_id=self.form.plan_id, certificate_id=self.form.certificate_id)
        return sorted(lines, key=lambda ln: (LEVEL_ORDER.get(ln.level, 9), ln.major_name))

    def document(self) -> Document:
        return build(self.form, self.lines())

    def filename(self, ext: str) -> str:
        plan = self.form.plan
        part = f"附件1申报表-{self.form.certificate.short_name}"
        return application_filename(plan.institution.name, plan.round.year, ext, part=part)

    def docx(self) -> bytes:
        return render_docx(self.document())

    def pdf(self) -> bytes:
        return render_pdf(self.document())
