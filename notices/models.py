"""Notices of the provincial office, their attachments and read receipts, and the office's contacts (DOMAIN.md §11)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from institutions.enums import InstitutionKind
from notices.enums import Audience, ContactTopic, NoticeState


class NoticeQuerySet(models.QuerySet):
    def published(self) -> NoticeQuerySet:
        return self.filter(published_at__isnull=False)

    def for_user(self, user) -> NoticeQuerySet:
        """What `user` may read: the office every notice (drafts too); others the published notices meant for them.

        Anonymous visitors read the public notices only.
        """
        if user.is_authenticated and user.sees_everything:
            return self.all()
        meant = Q(audience=Audience.PUBLIC)
        if user.is_authenticated and user.institution_id:
            meant |= Q(audience=Audience.INSTITUTIONS) | Q(
                audience=Audience.KIND, institution_kind=user.institution.kind
            )
        elif user.is_authenticated and user.bureau_id:
            meant |= Q(audience=Audience.BUREAUS)
        return self.published().filter(meant)

    def unconfirmed_by(self, user) -> NoticeQuerySet:
        """Published notices for `user` that `user`'s institution or bureau has not confirmed yet (not withdrawn)."""
        if user.institution_id:
            confirmed = ReadReceipt.objects.filter(institution_id=user.institution_id)
        elif user.bureau_id:
            confirmed = ReadReceipt.objects.filter(bureau_id=user.bureau_id)
        else:
            return self.none()
        return (
            self.for_user(user)
            .published()
            .filter(expects_receipts=True, withdrawn_at__isnull=True)
            .exclude(pk__in=confirmed.values("notice_id"))
        )


class Notice(models.Model):
    """One notice (通知) as the office issues it; a draft until `published_at` is set."""

    year = models.PositiveSmallIntegerField(_("year"), help_text=_("The year of the document number, e.g. 2022."))
    number = models.CharField(
        _("document number"), max_length=60, blank=True, help_text=_("文号, e.g. 皖教秘职成〔2022〕11号.")
    )
    date = models.DateField(_("date of issue"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("body"), blank=True, help_text=_("Markdown: headings with #, lists, links. HTML is shown as text.")
    )
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    institution_kind = models.CharField(
        _("institution kind"),
        max_length=30,
        choices=InstitutionKind.choices,
        blank=True,
        help_text=_("Only for the audience 'one kind of institution'."),
    )
    round = models.ForeignKey(
        "rounds.Round",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name=_("round"),
    )
    offers_templates = models.BooleanField(
        _("offers the blank templates"),
        default=False,
        help_text=_("Show the blank application form, summary sheet and adjustment request under the notice."),
    )
    expects_receipts = models.BooleanField(
        _("asks readers to confirm"),
        default=True,
        help_text=_("Institutions and bureaus it is for confirm they have read it."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("written by")
    )
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )

    # A published notice is never deleted or rewritten: the office withdraws it (撤回), with its reason, and its
    # page stays at the same address saying so; a correction is a new notice.
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )
    withdrawn_reason = models.CharField(_("reason for withdrawal"), max_length=500, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        # Drafts first (the office's work in progress), then the newest published.
        ordering = [models.F("published_at").desc(nulls_first=True), "-id"]
        indexes = [models.Index(fields=["audience", "published_at"], name="notice_audience_published")]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="notice_title_not_empty"),
            models.CheckConstraint(condition=Q(audience__in=Audience.values), name="notice_audience_valid"),
            models.CheckConstraint(
                condition=(Q(audience=Audience.KIND) & Q(institution_kind__in=InstitutionKind.values))
                | (~Q(audience=Audience.KIND) & Q(institution_kind="")),
                name="notice_kind_only_for_kind_audience",
            ),
            models.UniqueConstraint(fields=["number"], condition=~Q(number=""), name="notice_number_unique"),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True)
                | (Q(published_at__isnull=False) & Q(withdrawn_by__isnull=False) & ~Q(withdrawn_reason="")),
                name="notice_withdrawn_when_published_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title

    def get_absolute_url(self) -> str:
        return reverse("notice_detail", kwargs={"year": self.year, "pk": self.pk})

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def state(self) -> str:
        if self.is_withdrawn:
            return NoticeState.WITHDRAWN
        return NoticeState.PUBLISHED if self.is_published else NoticeState.DRAFT

    @property
    def is_public(self) -> bool:
        return self.audience == Audience.PUBLIC

    @property
    def audience_label(self) -> str:
        if self.audience == Audience.KIND:
            return str(InstitutionKind(self.institution_kind).label)
        return str(Audience(self.audience).label)


def attachment_path(instance: NoticeAttachment, filename: str) -> str:
    # The stored name is ours (the hash), never the uploader's; the uploader's name is kept for display.
    return f"notices/{instance.notice.year}/{instance.sha256}.pdf"


class NoticeAttachment(models.Model):
    """A PDF attached to a notice (e.g. the blank forms as the office issued them), checked by its bytes."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("notice"))
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("notice attachment")
        verbose_name_plural = _("notice attachments")
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=~Q(title=""), name="notice_attachment_title_not_empty")]

    def __str__(self) -> str:
        return self.title


class ReadReceipt(models.Model):
    """'已阅': one per notice and reader organisation (an institution or a bureau), by whoever confirmed first.

    The office asks which institutions and bureaus have read a notice, not which people, so the receipt belongs
    to the organisation; the database refuses a second one.
    """

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="receipts", verbose_name=_("notice"))
    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("institution"),
    )
    bureau = models.ForeignKey(
        "institutions.Bureau",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bureau"),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("confirmed by")
    )
    confirmed_at = models.DateTimeField(_("confirmed at"))

    class Meta:
        verbose_name = _("read receipt")
        verbose_name_plural = _("read receipts")
        ordering = ["confirmed_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(institution__isnull=False, bureau__isnull=True)
                | Q(institution__isnull=True, bureau__isnull=False),
                name="read_receipt_one_reader",
            ),
            models.UniqueConstraint(
                fields=["notice", "institution"],
                condition=Q(institution__isnull=False),
                name="read_receipt_once_per_institution",
            ),
            models.UniqueConstraint(
                fields=["notice", "bureau"], condition=Q(bureau__isnull=False), name="read_receipt_once_per_bureau"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.notice_id} · {self.institution_id or self.bureau_id}"


class Contact(models.Model):
    """One line of the contacts page: who at the office answers which topic."""

    topic = models.CharField(_("topic"), max_length=20, choices=ContactTopic.choices)
    unit = models.CharField(_("office"), max_length=100, help_text=_("e.g. 省1+X办公室"))
    names = models.CharField(_("contact person(s)"), max_length=100)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    note = models.CharField(_("what to ask"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(topic__in=ContactTopic.values), name="contact_topic_valid"),
            models.CheckConstraint(condition=~Q(names=""), name="contact_names_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.names}"
