"""The steps of a notice: write, change, attach, publish, withdraw, confirm read, remind. One function each, audited.

Views, the admin and the demo loader call these; nothing else writes notices or receipts.
"""

from __future__ import annotations

from datetime import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.enums import Role
from accounts.models import User
from audit.services import record, snapshot
from institutions.models import Bureau, Institution
from notices import workflow
from notices.access import can_write
from notices.attachments import read_checked
from notices.enums import Audience
from notices.errors import NoticeError
from notices.models import Notice, NoticeAttachment, ReadReceipt
from notices.workflow import Step
from notifications.services import notify
from plans.transitions import Work

FIELDS = [
    "year",
    "number",
    "date",
    "title",
    "body",
    "audience",
    "institution_kind",
    "round",
    "offers_templates",
    "expects_receipts",
]
# Who is reminded of an unconfirmed notice: the institution's certificate pilot office, the bureau's reviewers.
REMINDED_ROLES = frozenset({Role.INSTITUTION_STAFF, Role.INSTITUTION_OFFICE_HEAD, Role.BUREAU_REVIEWER})


def _require_writer(actor) -> None:
    if not can_write(actor):
        raise workflow.writer_only(actor)


def _kind_for(audience: str, institution_kind: str) -> str:
    if audience == Audience.KIND and not institution_kind:
        raise NoticeError(_("Choose the kind of institution the notice is for."))
    return institution_kind if audience == Audience.KIND else ""


def _require_free_number(number: str, notice: Notice | None = None) -> None:
    taken = Notice.objects.filter(number=number)
    if notice is not None:
        taken = taken.exclude(pk=notice.pk)
    if number and taken.exists():
        raise NoticeError(_("Another notice has the document number %(number)s.") % {"number": number})


@transaction.atomic
def create_notice(*, actor, **values) -> Notice:
    """A new draft notice. Refused (NoticeError) for the audience of one kind without the kind, or a document
    number another notice has. Side effects: one Notice row; audit `notice.create`."""
    _require_writer(actor)
    _require_free_number(values.get("number", ""))
    values["institution_kind"] = _kind_for(values["audience"], values.get("institution_kind", ""))
    notice = Notice.objects.create(created_by=actor, **values)
    record(actor=actor, action="notice.create", obj=notice, after=snapshot(notice, FIELDS))
    return notice


@transaction.atomic
def update_notice(*, actor, notice: Notice, **changes) -> Notice:
    """Change a draft. Side effects: the changed fields; audit `notice.update` with before and after."""
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    workflow.check(notice, Step.EDIT, actor=actor)
    if "audience" in changes:
        changes["institution_kind"] = _kind_for(changes["audience"], changes.get("institution_kind", ""))
    if "number" in changes:
        _require_free_number(changes["number"], notice)
    changed = [name for name, value in changes.items() if getattr(notice, name) != value]
    if not changed:
        return notice
    before = snapshot(notice, changed)
    for name in changed:
        setattr(notice, name, changes[name])
    notice.save(update_fields=changed)
    record(actor=actor, action="notice.update", obj=notice, before=before, after=snapshot(notice, changed))
    return notice


@transaction.atomic
def publish_notice(*, actor, notice: Notice, at: datetime) -> Notice:
    """Publish a draft: from now on everyone in its audience reads it (the public without logging in).

    Side effects: `published_at`, `published_by`; a message in the inbox of every active person of its audience
    (and its e-mail job); audit `notice.publish` with how many were told.
    """
    audited: dict = {"published_at": at}

    def tell(notice: Notice) -> Work:
        def then() -> None:
            rows = notify(
                recipients=list(audience_people(notice)),
                name="notice_published",
                context={"notice": notice},
                url=notice.get_absolute_url(),
            )
            audited.update(audience=notice.audience, people=len(rows))  # recorded once everyone was told

        return Work(audit=audited, then=then)

    return workflow.move(notice, Step.PUBLISH, actor=actor, at=at, prepare=tell, published_at=at, published_by=actor)


def audience_people(notice: Notice):
    """The active people a notice is meant for: every person of its institutions and bureaus (the office reads
    every notice anyway)."""
    meant = Q(pk__in=[])
    if notice.audience in Audience.for_institutions():
        meant |= Q(institution__isnull=False)
    elif notice.audience == Audience.KIND:
        meant |= Q(institution__kind=notice.institution_kind)
    if notice.audience in Audience.for_bureaus():
        meant |= Q(bureau__isnull=False)
    return User.objects.filter(meant, is_active=True).order_by("pk")


@transaction.atomic
def withdraw_notice(*, actor, notice: Notice, reason: str, at: datetime) -> Notice:
    """Withdraw a published notice (撤回): it stays readable at its address, marked withdrawn with `reason`, and no
    longer asks anyone to confirm it or can be reminded of.

    Side effects: `withdrawn_at`, `withdrawn_by`, `withdrawn_reason`; audit `notice.withdraw`.
    """
    reason = reason.strip()

    def needs_reason(notice: Notice) -> Work:
        if not reason:
            raise NoticeError(_("Say why the notice is withdrawn: its readers see the reason."))
        return Work(audit={"withdrawn_at": at, "reason": reason})

    return workflow.move(
        notice,
        Step.WITHDRAW,
        actor=actor,
        at=at,
        prepare=needs_reason,
        withdrawn_at=at,
        withdrawn_by=actor,
        withdrawn_reason=reason,
    )


