"""Steps on an institution's own record, one function each, audited."""

from __future__ import annotations

from django.db import transaction

from accounts.enums import Role
from accounts.models import User
from audit.services import record
from institutions.models import Institution

# Who may record an institution's national platform registration: the provincial admin for any institution,
# the institution's staff (经办人) for their own (DOMAIN.md §6 R8).
REGISTRARS = frozenset({Role.PROVINCIAL_ADMIN, Role.INSTITUTION_STAFF})


def can_record_registration(user: User, institution: Institution) -> bool:
    if not user.is_authenticated or user.role not in REGISTRARS:
        return False
    return user.is_provincial_admin or user.institution_id == institution.pk


@transaction.atomic
def record_registration(*, actor: User, institution: Institution, account: str) -> Institution:
    """Record (or correct, or clear) the institution's national platform account or institution code.

    From then on R8 lets its plans be submitted. Side effects: `platform_account`; audit
    `institution.registration` with the value before and after (nothing when the value is unchanged).
    """
    if not can_record_registration(actor, institution):
        raise PermissionError("not allowed to record this institution's registration")
    institution = Institution.objects.select_for_update().get(pk=institution.pk)
    account = account.strip()
    if account == institution.platform_account:
        return institution
    before = institution.platform_account
    institution.platform_account = account
    institution.save(update_fields=["platform_account"])
    record(
        actor=actor,
        action="institution.registration",
        obj=institution,
        before={"platform_account": before},
        after={"platform_account": account},
    )
    return institution


# Who may keep an institution's contacts (联系人, 电话, printed on 附件1/2/3): its certificate pilot office (staff and
# office head) for their own institution, the provincial admin for any.
CONTACT_KEEPERS = frozenset({Role.PROVINCIAL_ADMIN, Role.INSTITUTION_STAFF, Role.INSTITUTION_OFFICE_HEAD})


def can_keep_contacts(user: User, institution: Institution) -> bool:
    if not user.is_authenticated or user.role not in CONTACT_KEEPERS:
        return False
    return user.is_provincial_admin or user.institution_id == institution.pk


@transaction.atomic
def record_contacts(*, actor: User, institution: Institution, name: str, phone: str) -> Institution:
    """Keep the institution's contact person and phone, printed on its attachments from then on.

    Side effects: `contact_name`, `contact_phone`; audit `institution.contacts` with the values before and after
    (nothing when unchanged). Raises PermissionError for anyone but the institution's office or the admin.
    """
    if not can_keep_contacts(actor, institution):
        raise PermissionError("not allowed to keep this institution's contacts")
    institution = Institution.objects.select_for_update().get(pk=institution.pk)
    before = {"contact_name": institution.contact_name, "contact_phone": institution.contact_phone}
    after = {"contact_name": name.strip(), "contact_phone": phone.strip()}
    if before == after:
        return institution
    institution.contact_name, institution.contact_phone = after["contact_name"], after["contact_phone"]
    institution.save(update_fields=["contact_name", "contact_phone"])
    record(actor=actor, action="institution.contacts", obj=institution, before=before, after=after)
    return institution
