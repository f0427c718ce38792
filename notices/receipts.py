"""Who has confirmed a notice and who has not, by bureau: the office's view of one notice.

`summary` counts per bureau in two grouped queries, whatever the number of institutions; `by_bureau` lists the
readers themselves (three queries), for every bureau or for the chosen ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Q

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


@dataclass(frozen=True)
class BureauCount:
    """One bureau's line of the summary: its readers (the bureau itself included when bureaus are asked)."""

    bureau: Bureau
    readers: int
    confirmed: int

    @property
    def pending(self) -> int:
        return self.readers - self.confirmed


def summary(notice: Notice) -> list[BureauCount]:
    """Per bureau with at least one reader: how many readers, how many confirmed."""
    institutions = expected_institutions(notice)
    readers = dict(institutions.order_by().values_list("bureau_id").annotate(n=Count("id")))
    confirmed = dict(
        ReadReceipt.objects.filter(notice=notice, institution__in=institutions)
        .order_by()
        .values_list("institution__bureau_id")
        .annotate(n=Count("id"))
    )
    asked = set(expected_bureaus(notice).values_list("id", flat=True))
    answered = set(ReadReceipt.objects.filter(notice=notice, bureau__isnull=False).values_list("bureau_id", flat=True))
    lines = []
    for bureau in Bureau.objects.filter(pk__in=set(readers) | asked).order_by("id"):
        lines.append(
            BureauCount(
                bureau,
                readers.get(bureau.pk, 0) + (bureau.pk in asked),
                confirmed.get(bureau.pk, 0) + (bureau.pk in answered),
            )
        )
    return lines


def by_bureau(notice: Notice, bureau_ids: Iterable[int] | None = None) -> list[BureauGroup]:
    """The readers of `notice` by bureau (all bureaus, or those of `bureau_ids`): the bureau itself first when bureaus
    are asked, then its institutions by name. Institutions are grouped by the bureau of their location."""
    institutions = expected_institutions(notice)
    bureaus = expected_bureaus(notice)
    if bureau_ids is not None:
        bureau_ids = list(bureau_ids)
        institutions, bureaus = institutions.filter(bureau_id__in=bureau_ids), bureaus.filter(pk__in=bureau_ids)
    receipts = ReadReceipt.objects.filter(notice=notice).select_related("confirmed_by")
    if bureau_ids is not None:
        receipts = receipts.filter(Q(institution__bureau_id__in=bureau_ids) | Q(bureau_id__in=bureau_ids))
    by_institution = {r.institution_id: r for r in receipts if r.institution_id}
    by_bureau_id = {r.bureau_id: r for r in receipts if r.bureau_id}
    groups: dict[int, BureauGroup] = {}
    for bureau in bureaus.order_by("id"):
        group = groups.setdefault(bureau.pk, BureauGroup(bureau))
        group.readers.append(Reader(bureau.display_name, "", by_bureau_id.get(bureau.pk)))
    listed: list[Institution] = list(institutions.select_related("bureau").order_by("bureau_id", "name"))
    for institution in listed:
        group = groups.setdefault(institution.bureau_id, BureauGroup(institution.bureau))
        group.readers.append(
            Reader(institution.name, institution.get_kind_display(), by_institution.get(institution.pk))
        )
    return [groups[pk] for pk in sorted(groups)]


# Up to this many readers the office's view lists every one of them; above it, those of the chosen bureau.
LIST_ALL_READERS = 1000


@dataclass(frozen=True)
class Overview:
    """The office's view of one notice's receipts: counts per bureau, and the readers listed (see `overview`)."""

    counts: list[BureauCount]
    groups: list[BureauGroup]
    chosen: Bureau | None

    @property
    def confirmed(self) -> int:
        return sum(c.confirmed for c in self.counts)

    @property
    def pending(self) -> int:
        return sum(c.pending for c in self.counts)


def overview(notice: Notice, bureau_id: int | None = None) -> Overview:
    """Counts per bureau, and the readers of the chosen bureau (`bureau_id`, if it has readers), else of every
    bureau while they are at most LIST_ALL_READERS, else none."""
    counts = summary(notice)
    chosen = next((c.bureau for c in counts if c.bureau.pk == bureau_id), None) if bureau_id is not None else None
    if chosen is not None:
        groups = by_bureau(notice, [chosen.pk])
    elif sum(c.readers for c in counts) <= LIST_ALL_READERS:
        groups = by_bureau(notice)
    else:
        groups = []
    return Overview(counts, groups, chosen)
