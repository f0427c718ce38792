"""Driving an import through its pages, as a user would."""

from __future__ import annotations

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from monitoring.enums import ImportMode
from monitoring.models import ProgressImport


def upload(client, path: Path, *, kind: str = "candidates", year: int = 2027, institution=None):
    data = {
        "file": SimpleUploadedFile(path.name, path.read_bytes()),
        "kind": kind,
        "year": str(year),
    }
    if institution is not None:
        data["institution"] = str(institution.pk)
    return client.post(reverse("monitoring:imports"), data)


def confirm(client, job: ProgressImport, *, mode: str = ImportMode.GOOD_ROWS, mapping=None, layout_name: str = ""):
    mapping = job.mapping if mapping is None else mapping
    data = {f"map_{key}": header for key, header in mapping.items()}
    data.update({"mode": mode, "layout_name": layout_name, "confirm": "1"})
    return client.post(reverse("monitoring:import_map", args=[job.pk]), data)


def run_import(client, path: Path, *, mode: str = ImportMode.GOOD_ROWS, **kwargs) -> ProgressImport:
    """Upload, confirm with the guessed mapping, and return the finished import."""
    response = upload(client, path, **kwargs)
    assert response.status_code == 302, response.content.decode()[:2000]
    job = ProgressImport.objects.latest("pk")
    response = confirm(client, job, mode=mode)
    assert response.status_code == 302, response.content.decode()[:3000]
    job.refresh_from_db()
    return job
