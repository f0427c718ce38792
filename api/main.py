"""The one API object, mounted at /api/v1/ by onex/urls.py."""

from api.openapi import build

api = build()
