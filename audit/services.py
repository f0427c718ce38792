"""One way to write the audit trail: `record(...)`."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from audit.exporters import AuditExcelExporter
from audit.middleware import current_ip
from audit.models import AuditEvent

SYSTEM = "system"


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def record(*, actor, action: str, obj, before=None, after=None, reason: str = "") -> AuditEvent:
    """Append one audit event for `obj`. `actor` may be None for the system (jobs, commands)."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_name=actor.get_username() if actor is not None else SYSTEM,
        actor_role=getattr(actor, "role", "") or SYSTEM if actor is not None else SYSTEM,
        ip=current_ip.get() or "-",
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        before=_jsonable(before or {}),
        after=_jsonable(after or {}),
        reason=reason,
    )


def latest_event(obj, actions: tuple[str, ...]) -> AuditEvent | None:
    """The newest event of one of `actions` on `obj`, with its actor (e.g. who sent a plan back, when and why)."""
    events = AuditEvent.objects.for_object(obj).filter(action__in=actions).select_related("actor")
    return events.order_by("-at", "-id").first()


def snapshot(obj, fields: list[str]) -> dict:
    """The values of `fields` of `obj`, ready for `before=` / `after=`."""
    return {name: _jsonable(getattr(obj, name)) for name in fields}


def may_read_log(user) -> bool:
    """Who may search and export the whole audit log: the provincial admin."""
    return bool(getattr(user, "is_provincial_admin", False))


def export_log(*, actor, events, criteria: dict, target) -> int:
    """Write `events` as the audit log's workbook to `target` (a binary file); returns how many were written.

    Side effects: one audit event `audit.export` with the criteria and the number of rows (an export of the log
    is itself on the record).
    """
    rows = AuditExcelExporter(events).write(target)
    record(
        actor=actor,
        action="audit.export",
        obj=actor,
        before={"criteria": criteria or "all"},
        after={"rows": rows},
        reason=_("export of the audit log"),
    )
    return rows


def export_filename(*, today) -> str:
    return f"审计日志{today:%Y%m%d}.xlsx"
