"""What the adjustments part of the API reads and writes: requests (调增), their items, signatures and steps."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from ninja import Schema
from pydantic import Field

from adjustments.enums import AdjustmentStatus, ItemKind
from adjustments.enums import Outcome as AdjustmentOutcome
from api.fields import MAX_HEADCOUNT, Id, example, line, required_text, text
from api.pagination import PageOut
from api.routes.documents import ScanOut
from api.schemas import InstitutionRef, Ref, ViolationOut
from catalog.enums import Level


class ItemOut(Schema):
    id: int
    kind: ItemKind
    line_id: int | None
    certificate: Ref
    level: Level
    major_name: str
    major_code: str
    before: int
    after: int
    approved: int | None


class SignatureOut(Schema):
    by: str | None
    at: datetime | None


class AdjustmentSummaryOut(Schema):
    id: int
    plan_id: int
    institution: InstitutionRef
    round: Ref
    status: AdjustmentStatus
    reason: str
    created_at: datetime
    submitted_at: datetime | None
    decided_at: datetime | None


class AdjustmentOut(AdjustmentSummaryOut):
    office_head: SignatureOut
    leader: SignatureOut
    bureau_forwarded: SignatureOut
    returned_reason: str
    decision_reason: str
    items: list[ItemOut]
    blockers: list[ViolationOut] = Field(description="The errors that stop the request going further now.")
    scans: list[ScanOut]


class AdjustmentActionOut(Schema):
    action: AdjustmentAction
    status: AdjustmentStatus
    adjustment: AdjustmentOut | None = Field(
        description="The request after the step; null when the step took it out of your scope (a bureau's return "
        "sends it back inside the school)."
    )


class AdjustmentPage(PageOut):
    items: list[AdjustmentSummaryOut]


class AdjustmentFilters(Schema):
    plan_id: Id | None = None
    status: AdjustmentStatus | None = None


class ChangeIn(Schema):
    """An approved line (`line_id`) at a new headcount, or a new major or level of an approved certificate
    (`certificate_id`, `level`, `major_name`). Lowering, removing or changing anything is refused (rule R7)."""

    headcount: int = Field(ge=0, le=MAX_HEADCOUNT)
    line_id: Id | None = None
    certificate_id: Id | None = None
    level: Level | None = None
    major_name: line(100) = ""  # type: ignore[valid-type]
    major_code: line(20) = ""  # type: ignore[valid-type]


class AdjustmentIn(Schema):
    model_config = example(
        {
            "reason": "合作企业新增订单班",
            "changes": [
                {"line_id": 101, "headcount": 60},
                {"certificate_id": 7, "level": "intermediate", "major_name": "物流管理", "headcount": 20},
            ],
        }
    )

    reason: required_text(2000)  # type: ignore[valid-type]
    changes: list[ChangeIn] = Field(min_length=1, max_length=500)


class ApprovedFigureIn(Schema):
    item_id: Id
    headcount: int = Field(ge=0, le=MAX_HEADCOUNT)


class AdjustmentActionIn(Schema):
    """`reason` for send_back and bureau_return (optional for withdraw and bureau_forward); for decide: `outcome`,
    a `reason` unless approving as asked, and `approved` figures when approving lower ones."""

    model_config = example(
        {"outcome": "reduce", "reason": "超出考点容量", "approved": [{"item_id": 55, "headcount": 50}]}
    )

    reason: text(2000) = ""  # type: ignore[valid-type]
    outcome: AdjustmentOutcome | None = None
    approved: list[ApprovedFigureIn] = Field(default_factory=list, max_length=500)


class AdjustmentAction(StrEnum):
    SEND_FOR_SIGNOFF = "send_for_signoff"
    SIGN_OFFICE_HEAD = "sign_office_head"
    SIGN_LEADER = "sign_leader"
    SEND_BACK = "send_back"
    WITHDRAW = "withdraw"
    BUREAU_FORWARD = "bureau_forward"
    BUREAU_RETURN = "bureau_return"
    DECIDE = "decide"
