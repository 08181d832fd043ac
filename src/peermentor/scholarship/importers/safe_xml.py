"""Hardened XML reading for uploads: no entity declarations, no DTD loading, no network.

Entity declarations are refused outright, before and during parsing: expanded, they can turn a
small file into gigabytes ("billion laughs") or read files from the server (external entities).
"""

from __future__ import annotations

import io
from collections.abc import Collection, Iterator

from lxml import etree

from peermentor.scholarship.records import WorkFileError

_PARSER_OPTIONS = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
}
_ENTITY_MARKERS = tuple(
    "<!ENTITY".encode(encoding)
    for encoding in ("ascii", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
)
_ENTITY_MESSAGE = (
    "the XML declares entities (<!ENTITY …>). Uploads may not declare entities: they can "
    "expand to gigabytes (“billion laughs”) or read files from the server. Export the file "
    "again from its source without a custom DOCTYPE."
)


def local_name(element: etree._Element) -> str:
    """The tag of an element without its namespace."""
    tag = element.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def namespace(element: etree._Element) -> str:
    """The namespace URI of an element, or an empty text."""
    tag = element.tag
    return (etree.QName(tag).namespace or "") if isinstance(tag, str) else ""


def parse_document(data: bytes, *, filename: str) -> etree._Element:
    """The root element of a whole XML document parsed with entities and network access off."""
    _reject_entity_markers(data, filename=filename)
    parser = etree.XMLParser(**_PARSER_OPTIONS)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise _syntax_error(error, filename) from error
    if root is None:
        raise WorkFileError("the XML document has no root element.", file=filename)
    _reject_declared_entities(root, filename=filename)
    return root


def iter_elements(
    data: bytes, *, filename: str, tags: Collection[str], roots: Collection[str]
) -> Iterator[etree._Element]:
    """Each complete element named in ``tags``, streamed, cleared once the caller moves on;
    the document's root element must be named in ``roots`` or in ``tags``."""
    _reject_entity_markers(data, filename=filename)
    context = etree.iterparse(
        io.BytesIO(data), events=("start", "end"), tag=[*tags, *roots], **_PARSER_OPTIONS
    )
    checked = False
    try:
        for event, element in context:
            if not checked:
                _check_root(element.getroottree().getroot(), filename, {*tags, *roots})
                checked = True
            if event == "end" and local_name(element) in tags:
                yield element
                _release(element)
    except etree.XMLSyntaxError as error:
        raise _syntax_error(error, filename) from error
    if not checked:
        _check_root(context.root, filename, {*tags, *roots})


def _check_root(root: etree._Element | None, filename: str, allowed: set[str]) -> None:
    if root is None:
        raise WorkFileError("the XML document has no root element.", file=filename)
    _reject_declared_entities(root, filename=filename)
    if local_name(root) not in allowed:
        expected = " or ".join(sorted(allowed))
        raise WorkFileError(
            f"the root element is <{local_name(root)}>, expected <{expected}>.", file=filename
        )


def _release(element: etree._Element) -> None:
    # Drop the finished element and everything read before it so memory stays flat; what is
    # left is only what the parser has read ahead.
    element.clear(keep_tail=False)
    parent = element.getparent()
    if parent is None:
        return
    while len(parent) and parent[0] is not element:
        del parent[0]
    parent.remove(element)


def _reject_entity_markers(data: bytes, *, filename: str) -> None:
    if any(marker in data for marker in _ENTITY_MARKERS):
        raise WorkFileError(_ENTITY_MESSAGE, file=filename)


def _reject_declared_entities(root: etree._Element, *, filename: str) -> None:
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise WorkFileError(_ENTITY_MESSAGE, file=filename)


def _syntax_error(error: etree.XMLSyntaxError, filename: str) -> WorkFileError:
    reason = (error.msg or "unreadable").split(", line ")[0]
    line = error.lineno or 1
    return WorkFileError(
        f"this is not well-formed XML ({reason}, line {line}); the file may be truncated "
        "or damaged. Download or export it again.",
        file=filename,
    )
