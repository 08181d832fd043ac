"""ORCID API v3.0 works, in JSON or XML: a full record, an activities summary, a works
summary, a single work, or a bulk list of works.

A works summary groups the versions of one work from different sources; the first summary of a
group is the one the researcher prefers, so it is the one read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from peermentor.scholarship.importers.safe_xml import local_name, namespace, parse_document
from peermentor.scholarship.importers.text import decode_text, leading_text, reject_binary
from peermentor.scholarship.records import (
    AuthorRecord,
    InvalidIdentifier,
    ReadResult,
    WorkFileError,
    WorkRecord,
    as_int,
    clean_text,
    iso_date,
    make_author,
    normalise_doi,
    number_authors,
    orcid_or_warn,
    parse_year,
    pmid_or_warn,
    split_name,
)

FORMAT = "orcid"
_ORCID_NAMESPACE = "http://www.orcid.org/ns/"
_AUTHOR_ROLES = {"", "author"}
_OWN_ID = {"", "self"}
_TYPES = {
    "journal-article": "journal_article",
    "journal-issue": "journal_article",
    "magazine-article": "journal_article",
    "newsletter-article": "journal_article",
    "newspaper-article": "journal_article",
    "review": "review",
    "book-review": "review",
    "book": "book",
    "edited-book": "book",
    "manual": "book",
    "book-chapter": "chapter",
    "encyclopedia-entry": "chapter",
    "dictionary-entry": "chapter",
    "conference-paper": "presentation",
    "conference-abstract": "presentation",
    "conference-presentation": "presentation",
    "lecture-speech": "presentation",
    "conference-poster": "poster",
    "learning-object": "educational_product",
}
_NOT_WORKS = (
    "an ORCID file with works is a full record, an activities summary, a works summary, a "
    "work or a bulk list of works."
)


@dataclass
class _Work:
    """The fields of one ORCID work, whichever serialisation it came from."""

    label: str
    error: str = ""
    title: str = ""
    subtitle: str = ""
    journal: str = ""
    type: str = ""
    year: str = ""
    month: str = ""
    day: str = ""
    ids: list[tuple[str, str, str]] = field(default_factory=list)
    contributors: list[tuple[str, str, str]] = field(default_factory=list)


def read(data: bytes, *, filename: str) -> ReadResult:
    """The works of an ORCID v3.0 JSON or XML file; an ORCID error document is refused."""
    result = ReadResult(format=FORMAT)
    if leading_text(data).startswith("<"):
        reject_binary(data, filename=filename)
        works = _xml_works(data, filename)
    else:
        works = _json_works(decode_text(data, filename=filename, result=result), filename)
    for work in works:
        _add_record(work, result)
    return result.require_works(file=filename, what=_NOT_WORKS)


def _add_record(work: _Work, result: ReadResult) -> None:
    if work.error:
        result.skip(work.label, f"ORCID reported an error instead of this work: {work.error}")
        return
    title = clean_text(work.title)
    if not title:
        result.skip(work.label, "The work has no title.")
        return
    subtitle = clean_text(work.subtitle)
    year = parse_year(work.year)
    result.records.append(
        WorkRecord(
            type=_TYPES.get(work.type.lower().replace("_", "-"), "other"),
            title=f"{title}: {subtitle}" if subtitle else title,
            venue=clean_text(work.journal),
            year=year,
            date=iso_date(year, as_int(work.month), as_int(work.day)),
            doi=_doi(work, result),
            pmid=_pmid(work, result),
            authors=_authors(work, result),
            source_format=FORMAT,
            source_record=work.label,
        )
    )


def _doi(work: _Work, result: ReadResult) -> str | None:
    # Only the work's own DOI: "part-of" names the book or proceedings it appeared in, and
    # "version-of" another version (a preprint, say) that must not be merged with this one.
    dois = [value for kind, value, rel in work.ids if kind == "doi" and rel in _OWN_ID]
    for value in dois:
        try:
            return normalise_doi(value)
        except InvalidIdentifier as error:
            result.warn(work.label, f"{error} It was left out.")
    return None


def _pmid(work: _Work, result: ReadResult) -> str | None:
    pmids = [value for kind, value, rel in work.ids if kind == "pmid" and rel in _OWN_ID]
    return pmid_or_warn(pmids[0] if pmids else None, record=work.label, result=result)


def _authors(work: _Work, result: ReadResult) -> tuple[AuthorRecord, ...]:
    authors = []
    for name, orcid, role in work.contributors:
        if role.lower() not in _AUTHOR_ROLES:
            continue
        family, given = split_name(name)
        orcid_id = orcid_or_warn(orcid, record=work.label, result=result)
        authors.append(make_author(family=family, given=given, orcid=orcid_id))
    return number_authors(authors)


def _label(index: int, put_code: object) -> str:
    return f"work {index} (put-code {put_code})" if put_code else f"work {index}"


# --- JSON ------------------------------------------------------------------------------------


def _json_works(text: str, filename: str) -> list[_Work]:
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise WorkFileError(
            f"this is neither ORCID XML nor valid JSON ({error}).", file=filename
        ) from error
    if not isinstance(document, dict):
        raise WorkFileError(f"this JSON is not an ORCID document; {_NOT_WORKS}", file=filename)
    _refuse_json_error(document, filename)
    items = _json_items(document, filename)
    return [_json_work(item, _label(n, _get(item, "put-code"))) for n, item in items]


def _refuse_json_error(document: dict[str, Any], filename: str) -> None:
    if "response-code" in document or "error-code" in document:
        message = clean_text(str(document.get("user-message") or document.get("developer-message")))
        raise WorkFileError(
            f"this is an ORCID error response, not a list of works: {message}", file=filename
        )


def _json_items(document: dict[str, Any], filename: str) -> Iterator[tuple[int, Any]]:
    if isinstance(document.get("bulk"), list):
        yield from enumerate((_get(entry, "work") or entry for entry in document["bulk"]), 1)
        return
    works = _get(document, "activities-summary", "works") or _get(document, "works")
    if not isinstance(works, dict):
        works = document
    if isinstance(works.get("group"), list):
        summaries = (_first(_get(group, "work-summary")) for group in works["group"])
        yield from enumerate(summaries, start=1)
    elif "title" in works and "type" in works:
        yield 1, works
    else:
        raise WorkFileError(f"this ORCID JSON holds no works; {_NOT_WORKS}", file=filename)


def _json_work(item: Any, label: str) -> _Work:
    if not isinstance(item, dict):
        return _Work(label=label)
    if isinstance(item.get("error"), dict):
        error = item["error"]
        return _Work(label=label, error=_value(error.get("user-message")) or "no reason given")
    ids = _get(item, "external-ids", "external-id")
    contributors = _get(item, "contributors", "contributor")
    return _Work(
        label=label,
        title=_value(_get(item, "title", "title")),
        subtitle=_value(_get(item, "title", "subtitle")),
        journal=_value(item.get("journal-title")),
        type=_value(item.get("type")),
        year=_value(_get(item, "publication-date", "year")),
        month=_value(_get(item, "publication-date", "month")),
        day=_value(_get(item, "publication-date", "day")),
        ids=[_json_id(entry) for entry in ids if isinstance(entry, dict)]
        if isinstance(ids, list)
        else [],
        contributors=[_json_contributor(c) for c in contributors if isinstance(c, dict)]
        if isinstance(contributors, list)
        else [],
    )


def _json_id(entry: dict[str, Any]) -> tuple[str, str, str]:
    return (
        _value(entry.get("external-id-type")).lower(),
        _value(entry.get("external-id-value")),
        _value(entry.get("external-id-relationship")).lower(),
    )


def _json_contributor(entry: dict[str, Any]) -> tuple[str, str, str]:
    orcid = _get(entry, "contributor-orcid")
    return (
        _value(entry.get("credit-name")),
        _value(_get(orcid, "path") or _get(orcid, "uri")),
        _value(_get(entry, "contributor-attributes", "contributor-role")),
    )


def _get(node: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def _first(node: Any) -> Any:
    return node[0] if isinstance(node, list) and node else None


def _value(node: Any) -> str:
    # ORCID JSON wraps most texts as {"value": "..."}, but not all of them.
    if isinstance(node, dict):
        node = node.get("value")
    return str(node) if isinstance(node, str | int) and not isinstance(node, bool) else ""


# --- XML -------------------------------------------------------------------------------------


def _xml_works(data: bytes, filename: str) -> list[_Work]:
    root = parse_document(data, filename=filename)
    if not namespace(root).startswith(_ORCID_NAMESPACE):
        raise WorkFileError(
            f"this XML is not an ORCID document (its root is <{local_name(root)}>).",
            file=filename,
        )
    name = local_name(root)
    if name == "error":
        message = _xml_text(root, "user-message") or _xml_text(root, "developer-message")
        raise WorkFileError(
            f"this is an ORCID error response, not a list of works: {message}", file=filename
        )
    items = enumerate(_xml_items(root, filename), start=1)
    return [_xml_work(element, _label(n, element.get("put-code"))) for n, element in items]


def _xml_items(root: etree._Element, filename: str) -> Iterator[etree._Element]:
    name = local_name(root)
    if name in {"work", "work-summary"}:
        yield root
        return
    if name == "bulk":
        yield from (child for child in root if local_name(child) in {"work", "error"})
        return
    works = root if name == "works" else _descendant(root, "works")
    if works is None:
        raise WorkFileError(
            f"this ORCID <{name}> document holds no works; {_NOT_WORKS}", file=filename
        )
    for group in _children(works, "group"):
        summary = next(_children(group, "work-summary"), None)
        if summary is not None:
            yield summary


def _xml_work(element: etree._Element, label: str) -> _Work:
    if local_name(element) == "error":
        return _Work(label=label, error=_xml_text(element, "user-message") or "no reason given")
    title = _child(element, "title")
    date = _child(element, "publication-date")
    return _Work(
        label=label,
        title=_xml_text(title, "title"),
        subtitle=_xml_text(title, "subtitle"),
        journal=_xml_text(element, "journal-title"),
        type=_xml_text(element, "type"),
        year=_xml_text(date, "year"),
        month=_xml_text(date, "month"),
        day=_xml_text(date, "day"),
        ids=[_xml_id(node) for node in _children(_child(element, "external-ids"), "external-id")],
        contributors=[
            _xml_contributor(node)
            for node in _children(_child(element, "contributors"), "contributor")
        ],
    )


def _xml_id(node: etree._Element) -> tuple[str, str, str]:
    return (
        _xml_text(node, "external-id-type").lower(),
        _xml_text(node, "external-id-value"),
        _xml_text(node, "external-id-relationship").lower(),
    )


def _xml_contributor(node: etree._Element) -> tuple[str, str, str]:
    orcid = _child(node, "contributor-orcid")
    return (
        _xml_text(node, "credit-name"),
        _xml_text(orcid, "path") or _xml_text(orcid, "uri"),
        _xml_text(_child(node, "contributor-attributes"), "contributor-role"),
    )


def _children(parent: etree._Element | None, name: str) -> Iterator[etree._Element]:
    if parent is not None:
        yield from (child for child in parent if local_name(child) == name)


def _child(parent: etree._Element | None, name: str) -> etree._Element | None:
    return next(_children(parent, name), None)


def _descendant(root: etree._Element, name: str) -> etree._Element | None:
    return next((node for node in root.iter() if local_name(node) == name), None)


def _xml_text(parent: etree._Element | None, name: str) -> str:
    node = _child(parent, name)
    return clean_text("".join(node.itertext())) if node is not None else ""
