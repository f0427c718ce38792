"""The description and the docs page: served locally (no other site is ever asked), every operation documents its
problems, the rule codes are listed."""

from __future__ import annotations

import re

from django.contrib.staticfiles import finders

from api.schemas import RULE_CODES


def test_docs_page_loads_nothing_from_another_site(client, db):
    page = client.get("/api/v1/docs")

    html = page.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert page.status_code == 200
    assert sources == [
        "/static/vendor/swagger-ui/swagger-ui.css",
        "/static/vendor/swagger-ui/swagger-ui-bundle.js",
        "/static/api/swagger-init.js",
    ]
    assert re.findall(r"https?://", html) == []
    assert '"validatorUrl": null' in html
    assert all(finders.find(source.removeprefix("/static/")) for source in sources)


def test_openapi_documents_every_operations_problems_as_problem_json(client, db):
    schema = client.get("/api/v1/openapi.json").json()

    operations = [(path, method, op) for path, ops in schema["paths"].items() for method, op in ops.items()]
    missing = [
        f"{method.upper()} {path}"
        for path, method, op in operations
        if not {"401", "429"} <= set(op["responses"]) or op.get("security") != [{"TokenAuth": []}]
    ]
    content_types = {
        media_type
        for _path, _method, op in operations
        for status, answer in op["responses"].items()
        if int(status) >= 400
        for media_type in answer.get("content", {})
    }
    assert len(operations) >= 38
    assert missing == []
    assert content_types == {"application/problem+json"}
    scheme = schema["components"]["securitySchemes"]["TokenAuth"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")


def test_openapi_lists_the_rule_codes(client, db):
    schema = client.get("/api/v1/openapi.json").json()

    rule = schema["components"]["schemas"]["ViolationOut"]["properties"]["rule"]
    assert rule["enum"] == list(RULE_CODES) == ["R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8", "FORM", "REMARK"]
    assert all(code in rule["description"] for code in RULE_CODES)


def test_openapi_and_docs_are_public_but_nothing_else_is(client, db):
    answers = [client.get(path).status_code for path in ("/api/v1/openapi.json", "/api/v1/docs", "/api/v1/me")]

    assert answers == [200, 200, 401]


def test_openapi_names_the_server_from_site_url(client, db, settings):
    settings.SITE_URL = "https://onex.jyt.example.cn/"

    schema = client.get("/api/v1/openapi.json").json()

    assert [server["url"] for server in schema["servers"]] == ["https://onex.jyt.example.cn"]
