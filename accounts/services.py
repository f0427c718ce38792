from __future__ import annotations

from django.db import transaction

from accounts.models import User
from audit.services import record

USER_FIELDS = ["username", "full_name", "email", "phone", "role", "institution_id", "bureau_id", "is_active"]


@transaction.atomic
def create_user(*, actor, form) -> User:
    """Create a user from a valid UserCreateForm. Side effects: an audit event (never the password)."""
    user = form.save(commit=False)
    user.institution = form.cleaned_data.get("institution")
    user.bureau = form.cleaned_data.get("bureau")
    user.save()
    record(actor=actor, action="user.create", obj=user, after={f: getattr(user, f) for f in USER_FIELDS})
    return user
