"""The convention every operation of /api/v1 keeps, so that a client generator (openapi-python-client) makes a
usable client from the description alone: an `operationId` named `resource_verb` (no module path), tags, a summary
and a description, every 2xx answer typed, every status-like field an enum. New operations are held to it here."""

from __future__ import annotations

import json
import re

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from api.main import api as onex_api
from api.problems import PROBLEM_TYPES

OPERATION_ID = re.compile(r"^[a-z]+(_[a-z]+)+$")
# Fields whose values come from a fixed set: a client should get an enum, not a bare string.
STATUS_LIKE = re.compile(
    r"^(status|state|standing|kind|stage|level|outcome|severity|role|season|format)$|_(status|state|kind|standing|level)$"
)
# Named like a status but free by nature: what a trained teacher does is typed by the school.
FREE_TEXT = {"FormTeacherIn.role", "FormTeacherOut.role"}
METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def schema():
    # As a client reads it: JSON, status codes as strings.
    return json.loads(json.dumps(onex_api.get_openapi_schema(), cls=DjangoJSONEncoder))


def operations(schema) -> list[tuple[str, dict]]:
    return [
        (f"{method.upper()} {path}", operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
        if method in METHODS
    ]


def resolve(schema, node: dict) -> dict:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def untyped(schema, node: dict, where: str, seen: set) -> list[str]:
    """Where under `node` a client would get an untyped value: an object without properties, an array of anything,
    a value with no type at all."""
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[1]
        if name in seen:
            return []
        seen.add(name)
        return untyped(schema, resolve(schema, node), name, seen)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in node:
            return [bad for part in node[key] for bad in untyped(schema, part, where, seen)]
    kind = node.get("type")
    if kind == "object":
        extra = node.get("additionalProperties") or next(iter(node.get("patternProperties", {}).values()), None)
        if not node.get("properties") and not isinstance(extra, dict):
            return [where]
        found = [
            bad
            for name, prop in node.get("properties", {}).items()
            for bad in untyped(schema, prop, f"{where}.{name}", seen)
        ]
        return found + (untyped(schema, extra, f"{where}.*", seen) if isinstance(extra, dict) else [])
    if kind == "array":
        return untyped(schema, node.get("items", {}), f"{where}[]", seen)
    if kind is None and "enum" not in node and "const" not in node:
        return [where]
    return []


def is_enum(schema, node: dict) -> bool:
    node = resolve(schema, node)
    if "enum" in node or "const" in node:
        return True
    if node.get("type") == "array":
        return is_enum(schema, node.get("items", {}))
    parts = [part for part in node.get("anyOf", []) if part.get("type") != "null"]
    return bool(parts) and all(is_enum(schema, part) for part in parts)


def test_every_operation_has_a_clean_unique_operation_id(schema):
    ids = [(name, operation.get("operationId", "")) for name, operation in operations(schema)]

    bad = [f"{name}: {op_id!r}" for name, op_id in ids if not OPERATION_ID.fullmatch(op_id) or "routes" in op_id]
    duplicates = sorted({op_id for _name, op_id in ids if [i for _n, i in ids].count(op_id) > 1})
    assert bad == []
    assert duplicates == []


def test_every_operation_has_tags_a_summary_and_a_description(schema):
    missing = [
        f"{name}: {part}"
        for name, operation in operations(schema)
        for part in ("tags", "summary", "description")
        if not operation.get(part)
    ]

    assert missing == []


def test_every_success_answer_is_typed(schema):
    bad = []
    for name, operation in operations(schema):
        for status, answer in operation["responses"].items():
            if not status.startswith("2") or status == "204":
                continue
            content = answer.get("content", {})
            if not content:
                bad.append(f"{name} {status}: no content")
            for media_type, body in content.items():
                bad += [
                    f"{name} {status} {media_type}: {where}"
                    for where in untyped(schema, body.get("schema", {}), "body", set())
                ]

    assert bad == []


def test_every_component_is_typed_all_the_way_down(schema):
    bad = [
        where
        for name, component in schema["components"]["schemas"].items()
        for where in untyped(schema, component, name, set())
    ]

    assert bad == []


def test_every_status_like_field_is_an_enum(schema):
    bad = [
        f"{name}.{field}"
        for name, component in schema["components"]["schemas"].items()
        for field, prop in component.get("properties", {}).items()
        if STATUS_LIKE.search(field)
        and f"{name}.{field}" not in FREE_TEXT
        # an integer `status` is an HTTP status code (Problem.status)
        and prop.get("type") != "integer"
        and not is_enum(schema, prop)
    ]
    bad += [
        f"{name} ?{parameter['name']}"
        for name, operation in operations(schema)
        for parameter in operation.get("parameters", [])
        if STATUS_LIKE.search(parameter["name"]) and not is_enum(schema, parameter.get("schema", {}))
    ]

    assert bad == []


def test_every_json_request_body_has_an_example(schema):
    bodies = [
        (name, body["schema"])
        for name, operation in operations(schema)
        for media_type, body in operation.get("requestBody", {}).get("content", {}).items()
        if media_type == "application/json"
    ]

    def examples(node: dict) -> list:
        parts = [part for part in node.get("anyOf", [node]) if part.get("type") != "null"]
        return [example for part in parts for example in resolve(schema, part).get("examples", [])]

    assert len(bodies) >= 12
    assert [name for name, body in bodies if not examples(body)] == []


def test_every_problem_type_has_an_example_and_every_429_its_retry_after(schema):
    answers = [
        (name, int(status), answer)
        for name, operation in operations(schema)
        for status, answer in operation["responses"].items()
        if int(status) >= 400
    ]
    types = {
        example["value"]["type"]
        for _name, _status, answer in answers
        for media in answer["content"].values()
        for example in media["examples"].values()
    }

    assert types == set(PROBLEM_TYPES)
    assert [
        name for name, _s, answer in answers if not all(m.get("examples") for m in answer["content"].values())
    ] == []
    assert [name for name, status, answer in answers if status == 429 and "Retry-After" not in answer["headers"]] == []
