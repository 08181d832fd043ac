"""PubMed XML: articles streamed from PubmedArticleSet, hostile XML refused."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peermentor.scholarship.importers import pubmed_xml
from peermentor.scholarship.importers.safe_xml import iter_elements
from peermentor.scholarship.records import WorkFileError

ORCID_FILE = "biopython_pubmed7_orcid_collective.xml"


def sample(name: str) -> bytes:
    """The bytes of a shared PubMed sample file; the test is skipped when samples are absent."""
    folder = os.environ.get("PEERMENTOR_SAMPLES")
    if not folder:
        pytest.skip("PEERMENTOR_SAMPLES is not set")
    return (Path(folder) / "samples" / "pubmed" / name).read_bytes()


def test_two_articles_with_pmid_doi_journal_and_date() -> None:
    result = pubmed_xml.read(sample("biopython_pubmed2.xml"), filename="pubmed2.xml")
    assert result.errors == []
    assert [w.pmid for w in result.records] == ["11748933", "11700088"]
    first, second = result.records
    assert first.title.startswith("Is cryopreservation a homogeneous process?")
    assert first.doi == "10.1006/cryo.2001.2328"
    assert first.venue == "Cryobiology"
    assert (first.year, first.date) == (2001, "2001-06")
    assert first.type == "journal_article"
    assert first.source_record == "PMID 11748933"
    assert second.title == "Proton MRI of (13)C distribution by J and chemical shift editing."
    assert second.doi == "10.1006/jmre.2001.2429"


def test_authors_are_in_byline_order_with_family_and_given_names() -> None:
    first = pubmed_xml.read(sample("biopython_pubmed2.xml"), filename="p.xml").records[0]
    assert len(first.authors) == 8
    assert [a.family for a in first.authors[:3]] == ["Taddei", "Barbato", "Abelli"]
    assert first.authors[0].given == "A R"
    assert first.authors[0].name == "A R Taddei"
    assert first.authors[-1].family == "Mazzini"
    assert [a.position for a in first.authors] == list(range(1, 9))


def test_doi_from_elocation_and_compound_family_names() -> None:
    (work,) = pubmed_xml.read(sample("biopython_pubmed5.xml"), filename="p5.xml").records
    assert work.pmid == "28775130"
    assert work.doi == "10.1136/oemed-2017-104431"
    assert work.date == "2018-02"
    assert len(work.authors) == 12
    assert work.authors[1].family == "Beane Freeman"
    assert work.authors[1].given == "Laura E"
    assert work.authors[-1].name == "Mary H Ward"


def test_orcids_and_collective_author() -> None:
    (work,) = pubmed_xml.read(sample(ORCID_FILE), filename="p7").records
    assert work.pmid == "29963580"
    assert work.doi == "10.1117/1.jmi.5.2.026002"
    assert work.title.startswith("Development of a pulmonary imaging biomarker pipeline")
    assert work.venue == "Journal of medical imaging (Bellingham, Wash.)"
    orcids = {a.family: a.orcid for a in work.authors if a.orcid}
    assert orcids == {"Capaldi": "0000-0002-4590-7461", "Fenster": "0000-0003-3525-2788"}
    group = work.authors[-1]
    assert (group.name, group.family, group.given, group.position) == (
        "Canadian Respiratory Research Network",
        "",
        "",
        9,
    )


def test_reference_list_identifiers_are_not_taken_for_the_articles_own() -> None:
    (work,) = pubmed_xml.read(sample(ORCID_FILE), filename="p7").records
    # The reference list holds PMIDs such as 25144646; only the article's own are read.
    assert work.pmid == "29963580"


ARTICLE = """<PubmedArticle><MedlineCitation><PMID>{pmid}</PMID><Article>
<Journal><JournalIssue><PubDate><MedlineDate>1998 Dec-1999 Jan</MedlineDate></PubDate>
</JournalIssue><Title>J Test</Title></Journal>
<ArticleTitle>{title}</ArticleTitle>
<AuthorList><Author ValidYN="N"><LastName>Wrong</LastName></Author>
<Author><LastName>Smith</LastName><ForeName>Jo</ForeName>
<Identifier Source="ORCID">0000-0002-1825-0098</Identifier></Author></AuthorList>
<PublicationTypeList><PublicationType>Review</PublicationType></PublicationTypeList>
</Article></MedlineCitation></PubmedArticle>"""


def article_set(*articles: str) -> bytes:
    return f"<PubmedArticleSet>{''.join(articles)}</PubmedArticleSet>".encode()


def test_medline_date_review_type_invalid_author_and_bad_orcid() -> None:
    data = article_set(ARTICLE.format(pmid="1", title="A <i>review</i> of x"))
    result = pubmed_xml.read(data, filename="x.xml")
    (work,) = result.records
    assert (work.title, work.year, work.type) == ("A review of x", 1998, "review")
    assert [a.name for a in work.authors] == ["Jo Smith"]
    assert work.authors[0].orcid is None
    assert result.warnings[0][0] == "PMID 1"
    assert "check digit" in result.warnings[0][1]


def test_article_without_title_is_skipped_with_its_pmid() -> None:
    data = article_set(ARTICLE.format(pmid="7", title=""), ARTICLE.format(pmid="8", title="T"))
    result = pubmed_xml.read(data, filename="x.xml")
    assert [w.pmid for w in result.records] == ["8"]
    assert result.errors == [("PMID 7", "The article has no title (ArticleTitle).")]


def test_many_articles_stream_in_order() -> None:
    articles = [ARTICLE.format(pmid=n, title=f"Title {n}") for n in range(1, 2001)]
    result = pubmed_xml.read(article_set(*articles), filename="big.xml")
    assert len(result.records) == 2000
    assert result.records[-1].pmid == "2000"


def test_streamed_articles_are_released_so_memory_stays_flat() -> None:
    articles = [ARTICLE.format(pmid=n, title=f"Title {n}") for n in range(1, 3001)]
    elements = iter_elements(
        article_set(*articles),
        filename="x.xml",
        tags=("PubmedArticle",),
        roots=("PubmedArticleSet",),
    )
    live = []
    for element in elements:
        # Every article before this one has been dropped; only the parser's read-ahead is live.
        assert element.getprevious() is None
        live.append(len(element.getparent()))
    assert len(live) == 3000
    assert max(live) < 300


def test_another_xml_document_is_refused_naming_its_root() -> None:
    with pytest.raises(WorkFileError, match=r"root element is <works>"):
        pubmed_xml.read(b"<works><work/></works>", filename="x.xml")


def test_empty_article_set_is_refused() -> None:
    with pytest.raises(WorkFileError, match=r"no works were found"):
        pubmed_xml.read(b"<PubmedArticleSet></PubmedArticleSet>", filename="x.xml")


def test_truncated_file_is_refused_not_half_read() -> None:
    data = sample("biopython_pubmed2.xml")
    with pytest.raises(WorkFileError, match=r"not well-formed XML.*truncated") as caught:
        pubmed_xml.read(data[: len(data) // 2], filename="cut.xml")
    assert str(caught.value).startswith("cut.xml: ")


FRAGMENTS = [
    "<PubmedArticleSet>",
    "</PubmedArticleSet>",
    "<PubmedArticle>",
    "</PubmedArticle>",
    "<MedlineCitation><PMID>",
    "</PMID>",
    "<Article><ArticleTitle>",
    "</ArticleTitle>",
    "<AuthorList><Author><LastName>",
    "</LastName></Author></AuthorList>",
    '<Identifier Source="ORCID">',
    "</Identifier>",
    "</Article></MedlineCitation>",
    "<!DOCTYPE x [",
    "&amp;",
    "&x;",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12))).map("".join))
def test_any_text_reads_or_raises_work_file_error(text: str) -> None:
    with contextlib.suppress(WorkFileError):
        pubmed_xml.read(text.encode(), filename="fuzz.xml")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=512))
def test_any_bytes_read_or_raise_work_file_error(data: bytes) -> None:
    with contextlib.suppress(WorkFileError):
        pubmed_xml.read(data, filename="fuzz.xml")


def test_a_day_written_with_a_superscript_digit_is_ignored_not_a_crash() -> None:
    article = (
        "<PubmedArticle><MedlineCitation><PMID>77</PMID><Article><Journal><JournalIssue>"
        "<PubDate><Year>2010</Year><Month>Mar</Month><Day>²</Day></PubDate></JournalIssue>"
        "<Title>J Test</Title></Journal><ArticleTitle>Superscript day</ArticleTitle>"
        "</Article></MedlineCitation></PubmedArticle>"
    )
    [record] = pubmed_xml.read(article_set(article), filename="day.xml").records
    assert (record.year, record.date) == (2010, "2010-03")
