from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone

from core.downloads import attach
from monitoring.forms import MAX_YEAR, MIN_YEAR

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def year_from(request) -> int:
    """?year= within the platform's years, else this year (Asia/Shanghai)."""
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if MIN_YEAR <= year <= MAX_YEAR else timezone.localdate().year


def download(content: bytes, filename: str, content_type: str = XLSX) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return attach(response, filename)
