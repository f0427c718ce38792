"""The API object: Bearer-token auth, problem+json errors, and docs served from our own static files."""

from __future__ import annotations

from importlib import import_module

from django.shortcuts import render
from ninja import NinjaAPI, Router
from ninja.openapi.docs import Swagger

from api.auth import TokenAuth
from api.describe import describe_problems, servers
from api.downloads import count_exports
from api.pagination import with_links
from api.problems import CONTENT_TYPE, PROBLEM_TYPES, answer_errors
from api.schemas import RULES_DOC

DESCRIPTION = f"""The OneX API: everything a person can do on the pages, with the same rules and the same scope.

**Authentication**: `Authorization: Bearer <token>` with a personal token made on the page `/api/tokens/`. The
session cookie is not accepted. Every request counts against a rate limit per person — all of their tokens
together; past it the answer is 429 with `Retry-After` (seconds). Every file (Excel, Word, PDF, a scan) also counts
against the person's export limit, the same one the pages keep.

**Scope**: exactly what the user's pages show. An object outside it answers 404, the same as an id that does not
exist; an action the user's role may not take answers 403.

**Language**: messages (`detail`, `violations[].message`) follow `Accept-Language`: Chinese (`zh-hans`) by
default, English with `en`.

**Lists** take `limit` (at most 200) and `offset` and answer `{{count, limit, offset, next, previous, items}}`;
`next` and `previous` are the full URLs of the neighbouring pages, null at either end.

**Versions**: this is v1; what may change inside it is in API.md (the changelog and the version policy).

**Errors** are `application/problem+json` (RFC 9457) with `type`, `title`, `status`, `detail`. Types:
{chr(10).join(f"- `{name}`: {text}" for name, text in PROBLEM_TYPES.items())}

**Rule codes** in `violations[].rule`: {RULES_DOC}
"""


class LocalSwagger(Swagger):
    """Swagger UI from `static/vendor/swagger-ui/`: the docs page loads nothing from another site."""

    template = "api/swagger.html"
    default_settings = {
        "layout": "BaseLayout",
        "deepLinking": True,
        "validatorUrl": None,  # the default badge asks validator.swagger.io about our schema
        "persistAuthorization": False,
    }

    def render_page(self, request, api, **kwargs):
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        return render(request, self.template, {"swagger_settings": self.settings, "api": api})


class OneXAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """Ninja documents every answer as application/json; ours are problem+json from 400 up."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in schema["paths"].values():
            for operation in operations.values():
                for status, answer in operation.get("responses", {}).items():
                    content = answer.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        answer["content"] = {CONTENT_TYPE: content.pop("application/json")}
        describe_problems(schema)
        schema["servers"] = servers()
        return schema

    def create_response(self, request, data, *, status=None, temporal_response=None):
        """Every list answer with its links to the next and the previous page (api.pagination)."""
        return super().create_response(
            request, with_links(request, data), status=status, temporal_response=temporal_response
        )


# Every route module (api/routes/<name>.py) and where its router is mounted, in order: the first path that matches
# wins.
ROUTES = [
    *[("", name) for name in ("reference", "rounds", "inbox", "notices", "users", "institutions", "catalogue")],
    ("", "reference_imports"),
    # Before the plans' routes: /plans/{id}/lines/{line_id} would take /lines/template.xlsx and /lines/import.
    ("/plans", "plan_lines_excel"),
    ("/plans", "plans"),
    *[("", name) for name in ("actions", "documents", "adjustments", "bundles", "audit", "reviews")],
    *[("/monitoring", name) for name in ("monitoring", "checkpoints", "forecasts", "candidates", "dashboard")],
    ("/monitoring", "checkpoint_reports"),
    ("/monitoring", "year_end"),
]


def routers() -> list[tuple[str, Router]]:
    return [(prefix, import_module(f"api.routes.{name}").router) for prefix, name in ROUTES]


def build() -> OneXAPI:
    api = OneXAPI(
        title="OneX API",
        version="1",
        description=DESCRIPTION,
        urls_namespace="api-v1",
        auth=TokenAuth(),
        docs=LocalSwagger(),
        docs_url="/docs",
        openapi_url="/openapi.json",
    )
    answer_errors(api)
    api.add_decorator(count_exports, mode="view")
    for prefix, router in routers():
        api.add_router(prefix, router)
    return api