@transaction.atomic
def add_attachment(*, actor, notice: Notice, title: str, upload, at: datetime) -> NoticeAttachment:
    """Attach a PDF to a draft after checking its bytes (raises AttachmentRefused).

    Side effects: the file in private storage, one NoticeAttachment row; audit `notice.attach`.
    """
    workflow.check(notice, Step.EDIT, actor=actor)
    checked = read_checked(upload)
    attachment = NoticeAttachment(
        notice=notice,
        title=title,
        original_name=checked.name,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
        uploaded_at=at,
    )
    attachment.file.save("attachment.pdf", ContentFile(checked.kept), save=False)
    attachment.save()
    record(
        actor=actor,
        action="notice.attach",
        obj=notice,
        after={"title": title, "file": checked.name, "size": checked.size, "sha256": checked.sha256},
    )
    return attachment


@transaction.atomic
def remove_attachment(*, actor, attachment: NoticeAttachment) -> None:
    """Take an attachment off a draft. Side effects: the row goes (the file stays); audit `notice.detach`."""
    workflow.check(attachment.notice, Step.EDIT, actor=actor)
    record(
        actor=actor,
        action="notice.detach",
        obj=attachment.notice,
        before={"title": attachment.title, "file": attachment.original_name, "sha256": attachment.sha256},
    )
    attachment.delete()


def reader_of(user) -> dict:
    """The organisation `user` confirms for: {"institution_id": …} or {"bureau_id": …}; {} for the office."""
    if user.institution_id:
        return {"institution_id": user.institution_id}
    if user.bureau_id:
        return {"bureau_id": user.bureau_id}
    return {}


def confirm_read(*, user, notice: Notice, at: datetime) -> tuple[ReadReceipt, bool]:
    """'已阅' for `user`'s institution or bureau; a second confirmation (even a concurrent one) changes nothing.

    Returns the receipt and whether it was made now. Side effects: one ReadReceipt the first time; audit
    `notice.confirm` then only.
    """
    reader = reader_of(user)
    notice = Notice.objects.get(pk=notice.pk)  # as it is now: it may have been withdrawn since it was read
    if Step.CONFIRM not in workflow.allowed_steps(user, notice):
        raise NoticeError(_("This notice asks no confirmation from you."))
    if not Notice.objects.for_user(user).filter(pk=notice.pk).exists():
        raise NoticeError(_("This notice is not addressed to you."))
    with transaction.atomic():
        # The partial unique constraints make a concurrent second insert fail; get_or_create then reads the winner.
        receipt, created = ReadReceipt.objects.get_or_create(
            notice=notice, **reader, defaults={"confirmed_by": user, "confirmed_at": at}
        )
        if created:
            record(actor=user, action="notice.confirm", obj=notice, after={**reader, "confirmed_at": at})
    return receipt, created


def expected_institutions(notice: Notice):
    """The institutions a notice asks to confirm it."""
    if not notice.expects_receipts:
        return Institution.objects.none()
    if notice.audience in Audience.for_institutions():
        return Institution.objects.all()
    if notice.audience == Audience.KIND:
        return Institution.objects.filter(kind=notice.institution_kind)
    return Institution.objects.none()


def expected_bureaus(notice: Notice):
    """The bureaus a notice asks to confirm it."""
    if notice.expects_receipts and notice.audience in Audience.for_bureaus():
        return Bureau.objects.all()
    return Bureau.objects.none()


@transaction.atomic
def remind_unconfirmed(*, actor, notice: Notice, bureau: Bureau | None = None) -> int:
    """Remind the institutions and bureaus that have not confirmed `notice` (only those of `bureau` when given).

    Reaches the certificate pilot office staff and office heads of each institution, and the bureau's reviewers,
    through the inbox (which e-mails those with an address). Returns how many people were reminded.
    Side effects: one inbox message per person (and its e-mail job); audit `notice.remind`.
    """
    _require_writer(actor)
    notice = Notice.objects.get(pk=notice.pk)  # as it is now: it may have been withdrawn since it was read
    if Step.REMIND not in workflow.allowed_steps(actor, notice):
        return 0
    institutions = expected_institutions(notice).exclude(
        pk__in=notice.receipts.filter(institution__isnull=False).values("institution_id")
    )
    bureaus = expected_bureaus(notice).exclude(pk__in=notice.receipts.filter(bureau__isnull=False).values("bureau_id"))
    if bureau is not None:
        institutions, bureaus = institutions.filter(bureau=bureau), bureaus.filter(pk=bureau.pk)
    people = list(
        User.objects.filter(is_active=True, role__in=REMINDED_ROLES).filter(
            Q(institution__in=institutions) | Q(bureau__in=bureaus)
        )
    )
    rows = notify(recipients=people, name="notice_reminder", context={"notice": notice}, url=notice.get_absolute_url())
    record(
        actor=actor,
        action="notice.remind",
        obj=notice,
        # Who exactly is in the inbox rows themselves; the trail keeps the counts.
        after={
            "people": len(rows),
            "institutions": institutions.count(),
            "bureaus": bureaus.count(),
            "bureau": bureau.name if bureau else "",
        },
    )
    return len(rows)
