"""Objects to API dicts: the same figures the pages show, computed by the same functions."""

from __future__ import annotations

import json
from datetime import datetime

from django.core.serializers.json import DjangoJSONEncoder

from api.problems import violation_out
from audit.models import AuditEvent
from institutions.models import Institution
from plans.models import Plan
from plans.pages import plan_page
from reviews.models import LineDecision
from reviews.timeline import plan_timeline, sees_addresses


def ref(obj, name: str | None = None) -> dict:
    return {"id": obj.pk, "name": name if name is not None else str(obj)}


def institution_ref(institution: Institution) -> dict:
    return {"id": institution.pk, "name": institution.name, "kind": institution.kind}


def plan_summary(plan: Plan) -> dict:
    return {
        "id": plan.pk,
        "institution": institution_ref(plan.institution),
        "round": ref(plan.round),
        "status": plan.status,
        "submitted_at": plan.submitted_at,
        "published_at": plan.published_at,
    }


def decision(d: LineDecision) -> dict:
    return {
        "level": d.level,
        "outcome": d.outcome,
        "headcount": d.headcount,
        "reason": d.reason,
        "decided_at": d.decided_at,
        "published": d.published_at is not None,
    }


def audit_values(values) -> dict:
    """An audit record's before or after as flat fields: a bare value is `value`; lists and objects become their
    JSON text, so every field is one typed value (api.schemas.AuditValue)."""
    if not isinstance(values, dict):
        values = {"value": values}
    flat = {}
    for name, value in values.items():
        if isinstance(value, (list, dict)):
            value = json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)
        elif not isinstance(value, (str, int, float, bool, type(None))):
            value = str(value)
        flat[str(name)] = value
    return flat


def event(e: AuditEvent, *, with_ip: bool) -> dict:
    return {
        "at": e.at,
        "actor": e.actor_name,
        "role": e.actor_role,
        "ip": e.ip if with_ip else None,
        "action": e.action,
        "object_type": e.object_type,
        "object_id": e.object_id,
        "object": e.object_repr,
        "before": audit_values(e.before),
        "after": audit_values(e.after),
        "reason": e.reason,
    }


def plan(plan: Plan, *, user, at: datetime) -> dict:
    """The plan as its page shows it to `user`: lines with new/continuing and last year's figures, every rule's
    violations, the forms, the decisions `user` may see, and the timeline."""
    page = plan_page(plan, at=at)
    decisions: dict[int, list[dict]] = {}
    for d in LineDecision.objects.for_user(user).current().filter(plan=plan).order_by("line_id", "level"):
        decisions.setdefault(d.line_id, []).append(decision(d))
    return plan_summary(plan) | {
        "returned_reason": plan.returned_reason,
        "returned_from": plan.returned_from,
        "editable": plan.is_editable,
        "headcount": page.facts.this_plan_headcount,
        "cap": page.facts.cap,
        "lines": [plan_line(row, decisions.get(row.line.pk, [])) for row in page.rows],
        "violations": [violation_out(v) for v in page.violations],
        "blockers": [violation_out(v) for v in page.blockers],
        "forms": [form_state(cert, form) for cert, form in page.new_certificates],
        "history": [event(e, with_ip=sees_addresses(user)) for e in plan_timeline(plan, user=user)],
    }


def plan_line(row, decisions: list[dict]) -> dict:
    """One row of the plan page: the line, new/continuing, last year's headcount and the decisions on it."""
    line = row.line
    return {
        "id": line.pk,
        "certificate": ref(line.certificate, line.certificate.name),
        "level": line.level,
        "major_name": line.major_name,
        "major_code": line.major_code,
        "headcount": line.headcount,
        "remark": line.remark,
        "justification": line.justification,
        "approved_headcount": line.approved_headcount,
        "continuity": row.continuity,
        "last_year_headcount": row.last_year_headcount,
        "decisions": decisions,
    }


def form_state(cert, form) -> dict:
    """Whether a new certificate's application form (附件1) exists and what it still lacks."""
    missing = form.missing_fields() if form else []
    return {
        "certificate": ref(cert, cert.name),
        "exists": form is not None,
        "complete": form is not None and not missing,
        "missing": missing,
    }


def application_form(form) -> dict:
    missing = form.missing_fields()
    return {
        "certificate": ref(form.certificate, form.certificate.name),
        "complete": not missing,
        "missing": missing,
        "majors": form.majors,
        "teachers": form.teachers,
        "facilities": form.facilities,
        "is_exam_site": form.is_exam_site,
        "enterprises": form.enterprises,
        "training_plan": form.training_plan,
        "budget_amount": None if form.budget_amount is None else f"{form.budget_amount:.2f}",
        "budget_source": form.budget_source,
        "review_date": form.review_date,
        "experts": form.experts,
        "review_conclusion": form.review_conclusion,
    }
