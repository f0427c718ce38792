"""The 通报 as an official document: a draft written from a checkpoint's data, edited by the office, issued
as Word and PDF. Publishing it as a notice is the top floor's step (onex.bulletins), which calls `issue`.

The document speaks Chinese whatever the reader's screen language (like the notice's attachments).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record, snapshot
from core.models import ProvinceSettings
from core.numbers import percent, round_half_up
from documents import labels
from monitoring import outlook
from monitoring import report as reports
from monitoring.checkpoints import target_for
from monitoring.enums import Standing
from monitoring.errors import Refused
from monitoring.figures import SUMS, summed
from monitoring.models import Checkpoint, InstitutionSnapshot
from monitoring.rates import CHECKPOINT_MONTHS, Figures, checkpoint_date
from monitoring.records import Bulletin

ISSUER = "安徽省教育厅"
ADDRESSEES = "各市教育局，各有关院校："
EDITABLE = ["number", "date", "title", "body"]


def default_number(year: int) -> str:
    return f"皖教秘职成〔{year}〕  号"


def title_for(checkpoint: Checkpoint) -> str:
    return f"关于{checkpoint.year}年{checkpoint.month}月1+X证书考核进度监测情况的通报"


@dataclass
class KindLine:
    name: str
    figures: Figures
    institutions: int
    slow: int
    serious: int


def by_kind(checkpoint: Checkpoint) -> list[KindLine]:
    """The checkpoint's figures per institution kind, one query."""
    rows = (
        InstitutionSnapshot.objects.filter(checkpoint=checkpoint)
        .values("kind")
        .annotate(
            **SUMS,
            institutions=Count("id"),
            slow=Count("id", filter=Q(standing=Standing.SLOW)),
            serious=Count("id", filter=Q(standing=Standing.SERIOUS)),
        )
        .order_by("kind")
    )
    return [KindLine(labels.kind(r["kind"]), summed(r), r["institutions"], r["slow"], r["serious"]) for r in rows]


