"""Who has confirmed a notice and who has not, by bureau: the office's view of one notice (three queries)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from institutions.models import Bureau, Institution
from notices.models import Notice, ReadReceipt
from notices.services import expected_bureaus, expected_institutions


@dataclass(frozen=True)
class Reader:
    """One institution or bureau the notice asks to confirm, and its receipt if any."""

    name: str
    kind: str  # an institution kind's label, or "" for the bureau itself
    receipt: ReadReceipt | None

    @property
    def confirmed(self) -> bool:
        return self.receipt is not None

    @property
    def confirmed_at(self) -> datetime | None:
        return self.receipt.confirmed_at if self.receipt else None


@dataclass
class BureauGroup:
    bureau: Bureau
    readers: list[Reader] = field(default_factory=list)

    @property
    def confirmed(self) -> list[Reader]:
        return [r for r in self.readers if r.confirmed]

    @property
    def pending(self) -> list[Reader]:
        return [r for r in self.readers if not r.confirmed]


def by_bureau(notice: Notice) -> list[BureauGroup]:
    """Every bureau with a reader of `notice`: the bureau itself first (when bureaus are asked), then its institutions
    by name. Institutions are grouped by the bureau of their location."""
    receipts = ReadReceipt.objects.filter(notice=notice).select_related("confirmed_by")
    by_institution = {r.institution_id: r for r in receipts if r.institution_id}
    by_bureau_id = {r.bureau_id: r for r in receipts if r.bureau_id}
    groups: dict[int, BureauGroup] = {}
    bureaus = {b.pk: b for b in Bureau.objects.order_by("id")}
    for bureau in expected_bureaus(notice).order_by("id"):
        group = groups.setdefault(bureau.pk, BureauGroup(bureau))
        group.readers.append(Reader(bureau.display_name, "", by_bureau_id.get(bureau.pk)))
    institutions: list[Institution] = list(expected_institutions(notice).order_by("bureau_id", "name"))
    for institution in institutions:
        group = groups.setdefault(institution.bureau_id, BureauGroup(bureaus[institution.bureau_id]))
        group.readers.append(
            Reader(institution.name, institution.get_kind_display(), by_institution.get(institution.pk))
        )
    return [groups[pk] for pk in sorted(groups)]
