"""One institution (DOMAIN.md §3): its national-platform registration (R8) and its contacts — each one call of
`institutions.services`, scoped by `institutions.access`, with the page's own permission checks."""

from __future__ import annotations

from typing import Annotated

from django.core.exceptions import PermissionDenied
from ninja import Path, Router, Schema
from pydantic import Field, StringConstraints

from api.fields import Id, example, line
from api.problems import problems
from api.schemas import Ref
from api.serializers import ref
from institutions import services
from institutions.access import get_institution_for_user
from institutions.enums import InstitutionKind
from institutions.models import Institution

router = Router(tags=["institutions"])

# The page's ContactsForm: digits, spaces, +, - and brackets.
Phone = Annotated[str, StringConstraints(max_length=50, pattern=r"^[0-9+()（）\- ]*$", strip_whitespace=True)]


class InstitutionDetailOut(Schema):
    id: int
    name: str
    kind: InstitutionKind
    bureau: Ref
    ministry_code: str | None
    platform_account: str = Field(description="The national platform account or institution code; empty: none (R8).")
    registered_on_platform: bool
    contact_name: str
    contact_phone: str
    may_record_registration: bool = Field(description="You may change the registration.")
    may_keep_contacts: bool = Field(description="You may change the contacts.")


class RegistrationIn(Schema):
    model_config = example({"platform_account": "AH340100001"})

    platform_account: line(100) = Field(description="Empty clears the registration.")  # type: ignore[valid-type]


class ContactsIn(Schema):
    model_config = example({"contact_name": "王老师", "contact_phone": "0551-12345678"})

    contact_name: line(50) = ""  # type: ignore[valid-type]
    contact_phone: Phone = ""


def institution_detail(institution: Institution, user) -> dict:
    return {
        "id": institution.pk,
        "name": institution.name,
        "kind": institution.kind,
        "bureau": ref(institution.bureau),
        "ministry_code": institution.ministry_code,
        "platform_account": institution.platform_account,
        "registered_on_platform": institution.is_registered_on_platform,
        "contact_name": institution.contact_name,
        "contact_phone": institution.contact_phone,
        "may_record_registration": services.can_record_registration(user, institution),
        "may_keep_contacts": services.can_keep_contacts(user, institution),
    }


def _fresh(user, pk: int) -> dict:
    return institution_detail(get_institution_for_user(user, pk), user)


@router.get(
    "/institutions/{institution_id}",
    response={200: InstitutionDetailOut, **problems(404, 422)},
    operation_id="institutions_read",
    summary="One institution, its national-platform registration and contacts",
    description="Everyone, for an institution in their scope (404 otherwise).",
)
def institutions_read(request, institution_id: Path[Id]):
    return _fresh(request.user, institution_id)


@router.put(
    "/institutions/{institution_id}/registration",
    response={200: InstitutionDetailOut, **problems(400, 403, 404, 422)},
    operation_id="institution_registration_update",
    summary="Record, correct or clear the national-platform registration (R8)",
    description="The institution's staff for their own institution, the provincial admin for any; others 403 "
    "(404 outside their scope). Audited with the value before and after. Once recorded, rule R8 no longer "
    "blocks the institution's plans.",
)
def institution_registration_update(request, institution_id: Path[Id], payload: RegistrationIn):
    user = request.user
    institution = get_institution_for_user(user, institution_id)
    if not services.can_record_registration(user, institution):
        raise PermissionDenied
    services.record_registration(actor=user, institution=institution, account=payload.platform_account)
    return _fresh(user, institution.pk)


@router.put(
    "/institutions/{institution_id}/contacts",
    response={200: InstitutionDetailOut, **problems(400, 403, 404, 422)},
    operation_id="institution_contacts_update",
    summary="Keep the contact person and phone printed on the institution's attachments",
    description="The institution's staff and office head for their own institution, the provincial admin for any; "
    "others 403 (404 outside their scope). Audited with the values before and after.",
)
def institution_contacts_update(request, institution_id: Path[Id], payload: ContactsIn):
    user = request.user
    institution = get_institution_for_user(user, institution_id)
    if not services.can_keep_contacts(user, institution):
        raise PermissionDenied
    services.record_contacts(
        actor=user, institution=institution, name=payload.contact_name, phone=payload.contact_phone
    )
    return _fresh(user, institution.pk)
