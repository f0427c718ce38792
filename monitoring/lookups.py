"""What an import resolves cells against, loaded once per import: institutions, certificates,
levels, results, dates, and the approved lines of the year."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from catalog.enums import Level
from catalog.models import Certificate
from institutions.models import Institution
from monitoring.enums import Result
from plans.enums import PlanStatus
from plans.models import PlanLine

CERTIFICATE_SUFFIX = "职业技能等级证书"
EXCEL_EPOCH = date(1899, 12, 30)
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M")

LEVEL_WORDS = {
    "初级": Level.JUNIOR,
    "中级": Level.INTERMEDIATE,
    "高级": Level.SENIOR,
    "1": Level.JUNIOR,
    "2": Level.INTERMEDIATE,
    "3": Level.SENIOR,
    "junior": Level.JUNIOR,
    "intermediate": Level.INTERMEDIATE,
    "senior": Level.SENIOR,
}
RESULT_WORDS = {
    "": Result.REGISTERED,
    "报名": Result.REGISTERED,
    "已报名": Result.REGISTERED,
    "待考": Result.REGISTERED,
    "未考": Result.REGISTERED,
    "registered": Result.REGISTERED,
    "缺考": Result.ABSENT,
    "缺席": Result.ABSENT,
    "未参考": Result.ABSENT,
    "absent": Result.ABSENT,
    "不通过": Result.FAILED,
    "未通过": Result.FAILED,
    "不合格": Result.FAILED,
    "否": Result.FAILED,
    "fail": Result.FAILED,
    "failed": Result.FAILED,
    "通过": Result.PASSED,
    "已通过": Result.PASSED,
    "合格": Result.PASSED,
    "是": Result.PASSED,
    "pass": Result.PASSED,
    "passed": Result.PASSED,
}


MEMO_LIMIT = 100_000


def memo(cache: dict, value, compute):
    """compute(value), remembered: an export repeats the same few hundred names a million times."""
    # Keyed with the type as well: 1, 1.0 and True are equal to a dict but not to an import.
    remembered = (value.__class__, value)
    try:
        return cache[remembered]
    except KeyError:
        found = compute(value)
        if len(cache) < MEMO_LIMIT:
            cache[remembered] = found
        return found


class Resolved(dict):
    """key → meaning, computed once per distinct key (an export repeats a few hundred names a
    million times). Only keys made of `kinds` are remembered (text by default): 1, 1.0 and True are
    one key to a dict, not to an import. A tuple key is remembered when each of its parts is."""

    def __init__(self, compute, *, kinds: tuple[type, ...] = (str,)):
        super().__init__()
        self.compute = compute
        self.kinds = kinds

    def __missing__(self, value):
        found = self.compute(value)
        parts = value if type(value) is tuple else (value,)
        if len(self) < MEMO_LIMIT and all(type(part) in self.kinds for part in parts):
            self[value] = found
        return found

    def get(self, value, default=None):
        return self[value]


_LEVEL_MEMO: dict = {}
_RESULT_MEMO: dict = {}


def key(text) -> str:
    """Names compared the way people mistype them: full-width folded, spaces gone, lower case."""
    return unicodedata.normalize("NFKC", str(text)).replace(" ", "").replace("\u3000", "").strip().lower()


def text_of(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def level_of(value) -> str | None:
    return memo(_LEVEL_MEMO, value, lambda v: LEVEL_WORDS.get(key(text_of(v))))


def result_of(value) -> str | None:
    return memo(_RESULT_MEMO, value, lambda v: RESULT_WORDS.get(key(text_of(v))))


def date_of(value) -> date | None:
    """A date from a cell (a date, a datetime, an Excel serial number or text); None if it is none."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if type(value) is str and len(value) == 10 and value[4] == "-":
        try:
            return date.fromisoformat(value)  # the common text form, without strptime's cost
        except ValueError:
            pass
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2_958_466:  # Excel's serial numbers, up to 9999-12-31
            return EXCEL_EPOCH + timedelta(days=int(value))
        return None
    text = str(value).strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def count_of(value) -> int | None:
    """A non-negative whole number from a cell, or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return int(value) if float(value).is_integer() and value >= 0 else None
    text = text_of(value)
    return int(text) if text.isdigit() else None


@dataclass
class Lookups:
    year: int
    institution_id: int | None  # every row belongs to it when set
    institutions: dict[str, int] = field(default_factory=dict)
    institution_names: dict[int, str] = field(default_factory=dict)
    certificates: dict[str, int] = field(default_factory=dict)
    # (institution, certificate, level) → [(line id, major key)], oldest line first
    lines: dict[tuple[int, int, str], list[tuple[int, str]]] = field(default_factory=dict)
    _institution_memo: dict = field(default_factory=dict, repr=False)
    _certificate_memo: dict = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, *, year: int, institution_id: int | None) -> Lookups:
        found = cls(year=year, institution_id=institution_id)
        institutions = Institution.objects.all()
        if institution_id is not None:
            institutions = institutions.filter(pk=institution_id)
        for pk, name, code in institutions.values_list("pk", "name", "ministry_code"):
            found.institutions[key(name)] = pk
            found.institution_names[pk] = name
            if code:
                found.institutions[key(code)] = pk
        for pk, name in Certificate.objects.values_list("pk", "name"):
            found.certificates[key(name)] = pk
            found.certificates.setdefault(key(name.removesuffix(CERTIFICATE_SUFFIX)), pk)
        lines = PlanLine.objects.filter(
            plan__round__year=year, plan__status=PlanStatus.PUBLISHED, approved_headcount__gt=0
        )
        if institution_id is not None:
            lines = lines.filter(plan__institution_id=institution_id)
        rows = lines.order_by("pk").values_list("pk", "plan__institution_id", "certificate_id", "level", "major_name")
        for pk, inst, cert, level, major in rows.iterator(chunk_size=5000):
            found.lines.setdefault((inst, cert, level), []).append((pk, key(major)))
        return found

    def institution(self, value) -> int | None:
        return memo(self._institution_memo, value, lambda v: self.institutions.get(key(text_of(v))))

    def certificate(self, value) -> int | None:
        return memo(self._certificate_memo, value, lambda v: self.certificates.get(key(text_of(v))))

    def line(self, institution: int, certificate: int, level: str, major) -> int | None:
        """The approved line for these; several majors: the one named, else the oldest line (decided)."""
        found = self.lines.get((institution, certificate, level))
        if not found:
            return None
        if len(found) > 1 and major:
            wanted = key(text_of(major))
            for pk, major_key in found:
                if major_key == wanted:
                    return pk
        return found[0][0]

    def line_by_major(self, institution: int, certificate: int, level: str, major) -> tuple[int | None, bool]:
        """For per-line totals the major must pick one line when there are several: (line, ambiguous)."""
        found = self.lines.get((institution, certificate, level))
        if not found:
            return None, False
        wanted = key(text_of(major)) if major else ""
        if wanted:
            for pk, major_key in found:
                if major_key == wanted:
                    return pk, False
            return None, False
        return (found[0][0], False) if len(found) == 1 else (None, True)
