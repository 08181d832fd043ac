"""PubMed XML (``PubmedArticleSet``, as from PubMed's "Save → XML" or E-utilities efetch),
read as a stream so that memory stays flat however many articles the file holds.

Each element's children are read in one pass (:func:`_firsts`) rather than one XPath look-up
per field: a large export holds hundreds of thousands of authors.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain
from unicodedata import normalize

from lxml import etree

from peermentor.scholarship.importers.safe_xml import iter_elements, local_name
from peermentor.scholarship.records import (
    AuthorRecord,
    ReadResult,
    WorkRecord,
    as_int,
    doi_or_warn,
    iso_date,
    orcid_or_warn,
    parse_month,
    parse_year,
    pmid_or_warn,
)

FORMAT = "pubmed_xml"
_ARTICLES = ("PubmedArticle", "PubmedBookArticle")
_ROOTS = ("PubmedArticleSet",)
_REVIEW_TYPES = {"review", "systematic review", "scoping review"}
_PRESENTATION_TYPES = {"congress", "lecture", "address"}
_NOTHING: dict[str, etree._Element] = {}


def read(data: bytes, *, filename: str) -> ReadResult:
    """The works of a PubMed XML file; an article without a title is skipped with a reason."""
    result = ReadResult(format=FORMAT)
    elements = iter_elements(data, filename=filename, tags=_ARTICLES, roots=_ROOTS)
    for index, element in enumerate(elements, start=1):
        _read_article(element, index, result)
    return result.require_works(file=filename, what="a PubMed XML file holds <PubmedArticle>s.")


def _read_article(element: etree._Element, index: int, result: ReadResult) -> None:
    book = local_name(element) == "PubmedBookArticle"
    citation = _find(element, "BookDocument" if book else "MedlineCitation")
    fields = _firsts(citation)
    pmid = _text(fields.get("PMID"))
    label = f"PMID {pmid}" if pmid else f"article {index}"
    read_work = _book if book else _journal
    record = read_work(element, citation, fields, pmid, label, result)
    if record is not None:
        result.records.append(record)


def _journal(
    element: etree._Element,
    citation: etree._Element | None,
    fields: dict[str, etree._Element],
    pmid: str,
    label: str,
    result: ReadResult,
) -> WorkRecord | None:
    article = fields.get("Article")
    parts = _firsts(article)
    title = _rich_text(parts.get("ArticleTitle")) or _rich_text(parts.get("VernacularTitle"))
    if article is None or not title:
        result.skip(label, "The article has no title (ArticleTitle).")
        return None
    year, date = _pub_date(_find(article, "Journal", "JournalIssue", "PubDate"))
    if year is None:
        year, date = _pub_date(parts.get("ArticleDate"))
    venue = _text(_find(article, "Journal", "Title")) or _text(
        _find(citation, "MedlineJournalInfo", "MedlineTA")
    )
    return WorkRecord(
        type=_work_type(article),
        title=title,
        venue=venue,
        year=year,
        date=date,
        doi=doi_or_warn(_journal_doi(element, article), record=label, result=result),
        pmid=pmid_or_warn(pmid, record=label, result=result),
        authors=_authors(parts.get("AuthorList"), label, result),
        source_format=FORMAT,
        source_record=label,
    )


def _book(
    element: etree._Element,
    document: etree._Element | None,
    fields: dict[str, etree._Element],
    pmid: str,
    label: str,
    result: ReadResult,
) -> WorkRecord | None:
    chapter = _rich_text(fields.get("ArticleTitle"))
    book_title = _rich_text(_find(document, "Book", "BookTitle"))
    if not (chapter or book_title):
        result.skip(label, "The book has no title (BookTitle).")
        return None
    year, date = _pub_date(_find(document, "Book", "PubDate"))
    doi = next(chain(_article_dois(document), _article_dois(element)), None)
    lists = document.iterchildren("AuthorList") if document is not None else ()
    authors = next((a for a in lists if a.get("Type", "authors") == "authors"), None)
    return WorkRecord(
        type="chapter" if chapter else "book",
        title=chapter or book_title,
        venue=book_title
        if chapter
        else _text(_find(document, "Book", "Publisher", "PublisherName")),
        year=year,
        date=date,
        doi=doi_or_warn(doi, record=label, result=result),
        pmid=pmid_or_warn(pmid, record=label, result=result),
        authors=_authors(authors, label, result),
        source_format=FORMAT,
        source_record=label,
    )


def _journal_doi(element: etree._Element, article: etree._Element) -> str | None:
    """The first DOI given as an ELocationID, else the first in the article's ArticleIdLists."""
    for node in article.iterchildren("ELocationID"):
        if node.get("EIdType") == "doi" and node.text and node.text.strip():
            return _clean(node.text)
    return next(_article_dois(element), None)


