from django.db import models
from django.utils.translation import gettext_lazy as _


class AdjustmentStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    AWAITING_OFFICE_HEAD = "awaiting_office_head", _("awaiting the office head")
    AWAITING_LEADER = "awaiting_leader", _("awaiting the leader")
    BUREAU_REVIEW = "bureau_review", _("bureau review")
    PROVINCIAL_REVIEW = "provincial_review", _("provincial review")
    APPROVED = "approved", _("approved")
    REDUCED = "reduced", _("approved lower")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")

    @classmethod
    def in_institution(cls) -> frozenset[str]:
        """Still inside the institution: reviewers outside it do not see the request yet."""
        return frozenset({cls.DRAFT, cls.AWAITING_OFFICE_HEAD, cls.AWAITING_LEADER})

    @classmethod
    def in_review(cls) -> frozenset[str]:
        return frozenset({cls.BUREAU_REVIEW, cls.PROVINCIAL_REVIEW})

    @classmethod
    def pending(cls) -> frozenset[str]:
        """Not decided and not withdrawn: re-checked whenever another request of the year is approved."""
        return cls.in_institution() | cls.in_review()

    @classmethod
    def granted(cls) -> frozenset[str]:
        """Approved as asked or lower: the plan of record changed."""
        return frozenset({cls.APPROVED, cls.REDUCED})

    @classmethod
    def decided(cls) -> frozenset[str]:
        return cls.granted() | {cls.REJECTED}

    @classmethod
    def withdrawable(cls) -> frozenset[str]:
        return cls.pending()


class ItemKind(models.TextChoices):
    INCREASE = "increase", _("higher headcount on an approved line")
    NEW_LINE = "new_line", _("new major or level of an approved certificate")


class Outcome(models.TextChoices):
    """The province's decision on a whole request."""

    APPROVE = "approve", _("approve as asked")
    REDUCE = "reduce", _("approve lower figures")
    REJECT = "reject", _("reject")
