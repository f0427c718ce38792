"""Every error the API gives is `application/problem+json` (RFC 9457): type, title, status, detail, and for
rule violations a `violations` list, for invalid input an `errors` list naming each field."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from http import HTTPStatus

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from api.schemas import Problem
from core.refusals import StepRefused, Violation

logger = logging.getLogger("api")

CONTENT_TYPE = "application/problem+json"

# The problem types this API uses beyond plain HTTP statuses ("about:blank").
VALIDATION = "urn:onex:problem:invalid-input"
RULES = "urn:onex:problem:rule-violation"
REFUSED = "urn:onex:problem:step-refused"
BAD_FILE = "urn:onex:problem:file-refused"

PROBLEM_TYPES = {
    "about:blank": "A plain HTTP error; `title` is the status phrase.",
    VALIDATION: "The request does not match this description; `errors` names each field and what is wrong with it.",
    RULES: "The rules of the notice (DOMAIN.md §6) block the step; `violations` lists them with their rule codes.",
    REFUSED: "The workflow step may not happen now (state, window, a missing reason…); `detail` says why.",
    BAD_FILE: "An uploaded file was refused (type, size, content); `detail` says why.",
}


def problems(*statuses: int) -> dict:
    """The error answers of an operation, for its OpenAPI description: 401 and 429 always, and `statuses`."""
    return dict.fromkeys(sorted({401, 429, *statuses}), Problem)


def problem(status: int, *, detail: str = "", type: str = "about:blank", title: str = "", **extra) -> HttpResponse:
    body = {
        "type": type,
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail or HTTPStatus(status).description,
        **extra,
    }
    content = json.dumps(body, ensure_ascii=False, cls=DjangoJSONEncoder)
    return HttpResponse(content, status=status, content_type=f"{CONTENT_TYPE}; charset=utf-8")


def violation_out(violation: Violation) -> dict:
    return {
        "rule": violation.code,
        "severity": violation.severity,
        "message": violation.message,
        "line": violation.line_id,
        "lines": [pk for pk in violation.line_ids if pk is not None],
        "needs_justification": violation.needs_justification,
    }


def _field(loc) -> tuple[str, str]:
    """('body', 'payload', 'lines', 0, 'headcount') → ('body', 'lines.0.headcount'). The first part after the
    location is the view's parameter name for a body, which a client never sees."""
    where, *path = [str(part) for part in loc]
    if where == "body" and path:
        path = path[1:]
    return where, ".".join(path) or where


def on_validation_error(request, exc: ValidationError) -> HttpResponse:
    errors = []
    for error in exc.errors:
        where, field = _field(error.get("loc", ("body",)))
        message, code = error.get("msg", ""), error.get("type", "")
        errors.append({"field": field, "location": where, "message": message, "code": code})
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return problem(422, type=VALIDATION, title="Invalid input", detail=detail, errors=errors)


def field_error(field: str, message: str, *, where: str = "body") -> HttpResponse:
    """A refusal of one field's value that only the database could tell (an id that does not exist…)."""
    errors = [{"field": field, "location": where, "message": message, "code": "value_error"}]
    return problem(422, type=VALIDATION, title="Invalid input", detail=f"{field}: {message}", errors=errors)


def on_http_error(request, exc: HttpError) -> HttpResponse:
    response = problem(exc.status_code, detail=str(exc))
    if isinstance(exc, AuthenticationError):
        response["WWW-Authenticate"] = 'Bearer realm="onex"'
    if isinstance(exc, Throttled) and exc.wait is not None:
        response["Retry-After"] = str(int(exc.wait))
    return response


def on_not_found(request, exc: Http404) -> HttpResponse:
    # The same answer for an id that does not exist and one outside the user's scope.
    return problem(404, detail=_("No such object, or not yours to see."))


def on_permission_denied(request, exc: PermissionDenied) -> HttpResponse:
    return problem(403, detail=str(exc) or _("You may not do this."))


def refused_problem(exc: StepRefused) -> HttpResponse:
    """The one answer to every refusal: the rules that block it (422), a refused file (422), else a refused
    step (409)."""
    if exc.violations:
        violations = [violation_out(v) for v in exc.violations]
        return problem(422, type=RULES, title="Rule violations", detail=str(exc), violations=violations)
    if exc.code == "file":
        return problem(422, type=BAD_FILE, title="File refused", detail=str(exc))
    return problem(409, type=REFUSED, title="Step refused", detail=str(exc))


def on_refused(request, exc: StepRefused) -> HttpResponse:
    return refused_problem(exc)


def on_unexpected(request, exc: Exception) -> HttpResponse:
    logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
    return problem(500, detail=_("Something went wrong on our side; it has been logged."))


def on_bad_request(request, exc: SuspiciousOperation) -> HttpResponse:
    # A body Django refuses to read (too many fields, a malformed upload…): the client's error, not ours.
    return problem(400, detail=_("The request could not be read."))


def _handle[E: Exception](api: NinjaAPI, exc_class: type[E], handler: Callable[[HttpRequest, E], HttpResponse]):
    # ninja types a handler as taking `E | type[E]`, but only ever passes it the raised instance (on_exception).
    api.add_exception_handler(exc_class, handler)  # type: ignore[arg-type]


def answer_errors(api: NinjaAPI) -> None:
    """Every error of `api` answered as a problem by the handlers above (the most specific class of an error
    picks its handler)."""
    _handle(api, ValidationError, on_validation_error)
    _handle(api, HttpError, on_http_error)
    _handle(api, Http404, on_not_found)
    _handle(api, PermissionDenied, on_permission_denied)
    _handle(api, StepRefused, on_refused)
    _handle(api, SuspiciousOperation, on_bad_request)
    _handle(api, Exception, on_unexpected)
