"""Who sees which institutions (DOMAIN.md §3), written once: every `for_user` asks `institution_scope`.

The province sees everything; an institution's people their own institution; a bureau reviewer the secondary
schools (中职, 省属中专) of the bureau's area; anyone else nothing.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from institutions.enums import InstitutionKind

NOTHING = Q(pk__in=[])


def institution_scope(user, field: str = "institution") -> Q | None:
    """The filter that keeps the rows whose institution (reached through `field`, "" for Institution itself)
    `user` may see; None when `user` sees everything."""
    if user.sees_everything:
        return None
    prefix = f"{field}__" if field else ""
    if user.institution_id:
        return Q(**{f"{field}_id" if field else "pk": user.institution_id})
    if user.bureau_id:
        return Q(**{f"{prefix}bureau_id": user.bureau_id, f"{prefix}kind__in": InstitutionKind.secondary()})
    return NOTHING


def scoped[Rows: QuerySet](rows: Rows, user, field: str = "institution") -> Rows:
    """`rows` narrowed to what `user` may see (see institution_scope)."""
    scope = institution_scope(user, field)
    return rows.all() if scope is None else rows.filter(scope)
