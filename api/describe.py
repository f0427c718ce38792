"""What the generated description says beyond what ninja derives from the code: where the API is served
(`servers`, from SITE_URL), an example answer of every problem type at every status it comes with, and the
`Retry-After` header of every 429."""

from __future__ import annotations

from django.conf import settings

from api.problems import BAD_FILE, REFUSED, RULES, VALIDATION

PLAIN = "about:blank"

EXAMPLES = {
    PLAIN: {
        "type": PLAIN,
        "title": "Not Found",
        "status": 404,
        "detail": "No such object, or not yours to see.",
    },
    VALIDATION: {
        "type": VALIDATION,
        "title": "Invalid input",
        "status": 422,
        "detail": "lines.0.headcount: Input should be greater than or equal to 1",
        "errors": [
            {
                "field": "lines.0.headcount",
                "location": "body",
                "message": "Input should be greater than or equal to 1",
                "code": "greater_than_equal",
            }
        ],
    },
    RULES: {
        "type": RULES,
        "title": "Rule violations",
        "status": 422,
        "detail": "The plan breaks the rules of the notice.",
        "violations": [
            {
                "rule": "R2",
                "severity": "error",
                "message": "物流管理 (junior): 20 is below the minimum of 30 per certificate and level.",
                "line": 101,
                "lines": [101],
                "needs_justification": False,
            }
        ],
    },
    REFUSED: {
        "type": REFUSED,
        "title": "Step refused",
        "status": 409,
        "detail": "The filing window is closed.",
    },
    BAD_FILE: {
        "type": BAD_FILE,
        "title": "File refused",
        "status": 422,
        "detail": "Only PDF, JPG and PNG files are accepted.",
    },
}
# Which problem types each status can carry.
TYPES_BY_STATUS = {409: [REFUSED], 413: [BAD_FILE], 422: [VALIDATION, RULES, BAD_FILE]}
RETRY_AFTER = {
    "description": "Seconds until the limit's window ends: the per-person API limit, or the export limit for files.",
    "schema": {"type": "integer", "minimum": 1},
}


def _example(type_: str, status: int, title: str) -> dict:
    example = dict(EXAMPLES[type_], status=status)
    if type_ == PLAIN:
        example |= {"title": title, "detail": title}
    return example


def describe_problems(schema: dict) -> None:
    """Examples on every error answer (one per problem type it can carry), `Retry-After` on every 429."""
    for operations in schema["paths"].values():
        for operation in operations.values():
            for status, answer in operation.get("responses", {}).items():
                code = int(status)
                if code < 400:
                    continue
                title = answer.get("description") or "Error"
                for media in answer.get("content", {}).values():
                    media["examples"] = {
                        type_.rsplit(":", 1)[-1]: {"value": _example(type_, code, title)}
                        for type_ in TYPES_BY_STATUS.get(code, [PLAIN])
                    }
                if code == 429:
                    answer.setdefault("headers", {})["Retry-After"] = RETRY_AFTER


def servers() -> list[dict]:
    return [{"url": settings.SITE_URL.rstrip("/"), "description": "This installation of OneX (SITE_URL)."}]
