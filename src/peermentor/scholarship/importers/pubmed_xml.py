"""PubMed XML (``PubmedArticleSet``, as from PubMed's "Save → XML" or E-utilities efetch),
read as a stream so that memory stays flat however many articles the file holds."""

from __future__ import annotations

from lxml import etree

from peermentor.scholarship.importers.safe_xml import iter_elements, local_name
from peermentor.scholarship.records import (
    AuthorRecord,
    ReadResult,
    WorkRecord,
    clean_text,
    doi_or_warn,
    iso_date,
    make_author,
    number_authors,
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


def read(data: bytes, *, filename: str) -> ReadResult:
    """The works of a PubMed XML file; an article without a title is skipped with a reason."""
    result = ReadResult(format=FORMAT)
    elements = iter_elements(data, filename=filename, tags=_ARTICLES, roots=_ROOTS)
    for index, element in enumerate(elements, start=1):
        _read_article(element, index, result)
    return result.require_works(file=filename, what="a PubMed XML file holds <PubmedArticle>s.")


def _read_article(element: etree._Element, index: int, result: ReadResult) -> None:
    book = local_name(element) == "PubmedBookArticle"
    citation = element.find("BookDocument" if book else "MedlineCitation")
    pmid = _text(citation, "PMID")
    label = f"PMID {pmid}" if pmid else f"article {index}"
    record = _book(element, label, result) if book else _journal(element, label, result)
    if record is not None:
        result.records.append(record)


def _journal(element: etree._Element, label: str, result: ReadResult) -> WorkRecord | None:
    citation = element.find("MedlineCitation")
    article = citation.find("Article") if citation is not None else None
    title = _rich_text(article, "ArticleTitle") or _rich_text(article, "VernacularTitle")
    if not title:
        result.skip(label, "The article has no title (ArticleTitle).")
        return None
    year, date = _pub_date(_find(article, "Journal/JournalIssue/PubDate"))
    if year is None:
        year, date = _pub_date(_find(article, "ArticleDate"))
    venue = _text(article, "Journal/Title") or _text(citation, "MedlineJournalInfo/MedlineTA")
    dois = [*_all_text(article, "ELocationID[@EIdType='doi']"), *_article_ids(element, "doi")]
    types = {t.lower() for t in _all_text(article, "PublicationTypeList/PublicationType")}
    return WorkRecord(
        type=_work_type(types),
        title=title,
        venue=venue,
        year=year,
        date=date,
        doi=doi_or_warn(dois[0] if dois else None, record=label, result=result),
        pmid=pmid_or_warn(_text(citation, "PMID"), record=label, result=result),
        authors=_authors(_find(article, "AuthorList"), label, result),
        source_format=FORMAT,
        source_record=label,
    )


def _book(element: etree._Element, label: str, result: ReadResult) -> WorkRecord | None:
    document = element.find("BookDocument")
    chapter = _rich_text(document, "ArticleTitle")
    book_title = _rich_text(document, "Book/BookTitle")
    if not (chapter or book_title):
        result.skip(label, "The book has no title (BookTitle).")
        return None
    year, date = _pub_date(_find(document, "Book/PubDate"))
    dois = _article_ids(document, "doi") + _article_ids(element, "doi")
    lists = document.findall("AuthorList") if document is not None else []
    authors = next((a for a in lists if a.get("Type", "authors") == "authors"), None)
    return WorkRecord(
        type="chapter" if chapter else "book",
        title=chapter or book_title,
        venue=book_title if chapter else _text(document, "Book/Publisher/PublisherName"),
        year=year,
        date=date,
        doi=doi_or_warn(dois[0] if dois else None, record=label, result=result),
        pmid=pmid_or_warn(_text(document, "PMID"), record=label, result=result),
        authors=_authors(authors, label, result),
        source_format=FORMAT,
        source_record=label,
    )


def _authors(
    author_list: etree._Element | None, label: str, result: ReadResult
) -> tuple[AuthorRecord, ...]:
    if author_list is None or author_list.get("Type", "authors") != "authors":
        return ()
    people = [
        _author(author, label, result)
        for author in author_list.findall("Author")
        if author.get("ValidYN", "Y") == "Y"
    ]
    return number_authors(people)


def _author(author: etree._Element, label: str, result: ReadResult) -> AuthorRecord | None:
    orcids = [
        clean_text(node.text)
        for node in author.findall("Identifier")
        if (node.get("Source") or "").upper() == "ORCID"
    ]
    orcid = orcid_or_warn(orcids[0] if orcids else None, record=label, result=result)
    family = clean_text(f"{_text(author, 'LastName')} {_text(author, 'Suffix')}")
    given = _text(author, "ForeName") or _text(author, "Initials")
    return make_author(
        family=family, given=given, literal=_rich_text(author, "CollectiveName"), orcid=orcid
    )


def _pub_date(node: etree._Element | None) -> tuple[int | None, str | None]:
    if node is None:
        return None, None
    year = parse_year(_text(node, "Year")) or parse_year(_text(node, "MedlineDate"))
    month = parse_month(_text(node, "Month")) if _text(node, "Year") else None
    day_text = _text(node, "Day")
    day = int(day_text) if day_text.isdigit() and len(day_text) <= 2 else None
    return year, iso_date(year, month, day)


def _work_type(types: set[str]) -> str:
    if types & _REVIEW_TYPES:
        return "review"
    if types & _PRESENTATION_TYPES and "journal article" not in types:
        return "presentation"
    return "journal_article"


def _article_ids(parent: etree._Element | None, id_type: str) -> list[str]:
    # Only the work's own ArticleIdList: reference lists carry ArticleIdLists of cited works.
    paths = ("ArticleIdList/ArticleId", "PubmedData/ArticleIdList/ArticleId")
    if parent is None:
        return []
    return [
        clean_text(node.text)
        for path in paths
        for node in parent.findall(path)
        if node.get("IdType") == id_type and node.text
    ]


def _find(parent: etree._Element | None, path: str) -> etree._Element | None:
    return parent.find(path) if parent is not None else None


def _text(parent: etree._Element | None, path: str) -> str:
    node = _find(parent, path)
    return clean_text(node.text) if node is not None else ""


def _rich_text(parent: etree._Element | None, path: str) -> str:
    # Titles may hold inline markup such as <i>, <sup> or MathML: keep all of their text.
    node = _find(parent, path)
    return clean_text("".join(node.itertext())) if node is not None else ""


def _all_text(parent: etree._Element | None, path: str) -> list[str]:
    nodes = parent.findall(path) if parent is not None else []
    return [clean_text(node.text) for node in nodes if node.text and node.text.strip()]
