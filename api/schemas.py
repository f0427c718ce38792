"""What every part of the API shares: problems and their rule codes, references to people and places, the audit
trail. Each resource's own schemas live with it (the plans' in `api.plan_schemas`)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from accounts.enums import Role
from institutions.enums import InstitutionKind
from plans.enums import Severity

RULE_CODES = ("R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8", "FORM", "REMARK")
RULES_DOC = """The rule a violation breaks (DOMAIN.md §6):
R1 outside the window; R2 below the minimum headcount of a certificate and level; R3 above the cap set by last
year's completion rate; R4 a duplicate line (certificate, level, major); R5 a restricted certificate; R6 a major the
catalogue does not list for the certificate (needs a justification); R7 an adjustment that is not an increase;
R8 no national-platform registration recorded; FORM a new certificate's application form is incomplete;
REMARK a continuing certificate planned above last year without a remark."""


# --- problems -------------------------------------------------------------------------------------------------


class ViolationOut(Schema):
    rule: Literal[RULE_CODES] = Field(description=RULES_DOC)  # type: ignore[valid-type]
    severity: Literal[tuple(Severity.values)]  # type: ignore[valid-type]
    message: str
    line: int | None = Field(description="The first plan line the violation falls on; null for the whole plan.")
    lines: list[int] = Field(description="Every plan line the violation falls on.")
    needs_justification: bool


class FieldErrorOut(Schema):
    field: str = Field(description="The field, dotted for nested values: `decisions.0.headcount`.")
    location: str = Field(description="Where the field is: body, query, path, header, file.")
    message: str
    code: str


class Problem(Schema):
    """An RFC 9457 problem. Types: `about:blank` (plain HTTP errors), `urn:onex:problem:invalid-input` (see
    `errors`), `urn:onex:problem:rule-violation` (see `violations`), `urn:onex:problem:step-refused`,
    `urn:onex:problem:file-refused`."""

    type: str
    title: str
    status: int
    detail: str
    violations: list[ViolationOut] | None = None
    errors: list[FieldErrorOut] | None = None


# --- people ------------------------------------------------------------------------------------------------------


class Ref(Schema):
    id: int
    name: str


class InstitutionRef(Ref):
    kind: InstitutionKind


# --- the audit trail ---------------------------------------------------------------------------------------------

# A value before or after an audited change: text, a number, yes/no or nothing; lists and objects (a form's
# majors, an adjustment's items) come as their JSON text.
AuditValue = str | int | float | bool | None


class EventOut(Schema):
    at: datetime
    actor: str
    role: Role | Literal["system"] = Field(description="The actor's role then; `system` for scheduled work.")
    ip: str | None = Field(description="The IP address the action came from; shown to provincial roles only.")
    action: str = Field(description="What happened, as `object.verb`: `plan.create`, `line.update`, …")
    object_type: str
    object_id: str
    object: str
    before: dict[str, AuditValue] = Field(description="The changed fields before, by name.")
    after: dict[str, AuditValue] = Field(description="The changed fields after, by name.")
    reason: str
