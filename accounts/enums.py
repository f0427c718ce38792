from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    INSTITUTION_STAFF = "institution_staff", _("institution staff")
    INSTITUTION_OFFICE_HEAD = "institution_office_head", _("certificate pilot office head")
    INSTITUTION_LEADER = "institution_leader", _("institution leader")
    BUREAU_REVIEWER = "bureau_reviewer", _("bureau reviewer")
    PROVINCIAL_REVIEWER = "provincial_reviewer", _("provincial reviewer")
    PROVINCIAL_ADMIN = "provincial_admin", _("provincial admin")
    OBSERVER = "observer", _("observer")

    @classmethod
    def institution_roles(cls) -> frozenset[str]:
        return frozenset({cls.INSTITUTION_STAFF, cls.INSTITUTION_OFFICE_HEAD, cls.INSTITUTION_LEADER})

    @classmethod
    def provincial_roles(cls) -> frozenset[str]:
        """Roles that see everything (DOMAIN.md §3)."""
        return frozenset({cls.PROVINCIAL_REVIEWER, cls.PROVINCIAL_ADMIN, cls.OBSERVER})

    @classmethod
    def second_factor_roles(cls) -> frozenset[str]:
        """Reviewers, admins and the observer (who reads every institution's candidate lists): their password alone
        does not sign them in (a TOTP code must follow)."""
        return frozenset({cls.BUREAU_REVIEWER, cls.PROVINCIAL_REVIEWER, cls.PROVINCIAL_ADMIN, cls.OBSERVER})
