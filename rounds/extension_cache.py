"""A round's extensions, cached: every plan page reads them (its window, its steps, its banners), and they change
only when the provincial admin grants or revokes one. Dropped when an extension is saved or deleted (`apps.py`)."""

from __future__ import annotations

from core.fragments import forget_fragments, fragment
from rounds.models import Extension, Round


def extensions_key(round_id: int) -> str:
    return f"rounds:extensions:{round_id}"


def prefetch_extensions(rnd: Round) -> None:
    """`rnd.extensions.all()` from the cache, as `prefetch_related("extensions")` would leave it (the extensions'
    own round set, so that none reads it again)."""
    extensions = fragment(extensions_key(rnd.pk), lambda: list(Extension.objects.filter(round_id=rnd.pk)))
    for extension in extensions:
        extension.round = rnd
    found = rnd.extensions.all()
    found._result_cache = extensions
    rnd.__dict__.setdefault("_prefetched_objects_cache", {})["extensions"] = found


def extension_changed(sender, instance: Extension, **kwargs) -> None:
    forget_fragments(extensions_key(instance.round_id))