def _work_type(article: etree._Element) -> str:
    """The work type the article's PublicationTypes imply."""
    types = {
        _clean(node.text).lower()
        for node in _find_all(article, "PublicationTypeList", "PublicationType")
        if node.text and node.text.strip()
    }
    if types & _REVIEW_TYPES:
        return "review"
    if types & _PRESENTATION_TYPES and "journal article" not in types:
        return "presentation"
    return "journal_article"


def _authors(
    author_list: etree._Element | None, label: str, result: ReadResult
) -> tuple[AuthorRecord, ...]:
    """The valid, named authors of an AuthorList of Type "authors", numbered in byline order."""
    if author_list is None or author_list.get("Type", "authors") != "authors":
        return ()
    people: list[AuthorRecord] = []
    for author in author_list.iterchildren("Author"):
        if author.get("ValidYN", "Y") == "Y":
            person = _author(author, len(people) + 1, label, result)
            if person is not None:
                people.append(person)
    return tuple(people)


def _author(
    author: etree._Element, position: int, label: str, result: ReadResult
) -> AuthorRecord | None:
    """One author at its final position, or None when it has no name (its ORCID iD is checked
    first all the same, as a warning is owed for a bad one)."""
    # One pass over the children, walked backwards so that the first of each tag wins.
    texts = {child.tag: child.text for child in reversed(author)}
    orcid = orcid_or_warn(_orcid_text(author, texts), record=label, result=result)
    family = _joined(_clean(texts.get("LastName")), _clean(texts.get("Suffix")))
    given = _clean(texts.get("ForeName")) or _clean(texts.get("Initials"))
    # Name parts are clean and a space joins nothing in NFC, so the joined name is clean too.
    name = _joined(given, family) if family or given else _collective_name(author, texts)
    if not name:
        return None
    return AuthorRecord(name=name, family=family, given=given, orcid=orcid, position=position)


def _orcid_text(author: etree._Element, texts: dict[str, str | None]) -> str | None:
    """The text of the author's first Identifier from ORCID, or None when there is none."""
    if "Identifier" not in texts:
        return None
    for node in author.iterchildren("Identifier"):
        if (node.get("Source") or "").upper() == "ORCID":
            return _clean(node.text)
    return None


def _collective_name(author: etree._Element, texts: dict[str, str | None]) -> str:
    """The name of a group author, markup and all, or an empty text."""
    return _rich_text(_find(author, "CollectiveName")) if "CollectiveName" in texts else ""


def _pub_date(node: etree._Element | None) -> tuple[int | None, str | None]:
    """The year and ISO date of a PubDate, ArticleDate or similar element."""
    if node is None:
        return None, None
    parts = _firsts(node)
    year_text = _text(parts.get("Year"))
    year = parse_year(year_text) or parse_year(_text(parts.get("MedlineDate")))
    month = parse_month(_text(parts.get("Month"))) if year_text else None
    day_text = _text(parts.get("Day"))
    day = as_int(day_text) if len(day_text) <= 2 else None
    return year, iso_date(year, month, day)


def _article_dois(parent: etree._Element | None) -> Iterator[str]:
    """The DOIs in the parent's own ArticleIdList (reference lists carry cited works' ids)."""
    ids = chain(
        _find_all(parent, "ArticleIdList", "ArticleId"),
        _find_all(parent, "PubmedData", "ArticleIdList", "ArticleId"),
    )
    return (_clean(node.text) for node in ids if node.get("IdType") == "doi" and node.text)


def _firsts(parent: etree._Element | None) -> dict[str, etree._Element]:
    """The first child of each tag, found in one pass (walked backwards, the first one wins)."""
    if parent is None:
        return _NOTHING
    return {child.tag: child for child in reversed(parent)}


def _find(parent: etree._Element | None, *path: str) -> etree._Element | None:
    """The first element at the path of tags below the parent (as ``find("A/B")``), or None."""
    return next(_find_all(parent, *path), None)


def _find_all(parent: etree._Element | None, *path: str) -> Iterator[etree._Element]:
    """Each element at the path of tags below the parent, in document order (as ``iterfind``)."""
    if parent is None:
        return
    tag, *rest = path
    for child in parent.iterchildren(tag):
        if rest:
            yield from _find_all(child, *rest)
        else:
            yield child


def _joined(first: str, second: str) -> str:
    """Two clean texts joined by a space, or whichever one is not empty."""
    return f"{first} {second}" if first and second else first or second


def _clean(text: str | None) -> str:
    """The same as ``records.clean_text`` (NFC, white space made single spaces, trimmed), faster:
    ``str.split()`` splits on exactly the characters that ``\\s`` matches."""
    return " ".join(normalize("NFC", text).split()) if text else ""


def _text(node: etree._Element | None) -> str:
    """The clean text of an element, or an empty text when there is no element."""
    return _clean(node.text) if node is not None else ""


def _rich_text(node: etree._Element | None) -> str:
    """All the text of an element: titles may hold inline markup such as <i>, <sup> or MathML."""
    return _clean("".join(node.itertext())) if node is not None else ""
