"""The round bundle: one ZIP of every plan's papers and scans that reached the province, built in the background
(documents.tasks), downloadable for a week — documents' service, scope helpers and file, as on the page."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Router, Schema
from ninja.responses import Status
from pydantic import Field

from api.downloads import binary
from api.fields import Id
from api.limits import EXPORT_DOC
from api.problems import REFUSED, problem, problems
from api.schemas import Ref
from api.serializers import ref
from core.downloads import attach, private
from documents.access import get_bundle_for_user, get_round_for_user, require_province
from documents.bundle import bundle_filename, open_bundle
from documents.enums import BundleStatus
from documents.models import Bundle
from documents.services import request_bundle

router = Router(tags=["bundles"])
PROVINCE_ONLY = "The province's roles only (reviewer, admin, observer); 404 for everyone else, as on the page."


class BundleOut(Schema):
    id: int
    round: Ref
    status: Literal[tuple(BundleStatus.values)]  # type: ignore[valid-type]
    done: int = Field(description="Plans written so far.")
    total: int = Field(description="Plans to write (0 until the build has counted them).")
    percent: int
    size: int = Field(description="Bytes of the finished ZIP.")
    requested_at: datetime
    finished_at: datetime | None
    expires_at: datetime | None = Field(description="The download is available until then (a week).")
    available: bool = Field(description="Built and not expired: bundles_download answers with the ZIP.")
    error: str


def bundle_out(bundle: Bundle) -> dict:
    return {
        "id": bundle.pk,
        "round": ref(bundle.round),
        "status": bundle.status,
        "done": bundle.done,
        "total": bundle.total,
        "percent": bundle.percent,
        "size": bundle.size,
        "requested_at": bundle.requested_at,
        "finished_at": bundle.finished_at,
        "expires_at": bundle.expires_at,
        "available": bundle.is_available(at=timezone.now()),
        "error": bundle.error,
    }


@router.post(
    "/rounds/{round_id}/bundles",
    response={202: BundleOut, **problems(404, 422)},
    operation_id="bundles_create",
    summary="Ask for the ZIP of a round's papers; it is built in the background",
    description=f"{PROVINCE_ONLY} Answers 202 with the bundle; poll bundles_get until `status` is `done`. Audited "
    "(`bundle.request`).",
)
def bundles_create(request, round_id: Path[Id]):
    require_province(request.user)
    bundle = request_bundle(user=request.user, round_=get_round_for_user(request.user, round_id))
    return Status(202, bundle_out(bundle))


@router.get(
    "/bundles/{bundle_id}",
    response={200: BundleOut, **problems(404, 422)},
    operation_id="bundles_get",
    summary="A round bundle: how far its build is, and until when it can be downloaded",
    description=PROVINCE_ONLY,
)
def bundles_get(request, bundle_id: Path[Id]):
    return bundle_out(get_bundle_for_user(request.user, bundle_id))


@router.get(
    "/bundles/{bundle_id}/download",
    response={200: None, **problems(404, 409, 410, 422)},
    openapi_extra=binary("application/zip"),
    operation_id="bundles_download",
    summary="Download a finished round bundle (ZIP)",
    description=f"{PROVINCE_ONLY} 409 step-refused while it is still being built; 410 once it failed or its week "
    f"has passed (ask for a new one). {EXPORT_DOC}",
)
def bundles_download(request, bundle_id: Path[Id]):
    bundle = get_bundle_for_user(request.user, bundle_id)
    if bundle.status not in BundleStatus.finished():
        return problem(409, type=REFUSED, title="Step refused", detail=_("The bundle is still being built."))
    stored = open_bundle(bundle, at=timezone.now())
    if stored is None:
        return problem(410, detail=_("This bundle is no longer available; ask for a new one."))
    return private(attach(FileResponse(stored, content_type="application/zip"), bundle_filename(bundle.round)))
