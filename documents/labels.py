"""The Chinese words the notice's attachments use, whatever language the reader's screen is in."""

from __future__ import annotations

from functools import cache

from django.utils import translation

from catalog.enums import Level
from core.numbers import percent
from institutions.enums import InstitutionKind
from plans.enums import Continuity, PlanStatus
from rounds.enums import Season

KIND: dict[str, str] = {
    InstitutionKind.APPLIED_UNDERGRAD: "应用型本科",
    InstitutionKind.HIGHER_VOCATIONAL: "高职院校",
    InstitutionKind.PROVINCIAL_SECONDARY: "省属中专",
    InstitutionKind.SECONDARY_VOCATIONAL: "中职学校",
}
SEASON: dict[str, str] = {Season.SPRING: "春季", Season.AUTUMN: "秋季"}
CONTINUITY: dict[str, str] = {Continuity.NEW: "新增", Continuity.CONTINUING: "已申报"}
BATCH = {1: "第一批", 2: "第二批", 3: "第三批", 4: "第四批"}


def level(value: str) -> str:
    return Level(value).chinese


def kind(value: str) -> str:
    return KIND.get(value, value)


@cache
def statuses() -> dict[str, str]:
    """A plan's status in the words the pages use (the Chinese catalogue): one vocabulary everywhere."""
    with translation.override("zh-hans"):
        return {value: str(label) for value, label in PlanStatus.choices}


def status(value: str) -> str:
    return statuses().get(value, value)


def round_label(round_) -> str:
    return f"{round_.year}年{SEASON.get(round_.season, round_.season)}"


def rate(value) -> str:
    """A completion rate in %, rounded half up, or a dash when the year has none."""
    return percent(value, "—")