def day_text(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def _trend(report: reports.Report) -> str:
    if not report.earlier:
        return "本年度首次监测。"
    previous = report.earlier[-1]
    rows = InstitutionSnapshot.objects.filter(checkpoint=previous)
    before = summed(rows.aggregate(**SUMS)).completion
    now = report.province.completion
    if before is None or now is None:
        return ""
    change = round_half_up(now) - round_half_up(before)
    moved = "提高" if change > 0 else "下降" if change < 0 else "持平"
    points = f"{abs(change)}个百分点" if change else ""
    return f"较上期（{previous.month}月底）的{percent(before)}{moved}{points}。"


def draft_body(report: reports.Report, forecast: str = "") -> str:
    """The narrative, written from the data: overall against the target, slow and serious by bureau, the trend,
    what comes next under R3, and (when given) the forecast's at-risk list. Paragraphs are separated by blank
    lines."""
    cp = report.checkpoint
    day = day_text(checkpoint_date(cp.year, cp.month))
    p = report.province
    met = "达到" if p.completion is not None and p.completion >= cp.target else "未达到"
    bureaus = "；".join(
        f"{b.name}{b.slow + b.serious}所（其中严重滞后{b.serious}所）" for b in report.bureaus if b.slow + b.serious
    )
    later = [m for m in CHECKPOINT_MONTHS if m > cp.month]
    threshold = f"{ProvinceSettings.current().cap_completion_threshold.normalize():f}"
    next_step = (
        f"下一监测节点为{day_text(checkpoint_date(cp.year, later[0]))}，目标完成率{percent(target_for(later[0]))}。"
        if later
        else "本次为年度最后一次监测，年度考核完成率将据此确定。"
    )
    return "\n\n".join(
        [
            ADDRESSEES,
            f"为推进1+X证书制度试点工作，省1+X办公室对截至{day}全省1+X证书考核进度进行了监测。现将有关情况通报如下。",
            f"一、总体情况。截至{day}，全省批准考核计划{p.approved}人，报名{p.registered}人，参考{p.examined}人，"
            f"通过{p.passed}人，考核完成率{percent(p.completion)}，{met}本期目标{percent(cp.target)}。{_trend(report)}",
            f"二、进度滞后情况。共有{report.behind_count}所院校进度滞后（完成率低于本期目标），"
            f"其中{report.serious_count}所严重滞后（低于目标的一半）。"
            + (f"分市情况：{bureaus}。" if bureaus else "各市均无进度滞后院校。"),
            f"三、下一步工作。{next_step}请进度滞后的院校分析原因，加快组织考核。按照通知要求，"
            f"年度考核完成率低于{threshold}%的院校，下一年度申报规模不得超过本年度批准规模。",
            *([forecast] if forecast else []),
            "附件：各市及各类院校考核进度统计表",
        ]
    )


def create_draft(*, actor, checkpoint: Checkpoint, with_forecast: bool = False) -> tuple[Bulletin, bool]:
    """The checkpoint's 通报 draft, written from its data unless it exists: (bulletin, created now); with_forecast:
    it lists the institutions expected to miss the threshold (monitoring.outlook).

    Side effects when created: one Bulletin row; audit `monitoring.bulletin.draft`.
    """
    with transaction.atomic():
        found = Bulletin.objects.select_for_update().filter(checkpoint=checkpoint).first()
        if found is not None:
            return found, False
        built = reports.build(checkpoint, actor)
        bulletin = Bulletin.objects.create(
            checkpoint=checkpoint,
            number=default_number(timezone.localdate().year),
            date=timezone.localdate(),
            title=title_for(checkpoint),
            body=draft_body(built, outlook.bulletin_paragraph(actor, checkpoint.year) if with_forecast else ""),
            created_by=actor,
            created_at=timezone.now(),
        )
        record(actor=actor, action="monitoring.bulletin.draft", obj=bulletin, after=snapshot(bulletin, EDITABLE))
    return bulletin, True


def update(*, actor, bulletin: Bulletin, **changes) -> Bulletin:
    """Edit the draft's number, date, title or text. Side effects: the fields; audit with before and after."""
    with transaction.atomic():
        bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
        if bulletin.is_issued:
            raise Refused(_("The bulletin is issued and can no longer be changed."))
        changed = [name for name in EDITABLE if name in changes and getattr(bulletin, name) != changes[name]]
        if changed:
            before = snapshot(bulletin, changed)
            for name in changed:
                setattr(bulletin, name, changes[name])
            bulletin.save(update_fields=changed)
            record(
                actor=actor,
                action="monitoring.bulletin.edit",
                obj=bulletin,
                before=before,
                after=snapshot(bulletin, changed),
            )
    return bulletin


def issue(*, actor, bulletin: Bulletin) -> Bulletin:
    """Fix the draft as the issued document: Word and PDF (A4, Chinese fonts embedded) rendered and kept.

    Side effects: the two files in private storage, `issued_at` and `issued_by`; audit `monitoring.bulletin.issue`.
    Refused without a complete document number (皖教秘职成〔2027〕N号) or when issued already.
    """
    from monitoring.bulletin_files import render_docx, render_pdf

    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if bulletin.is_issued:
        raise Refused(_("The bulletin is issued already."))
    number = bulletin.number.strip()
    if not number or "  " in number or not number.endswith("号"):
        raise Refused(_("Fill in the document number, e.g. 皖教秘职成〔2027〕12号."))
    built = reports.build(bulletin.checkpoint, actor)
    content = {"bulletin": bulletin, "report": built, "kinds": by_kind(bulletin.checkpoint)}
    stem = f"{bulletin.checkpoint.year}-{bulletin.checkpoint.month:02d}"
    bulletin.docx.save(f"bulletin-{stem}.docx", ContentFile(render_docx(**content)), save=False)
    bulletin.pdf.save(f"bulletin-{stem}.pdf", ContentFile(render_pdf(**content)), save=False)
    bulletin.issued_at, bulletin.issued_by = timezone.now(), actor
    bulletin.save(update_fields=["docx", "pdf", "issued_at", "issued_by"])
    record(actor=actor, action="monitoring.bulletin.issue", obj=bulletin, after={"number": number})
    return bulletin
