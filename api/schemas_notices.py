"""What the notices' operations read and write (api/routes/notices.py), and how a notice is written out."""

from __future__ import annotations

from datetime import date as Date
from datetime import datetime

from ninja import Schema
from pydantic import Field

from api.fields import Id, example, line, required_line, text
from api.pagination import PageOut
from api.schemas import Ref
from institutions.enums import InstitutionKind
from notices.enums import Audience, NoticeState
from notices.models import Notice, ReadReceipt


class NoticeSummaryOut(Schema):
    id: int
    year: int
    number: str = Field(description="文号, e.g. 皖教秘职成〔2022〕11号; empty for none.")
    date: Date | None
    title: str
    state: NoticeState
    audience: Audience
    institution_kind: InstitutionKind | None = Field(description="Only for the audience `kind`.")
    expects_receipts: bool
    published_at: datetime | None
    withdrawn_at: datetime | None
    to_confirm: bool = Field(description="Your institution or bureau is asked to confirm it and has not yet.")


class AttachmentOut(Schema):
    id: int
    title: str
    file_name: str
    size: int


class ReceiptOut(Schema):
    confirmed_by: str
    confirmed_at: datetime


class NoticeOut(NoticeSummaryOut):
    body: str = Field(description="Markdown.")
    round: Ref | None
    offers_templates: bool
    withdrawn_reason: str
    attachments: list[AttachmentOut]
    my_receipt: ReceiptOut | None = Field(description="Your institution's or bureau's read receipt, if any.")


class NoticePage(PageOut):
    items: list[NoticeSummaryOut]


class NoticeFilters(Schema):
    to_confirm: bool = Field(False, description="Only the notices your institution or bureau has still to confirm.")


class NoticeIn(Schema):
    """A new draft. `institution_kind` is needed for the audience `kind` (and ignored for the others)."""

    model_config = example(
        {
            "title": "关于做好2028年1+X证书申报工作的通知",
            "year": 2028,
            "number": "皖教秘职成〔2028〕1号",
            "audience": "institutions",
        }
    )

    title: required_line(200)  # type: ignore[valid-type]
    year: int = Field(ge=2000, le=2100)
    number: line(60) = ""  # type: ignore[valid-type]
    date: Date | None = None
    audience: Audience
    institution_kind: InstitutionKind | None = None
    round_id: Id | None = None
    body: text(50_000) = ""  # type: ignore[valid-type]
    offers_templates: bool = False
    expects_receipts: bool = True


class WithdrawIn(Schema):
    model_config = example({"reason": "文号有误"})

    reason: required_line(500) = Field(description="Readers see it on the notice.")  # type: ignore[valid-type]


class ConfirmOut(Schema):
    receipt: ReceiptOut
    created: bool = Field(description="False when your institution or bureau had confirmed already.")


class RemindIn(Schema):
    model_config = example({"bureau_id": 3})

    bureau_id: Id | None = Field(None, description="Only the institutions of this bureau (and the bureau).")


class RemindedOut(Schema):
    people: int = Field(description="How many people were reminded (0 for a draft or a withdrawn notice).")


class ReaderOut(Schema):
    name: str
    is_bureau: bool = Field(description="The bureau itself, not one of its institutions.")
    confirmed_at: datetime | None


class BureauReceiptsOut(Schema):
    bureau: Ref
    readers: int
    confirmed: int
    pending: int
    listed: list[ReaderOut] = Field(description="The readers, when listed (see the operation).")


class ReceiptsOut(Schema):
    confirmed: int
    pending: int
    bureaus: list[BureauReceiptsOut]


class ReceiptsQuery(Schema):
    bureau_id: Id | None = Field(None, description="List the readers of this bureau.")


def receipt_out(receipt: ReadReceipt | None) -> dict | None:
    if receipt is None:
        return None
    return {"confirmed_by": str(receipt.confirmed_by), "confirmed_at": receipt.confirmed_at}


def notice_summary(notice: Notice, to_confirm: set[int]) -> dict:
    return {
        "id": notice.pk,
        "year": notice.year,
        "number": notice.number,
        "date": notice.date,
        "title": notice.title,
        "state": notice.state,
        "audience": notice.audience,
        "institution_kind": notice.institution_kind or None,
        "expects_receipts": notice.expects_receipts,
        "published_at": notice.published_at,
        "withdrawn_at": notice.withdrawn_at,
        "to_confirm": notice.pk in to_confirm,
    }
