"""The timeline (办理记录) as people read it: actions by name, fields by label, before → after values formatted,
people by name. The audit trail keeps the codes and raw values; this only words them."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import AuditEvent
from plans.models import Plan, PlanLine

ACTIONS = {
    "plan.create": gettext_lazy("plan opened"),
    "line.add": gettext_lazy("line added"),
    "line.update": gettext_lazy("line changed"),
    "line.remove": gettext_lazy("line removed"),
    "line.adjust": gettext_lazy("line adjusted"),
    "form.save": gettext_lazy("application form saved"),
    "plan.send_for_signoff": gettext_lazy("sent to the leader for sign-off"),
    "plan.sign_off": gettext_lazy("signed off and submitted"),
    "plan.send_back": gettext_lazy("sent back to staff"),
    "review.recommend_line": gettext_lazy("bureau recommendation on a line"),
    "review.decide_line": gettext_lazy("provincial decision on a line"),
    "review.bureau_approve": gettext_lazy("approved by the bureau"),
    "review.return": gettext_lazy("returned for revision"),
    "review.publish": gettext_lazy("decisions published"),
    "extension.grant": gettext_lazy("extension granted"),
}
# Keys the services record that are not fields of the object's model.
KEYS = {
    "line": gettext_lazy("line"),
    "plan": gettext_lazy("plan"),
    "planned": gettext_lazy("planned headcount"),
    "approved": gettext_lazy("approved headcounts"),
    "planned_total": gettext_lazy("planned in all"),
    "total": gettext_lazy("approved in all"),
    "recommendations": gettext_lazy("recommendations"),
    "superseded_decisions": gettext_lazy("earlier decisions set aside"),
    "round": gettext_lazy("round"),
}
REFERENCES = {"line": PlanLine, "plan": Plan}
HIDDEN = {"plan_id"}  # the timeline is the plan's own


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class Row:
    event: AuditEvent
    action: str
    who: str
    changes: list[Change]


class _Words:
    """Formats one timeline's values; each referenced object is read once."""

    def __init__(self):
        self.objects: dict[tuple, str] = {}

    def reference(self, model, pk) -> str:
        key = (model, pk)
        if key not in self.objects:
            try:
                found = model._default_manager.filter(pk=pk).first()
            except (ValueError, TypeError):  # recorded as a name, not an id
                found = pk
            self.objects[key] = str(found) if found is not None else f"#{pk}"
        return self.objects[key]

    def value(self, model, key: str, value) -> str:
        if value is None or value == "" or value == [] or value == {}:
            return "—"
        field = _field(model, key)
        if not isinstance(value, (int, str)):
            return self.plain(key, value)
        if key in REFERENCES:
            return self.reference(REFERENCES[key], value)
        if field is not None and field.is_relation and field.related_model is not None:
            return self.reference(field.related_model, value)
        if field is not None and field.choices:
            return str(dict(field.flatchoices).get(value, _("undecided") if value == "undecided" else value))
        return self.plain(key, value)

    def entry(self, item) -> str:
        """One entry of a list (a line, a major, an expert): its parts side by side, a line's fields in words."""
        if isinstance(item, str) and item.startswith(("[", "(")):
            item = _literal(item)  # a row of values the audit trail kept as its text
        if isinstance(item, (list, tuple)):  # a line as a row of values: certificate, level, major, figures
            levels = dict(PlanLine._meta.get_field("level").flatchoices)
            return " ".join(str(levels.get(v, v)) if isinstance(v, str) else str(v) for v in item)
        if not isinstance(item, dict):
            return str(item)
        return " ".join(self.value(PlanLine, k, v) for k, v in item.items() if v not in (None, "") and k not in HIDDEN)

    def plain(self, key: str, value) -> str:
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if isinstance(value, dict):
            if key == "approved":
                return "；".join(f"{self.reference(PlanLine, pk)} → {n}" for pk, n in value.items())
            return "，".join(f"{k} {self.plain(k, v)}" for k, v in value.items())
        if isinstance(value, list):
            return "；".join(self.entry(item) for item in value)
        if isinstance(value, str) and (moment := _moment(value)) is not None:
            return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
        return str(value)


def _literal(text: str):
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def _moment(text: str) -> datetime | None:
    try:
        moment = parse_datetime(text) if "T" in text else None
    except ValueError:
        return None
    return moment if moment is not None and timezone.is_aware(moment) else None


def _field(model, key: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(key)
    except FieldDoesNotExist:
        return None


def _label(model, key: str) -> str:
    field = _field(model, key)
    if key in KEYS:
        return str(KEYS[key])
    if field is not None and hasattr(field, "verbose_name"):
        return str(field.verbose_name)
    return key


def _model(object_type: str):
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def timeline_rows(events) -> list[Row]:
    """Each event of a timeline in words: who (their name), what (the action's name), and what changed."""
    words = _Words()
    rows = []
    for event in events:
        model = _model(event.object_type)
        before, after = event.before or {}, event.after or {}
        changes = []
        for key in dict.fromkeys([*before, *after]):
            old, new = before.get(key), after.get(key)
            if key not in HIDDEN and old != new:
                changes.append(Change(_label(model, key), words.value(model, key, old), words.value(model, key, new)))
        who = str(event.actor) if event.actor_id else _("system")
        rows.append(Row(event=event, action=str(ACTIONS.get(event.action, event.action)), who=who, changes=changes))
    return rows
