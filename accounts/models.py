from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.enums import Role


class UserQuerySet(models.QuerySet):
    def for_user(self, user) -> UserQuerySet:
        if user.sees_everything:
            return self.all()
        if user.institution_id:
            return self.filter(institution_id=user.institution_id)
        if user.bureau_id:
            return self.filter(bureau_id=user.bureau_id)
        return self.none()

    # Who gets told: the one place the recipients of a step's notification are looked up.

    def people_of(self, institution_id: int, *roles: str) -> UserQuerySet:
        """The active accounts of one institution in `roles` (all the institution roles when none is given)."""
        return self.filter(institution_id=institution_id, role__in=roles or Role.institution_roles(), is_active=True)

    def bureau_reviewers(self, bureau_id: int) -> UserQuerySet:
        return self.filter(role=Role.BUREAU_REVIEWER, bureau_id=bureau_id, is_active=True)

    def provincial_reviewers(self) -> UserQuerySet:
        return self.filter(role=Role.PROVINCIAL_REVIEWER, is_active=True)

    def reviewers_for(self, institution, *, level: str | None = None) -> UserQuerySet:
        """Who reviews `institution` at `level` ("bureau" or "province"); without a level, who reviews it first:
        its bureau for a secondary school, the province for the others (DOMAIN.md §7)."""
        bureau = level == "bureau" if level else institution.is_secondary
        return self.bureau_reviewers(institution.bureau_id) if bureau else self.provincial_reviewers()


# A class of its own, not the from_queryset() result: the migrations name it (Django's UserManager is used in
# migrations). django-stubs cannot type a subclass of a from_queryset() class (typeddjango/django-stubs#1699).
class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    """One person with one role of DOMAIN.md §3, and the scope that goes with it."""

    role = models.CharField(_("role"), max_length=40, choices=Role.choices)
    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("institution"),
    )
    bureau = models.ForeignKey(
        "institutions.Bureau",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("bureau"),
    )
    session_started_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects: ClassVar[UserManager] = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                name="user_scope_matches_role",
                condition=(
                    Q(role__in=Role.institution_roles(), institution__isnull=False, bureau__isnull=True)
                    | Q(role=Role.BUREAU_REVIEWER, bureau__isnull=False, institution__isnull=True)
                    | Q(role__in=Role.provincial_roles(), bureau__isnull=True, institution__isnull=True)
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def save(self, *args, **kwargs):
        # Django's admin is for provincial admins only; the flags follow the role.
        self.is_staff = self.is_superuser = self.role == Role.PROVINCIAL_ADMIN
        super().save(*args, **kwargs)

    @property
    def sees_everything(self) -> bool:
        return self.is_authenticated and self.role in Role.provincial_roles()

    @property
    def is_institution_user(self) -> bool:
        return self.role in Role.institution_roles()

    @property
    def is_bureau_reviewer(self) -> bool:
        return self.role == Role.BUREAU_REVIEWER

    @property
    def is_provincial_reviewer(self) -> bool:
        return self.role == Role.PROVINCIAL_REVIEWER

    @property
    def is_provincial_admin(self) -> bool:
        return self.role == Role.PROVINCIAL_ADMIN

    @property
    def scope_label(self) -> str:
        if self.institution is not None:
            return self.institution.name
        if self.bureau is not None:
            return self.bureau.display_name
        return str(_("Provincial 1+X office") if self.role != Role.OBSERVER else _("Department leadership"))


class LoginThrottle(models.Model):
    """The current run of failed logins for one username, known or not (accounts/lockout.py reads it).

    Kept in the database, which every web machine shares (a cache may be per machine). A row lives only while it
    matters: a success deletes it, and rows whose last failure is older than the lock are purged on later failures,
    so random usernames cannot pile rows up.
    """

    username = models.CharField(_("username"), max_length=150, unique=True)
    failures = models.PositiveSmallIntegerField(_("consecutive failures"), default=0)
    last_failure_at = models.DateTimeField(_("last failure"), db_index=True)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    class Meta:
        verbose_name = _("login throttle")
        verbose_name_plural = _("login throttles")

    def __str__(self) -> str:
        return self.username
