"""The fields an import needs, the header names the national platform's exports use for them,
and the mapping from a file's headers to fields (guessed, or remembered per layout)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.tabular import header_key
from monitoring.enums import ImportKind


@dataclass(frozen=True)
class Field:
    key: str
    label: Promise
    header: str  # the template's header, and the first name looked for
    required: bool
    synonyms: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.header, *self.synonyms)


INSTITUTION = Field(
    "institution",
    _("institution (name or ministry code)"),
    "院校名称",
    False,
    ("学校名称", "院校", "学校", "单位名称", "机构名称", "试点院校", "院校代码", "学校代码", "学校标识码"),
)
CERTIFICATE = Field(
    "certificate", _("certificate"), "证书名称", True, ("证书", "职业技能等级证书", "考核证书", "证书名")
)
LEVEL = Field("level", _("level"), "等级", True, ("证书等级", "级别", "考核等级", "申报等级"))
MAJOR = Field("major", _("major"), "专业", False, ("专业名称", "考核专业", "所学专业"))

CANDIDATE_FIELDS = (
    INSTITUTION,
    Field("name", _("name"), "姓名", True, ("考生姓名", "学生姓名", "学员姓名")),
    Field(
        "id_number", _("ID number"), "身份证号", True, ("身份证号码", "证件号码", "证件号", "公民身份号码", "身份证")
    ),
    CERTIFICATE,
    LEVEL,
    MAJOR,
    Field("exam_date", _("exam date"), "考核日期", False, ("考试日期", "考核时间", "考试时间", "考评日期")),
    Field("result", _("result"), "考核结果", False, ("结果", "成绩", "是否通过", "考试结果", "考核成绩")),
    Field("certificate_number", _("certificate number"), "证书编号", False, ("证书号", "证书号码")),
)
TOTALS_FIELDS = (
    INSTITUTION,
    CERTIFICATE,
    LEVEL,
    MAJOR,
    Field("registered", _("registered"), "报名人数", True, ("报名", "报考人数")),
    Field("examined", _("examined"), "参考人数", True, ("实考人数", "参加考核人数", "考核人数")),
    Field("passed", _("passed"), "通过人数", True, ("合格人数", "通过")),
)


def fields_for(kind: str) -> tuple[Field, ...]:
    return CANDIDATE_FIELDS if kind == ImportKind.CANDIDATES else TOTALS_FIELDS


def normalize(header) -> str:
    """'  身份证号码（必填）* ' → '身份证号码': what two spellings of one header have in common."""
    return header_key(header)


def header_names(kind: str) -> list[str]:
    """Every header name (and synonym) of the fields of `kind`: what finds the header row."""
    return [name for field in fields_for(kind) for name in field.names]


def signature(headers: list) -> str:
    """The same set of headers, in any order, gives the same signature."""
    names = sorted({normalize(h) for h in headers if normalize(h)})
    return hashlib.sha256("\x1f".join(names).encode()).hexdigest()


def guess(kind: str, headers: list) -> dict[str, str]:
    """{field key: header} for every field whose name (or a synonym) is among `headers`."""
    by_name = {normalize(h): str(h) for h in headers if normalize(h)}
    mapping = {}
    for field in fields_for(kind):
        for name in field.names:
            if normalize(name) in by_name:
                mapping[field.key] = by_name[normalize(name)]
                break
    return mapping


def positions(kind: str, mapping: dict[str, str], headers: list) -> dict[str, int]:
    """{field key: column index} for the mapped fields present in `headers`."""
    index = {normalize(h): i for i, h in enumerate(headers) if normalize(h)}
    return {key: index[normalize(header)] for key, header in mapping.items() if normalize(header) in index}


def missing(kind: str, mapping: dict[str, str], headers: list, *, needs_institution: bool) -> list[Field]:
    found = positions(kind, mapping, headers)
    return [
        f
        for f in fields_for(kind)
        if (f.required or (f.key == "institution" and needs_institution)) and f.key not in found
    ]
