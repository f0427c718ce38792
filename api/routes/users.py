"""People (DOMAIN.md §3): the provincial admin lists, creates and deactivates accounts in their scope and resets a
lost second factor — each one call of `accounts.services`, through the page's own form for a new account."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404
from django_otp.plugins.otp_totp.models import TOTPDevice
from ninja import Path, Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from accounts import services
from accounts.enums import Role
from accounts.forms import UserCreateForm
from accounts.models import User
from api.common import require_role
from api.fields import Id, example, line, required_line, required_text
from api.pagination import PageIn, PageOut, paged
from api.problems import VALIDATION, problem, problems
from api.schemas import InstitutionRef, Ref
from api.serializers import institution_ref, ref

router = Router(tags=["users"])

ADMIN_ONLY = "Provincial admin only (any other role: 403), for the accounts in their scope (others: 404)."


class UserOut(Schema):
    id: int
    username: str
    full_name: str
    email: str
    phone: str
    role: Role
    institution: InstitutionRef | None
    bureau: Ref | None
    is_active: bool
    has_second_factor: bool = Field(description="A confirmed authenticator app is enrolled.")
    needs_second_factor: bool = Field(description="The role signs in with a second factor.")


class UserPage(PageOut):
    items: list[UserOut]


class UserFilters(Schema):
    q: line(50) = Field("", description="Part of the username or the full name.")  # type: ignore[valid-type]
    role: Role | None = None
    institution_id: Id | None = None
    bureau_id: Id | None = None
    is_active: bool | None = None


class UserIn(Schema):
    """An institution role needs `institution_id`, a bureau reviewer `bureau_id`; the other is ignored. The
    password must pass the site's password rules."""

    model_config = example(
        {"username": "hf_staff", "password": "Anhui-1x-Plan!2027", "role": "institution_staff", "institution_id": 12}
    )

    username: required_line(150)  # type: ignore[valid-type]
    password: str = Field(min_length=1, max_length=128)
    full_name: line(50) = ""  # type: ignore[valid-type]
    email: line(254) = ""  # type: ignore[valid-type]
    phone: line(50) = ""  # type: ignore[valid-type]
    role: Role
    institution_id: Id | None = None
    bureau_id: Id | None = None


class DeactivateIn(Schema):
    model_config = example({"reason": "调岗"})

    reason: required_text(2000)  # type: ignore[valid-type]


class ResetOut(Schema):
    devices: int = Field(description="How many enrolled devices were removed.")


def user_out(user: User) -> dict:
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.full_name,
        "email": user.email,
        "phone": user.phone,
        "role": user.role,
        "institution": institution_ref(user.institution) if user.institution else None,
        "bureau": ref(user.bureau) if user.bureau else None,
        "is_active": user.is_active,
        "has_second_factor": getattr(user, "has_second_factor", False),  # annotated by _users
        "needs_second_factor": user.role in Role.second_factor_roles(),
    }


def _users(admin):
    enrolled = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    return (
        User.objects.for_user(admin)
        .select_related("institution", "bureau")
        .annotate(has_second_factor=Exists(enrolled))
    )


def _get_user(admin, pk: int) -> User:
    return get_object_or_404(_users(admin), pk=pk)


def _form_refusal(form: UserCreateForm):
    names = {"password1": "password", "password2": "password", "institution": "institution_id", "bureau": "bureau_id"}
    errors = [
        {"field": names.get(name, name), "location": "body", "message": str(message), "code": "value_error"}
        for name, messages in form.errors.items()
        for message in messages
    ]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return problem(422, type=VALIDATION, title="Invalid input", detail=detail, errors=errors)


@router.get(
    "/users",
    response={200: UserPage, **problems(403, 422)},
    operation_id="users_list",
    summary="The accounts in your scope",
    description=ADMIN_ONLY,
)
def users_list(request, filters: Query[UserFilters], page: Query[PageIn]):
    require_role(request.user, Role.PROVINCIAL_ADMIN)
    queryset = _users(request.user)
    if filters.q:
        queryset = queryset.filter(username__icontains=filters.q) | queryset.filter(full_name__icontains=filters.q)
    wanted = {"role": filters.role, "institution_id": filters.institution_id, "bureau_id": filters.bureau_id}
    wanted["is_active"] = filters.is_active
    queryset = queryset.filter(**{name: value for name, value in wanted.items() if value is not None})
    return paged(queryset.order_by("username", "pk"), page, user_out)


@router.get(
    "/users/{user_id}",
    response={200: UserOut, **problems(403, 404, 422)},
    operation_id="users_read",
    summary="One account",
    description=ADMIN_ONLY,
)
def users_read(request, user_id: Path[Id]):
    require_role(request.user, Role.PROVINCIAL_ADMIN)
    return user_out(_get_user(request.user, user_id))


@router.post(
    "/users",
    response={201: UserOut, **problems(400, 403, 422)},
    operation_id="users_create",
    summary="Create an account",
    description=f"{ADMIN_ONLY} The same checks as the page's form (a unique username, the password rules, an "
    "institution for an institution role, a bureau for a bureau reviewer), answered as "
    "`urn:onex:problem:invalid-input` (422). Audited, never with the password.",
)
def users_create(request, payload: UserIn):
    require_role(request.user, Role.PROVINCIAL_ADMIN)
    data = payload.model_dump(exclude={"password", "institution_id", "bureau_id"}) | {
        "institution": payload.institution_id,
        "bureau": payload.bureau_id,
        "password1": payload.password,
        "password2": payload.password,
    }
    form = UserCreateForm(data={name: value for name, value in data.items() if value is not None})
    if not form.is_valid():
        return _form_refusal(form)
    user = services.create_user(actor=request.user, form=form)
    return Status(201, user_out(_get_user(request.user, user.pk)))


@router.post(
    "/users/{user_id}/deactivate",
    response={200: UserOut, **problems(400, 403, 404, 409, 422)},
    operation_id="users_deactivate",
    summary="Stop an account signing in, with a reason",
    description=f"{ADMIN_ONLY} Its sessions and API tokens stop working; the account and its trail stay. Audited "
    "with the reason. `urn:onex:problem:step-refused` (409) for your own account.",
)
def users_deactivate(request, user_id: Path[Id], payload: DeactivateIn):
    require_role(request.user, Role.PROVINCIAL_ADMIN)
    user = _get_user(request.user, user_id)
    services.deactivate_user(actor=request.user, user=user, reason=payload.reason)
    return user_out(_get_user(request.user, user.pk))


@router.post(
    "/users/{user_id}/second-factor/reset",
    response={200: ResetOut, **problems(400, 403, 404, 422)},
    operation_id="users_reset_second_factor",
    summary="Reset a lost second factor: the person enrols again at their next sign-in",
    description=f"{ADMIN_ONLY} Audited (`second_factor.reset`).",
)
def users_reset_second_factor(request, user_id: Path[Id]):
    require_role(request.user, Role.PROVINCIAL_ADMIN)
    user = _get_user(request.user, user_id)
    return {"devices": services.reset_second_factor(actor=request.user, user=user)}
