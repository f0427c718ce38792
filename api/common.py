"""The gates every endpoint shares, built on the state tables: 403 before a service is asked (it checks again)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from plans.transitions import Table


def role_refusal(user) -> str:
    """The services' own words for a role that may not act."""
    return _("Your role (%(role)s) may not do this.") % {"role": user.get_role_display()}


def require_role(user, *roles: str) -> None:
    """The role gate of an endpoint outside the state tables (opening a plan, its lines, a new request)."""
    if user.role not in roles:
        raise PermissionDenied(role_refusal(user))


def require_step(user, obj, table: Table, step: str, *, holding: bool = False) -> None:
    """The gate of a workflow step: `user` is among those the table lets take it (see `Table.who_may`); whether
    it may happen now (status, window, rules) is the service's word, answered 409 or 422."""
    if not table.who_may(user, obj, step, holding=holding):
        raise PermissionDenied(role_refusal(user))
