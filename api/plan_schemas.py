"""What the plans part of the API reads and writes: plans, their lines and decisions, the application forms.
Outputs are built by `api.serializers`; inputs are checked here, the rules by the services."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from api.fields import Headcount, Id, Money, example, line, required_line, text
from api.schemas import EventOut, InstitutionRef, Ref, ViolationOut
from catalog.enums import Level
from plans.enums import Continuity, PlanStatus, ReviewLevel
from reviews.enums import Outcome


class PlanSummaryOut(Schema):
    id: int
    institution: InstitutionRef
    round: Ref
    status: Literal[tuple(PlanStatus.values)]  # type: ignore[valid-type]
    submitted_at: datetime | None
    published_at: datetime | None


class DecisionOut(Schema):
    level: Literal[tuple(ReviewLevel.values)]  # type: ignore[valid-type]
    outcome: Literal[tuple(Outcome.values)]  # type: ignore[valid-type]
    headcount: int
    reason: str
    decided_at: datetime
    published: bool


class LineOut(Schema):
    id: int
    certificate: Ref
    level: Literal[tuple(Level.values)]  # type: ignore[valid-type]
    major_name: str
    major_code: str
    headcount: int
    remark: str
    justification: str
    approved_headcount: int | None = Field(description="The plan of record, once the decisions are published.")
    continuity: Literal[tuple(Continuity.values)]  # type: ignore[valid-type]
    last_year_headcount: int
    decisions: list[DecisionOut] = Field(
        description="Current recommendations (bureau) and decisions (province) the user may see; an institution "
        "sees only the province's published decisions."
    )


class FormOut(Schema):
    certificate: Ref
    exists: bool
    complete: bool
    missing: list[str]


class PlanOut(PlanSummaryOut):
    returned_reason: str
    returned_from: str
    editable: bool
    headcount: int
    cap: int | None = Field(description="R3's cap for the year, when one applies.")
    lines: list[LineOut]
    violations: list[ViolationOut]
    blockers: list[ViolationOut] = Field(description="What stops sign-off now: errors and unjustified warnings.")
    forms: list[FormOut] = Field(description="The application forms the plan's new certificates need.")
    history: list[EventOut] = Field(description="The plan's timeline, as the timeline page shows it to the user.")


class PlanCreateIn(Schema):
    model_config = example({"round_id": 12})

    round_id: Id


class LineIn(Schema):
    model_config = example(
        {"certificate_id": 7, "level": "junior", "major_name": "物流管理", "major_code": "530802", "headcount": 40}
    )

    certificate_id: Id
    level: Level
    major_name: required_line(100)  # type: ignore[valid-type]
    headcount: Headcount
    major_code: line(20) = ""  # type: ignore[valid-type]
    remark: line(500) = ""  # type: ignore[valid-type]
    justification: line(500) = ""  # type: ignore[valid-type]


class LinePatchIn(Schema):
    """Only the fields sent change."""

    model_config = example({"headcount": 35, "remark": "新增实训基地"})

    certificate_id: Id | None = None
    level: Level | None = None
    major_name: required_line(100) | None = None  # type: ignore[valid-type]
    headcount: Headcount | None = None
    major_code: line(20) | None = None  # type: ignore[valid-type]
    remark: line(500) | None = None  # type: ignore[valid-type]
    justification: line(500) | None = None  # type: ignore[valid-type]


class FormMajorIn(Schema):
    name: required_line(100)  # type: ignore[valid-type]
    students: int = Field(ge=0, le=1_000_000)


class FormTeacherIn(Schema):
    name: required_line(50)  # type: ignore[valid-type]
    title: line(50) = ""  # type: ignore[valid-type]
    role: line(50) = ""  # type: ignore[valid-type]


class FormExpertIn(Schema):
    name: required_line(50)  # type: ignore[valid-type]
    title: required_line(50)  # type: ignore[valid-type]
    affiliation: required_line(100)  # type: ignore[valid-type]


class ApplicationFormIn(Schema):
    """The 申报表 (attachment 1) of a new certificate. Every field may be saved empty; a form is complete when
    none is, and sign-off needs it complete (rule FORM)."""

    model_config = example(
        {
            "majors": [{"name": "物流管理", "students": 120}],
            "teachers": [{"name": "张老师", "title": "讲师", "role": "考评员"}],
            "facilities": "物流实训室两间",
            "is_exam_site": True,
            "enterprises": "京东物流",
            "training_plan": "每周4学时，共16周",
            "budget_amount": "50000.00",
            "budget_source": "学校专项经费",
            "review_date": "2027-03-20",
            "experts": [{"name": "李教授", "title": "教授", "affiliation": "安徽大学"}],
            "review_conclusion": "同意申报",
        }
    )

    majors: list[FormMajorIn] = Field(default_factory=list, max_length=100)
    teachers: list[FormTeacherIn] = Field(default_factory=list, max_length=200)
    facilities: text() = ""  # type: ignore[valid-type]
    is_exam_site: bool | None = None
    enterprises: text() = ""  # type: ignore[valid-type]
    training_plan: text() = ""  # type: ignore[valid-type]
    budget_amount: Money | None = None
    budget_source: line(200) = ""  # type: ignore[valid-type]
    review_date: date | None = None
    experts: list[FormExpertIn] = Field(default_factory=list, max_length=50)
    review_conclusion: text() = ""  # type: ignore[valid-type]


class FormMajorOut(Schema):
    name: str
    students: int


class FormTeacherOut(Schema):
    name: str
    title: str
    role: str = Field(description="What the teacher does for the certificate (考评员, 培训教师…), as typed.")


class FormExpertOut(Schema):
    name: str
    title: str
    affiliation: str


class ApplicationFormOut(Schema):
    certificate: Ref
    complete: bool
    missing: list[str]
    majors: list[FormMajorOut]
    teachers: list[FormTeacherOut]
    facilities: str
    is_exam_site: bool | None
    enterprises: str
    training_plan: str
    budget_amount: str | None = Field(description="Yuan, as a decimal string with two places.")
    budget_source: str
    review_date: date | None
    experts: list[FormExpertOut]
    review_conclusion: str
