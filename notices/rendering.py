"""A notice body is Markdown; raw HTML in it is shown as text, never passed through.

markdown-it-py with `html` off escapes every `<` it does not produce itself, and its link check refuses
`javascript:`, `vbscript:`, `file:` and `data:` targets (the link stays text). So nothing the author types can
become a script, an event handler attribute or a dangerous link; the tests feed it the usual payloads.
"""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

# "js-default": CommonMark plus tables and strikethrough; html, linkify and typographer off.
# Images are off too: a notice carries files as attachments, and an image link would call another site.
_MARKDOWN = MarkdownIt("js-default", {"html": False, "linkify": False, "typographer": False}).disable("image")


def render_body(text: str) -> SafeString:
    """The body as HTML that is safe to put on a page."""
    return mark_safe(_MARKDOWN.render(text or ""))  # noqa: S308 - html is off: markdown-it escapes raw HTML itself
