"""The ``markdown`` template filter: sanitised HTML from member-written Markdown."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from peermentor.core.richtext import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    """Render Markdown; safe to mark because nh3 has removed everything outside the allow-list."""
    return mark_safe(render_markdown(text or ""))  # noqa: S308
