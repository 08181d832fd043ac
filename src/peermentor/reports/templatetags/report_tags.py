"""Template filters for the dashboards' and report's charts."""

from __future__ import annotations

import hashlib
import re

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from peermentor.core.charts import data_uri

register = template.Library()
_ID = re.compile(r'\b(id)="([^"]+)"')
_REF = re.compile(r'(url\(|href=")#([^)"]+)')


@register.filter
def svg_uri(svg: str | None) -> str:
    """A chart's SVG as a data URI for an ``<img>`` in the app's pages (no inline style)."""
    return data_uri(svg) if svg else ""


@register.filter
def svg_inline(svg: str | None) -> SafeString:
    """A chart's SVG inline in the stored report document (HTML file and PDF).

    Only SVG that PeerMentor drew with matplotlib reaches this filter: matplotlib escapes every
    label it writes, so names typed by people cannot become markup.
    """
    if not svg:
        return mark_safe("")
    start = svg.find("<svg")
    if start < 0:
        return mark_safe("")
    # Several drawings share one document: give each its own element ids.
    prefix = "f" + hashlib.sha1(svg.encode(), usedforsecurity=False).hexdigest()[:8] + "-"
    body = _ID.sub(lambda m: f'{m.group(1)}="{prefix}{m.group(2)}"', svg[start:])
    body = _REF.sub(lambda m: f"{m.group(1)}#{prefix}{m.group(2)}", body)
    return mark_safe(body)  # noqa: S308 -- our own drawing, see above


@register.filter
def svg_figure(svg: str | None, as_image: bool = False) -> SafeString:
    """A chart in the stored document: an ``<img>`` for the PDF (WeasyPrint draws it as one
    picture, quickly), inline SVG for the HTML file (no outside file, any browser)."""
    if not svg:
        return mark_safe("")
    if as_image:
        return format_html('<img src="{}" alt="">', data_uri(svg))
    return svg_inline(svg)


@register.filter
def percent(value: float | None) -> str:
    """A share (0–1) as a whole percentage."""
    return "—" if value is None else f"{round(100 * value)}%"
