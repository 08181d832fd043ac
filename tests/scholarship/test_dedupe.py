"""Duplicate works: DOI, PubMed ID, then title and year, within blocks that lose nothing."""

from __future__ import annotations

import os
from collections.abc import Hashable, Sequence
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from peermentor.scholarship.dedupe import (
    TITLE_THRESHOLD,
    Match,
    WorkKey,
    find_duplicates,
    is_duplicate,
    letter_count_bound,
    merge_records,
    normalise_title,
    title_similarity,
)
from peermentor.scholarship.importers import pubmed_xml
from peermentor.scholarship.records import AuthorRecord, WorkRecord

TITLE = "Peer mentoring groups for junior clinician educators: four years' experience"


def record(
    title: str = TITLE,
    year: int | None = 2012,
    *,
    doi: str | None = None,
    pmid: str | None = None,
    family: str = "Lord",
    type: str = "journal_article",
    venue: str = "Acad Med",
    date: str | None = None,
    authors: Sequence[AuthorRecord] | None = None,
) -> WorkRecord:
    people = (
        authors if authors is not None else (AuthorRecord(f"J {family}", family, "J", None, 1),)
    )
    return WorkRecord(type, title, venue, year, date, doi, pmid, tuple(people), "test", "r")


def key(id: Hashable, title: str = TITLE, year: int | None = 2012, **ids: str | None) -> WorkKey:
    family = ids.pop("family", "Lord") or ""
    return WorkKey(id, ids.get("doi"), ids.get("pmid"), title, year, family)


def test_normalise_title_folds_accents_case_punctuation_and_stop_words() -> None:
    assert normalise_title("The Évaluation of a Peer-Mentoring Group: 4 Years' Experience.") == (
        "evaluation peer mentoring group 4 years experience"
    )


def test_title_similarity_is_the_token_sort_ratio_or_the_plain_ratio() -> None:
    assert title_similarity("Mentoring of residents", "Residents, mentoring of") == 100
    typo = "Ardro torlu feldarmi coram wickleyha lening rosalensa wcksonardlin vistadarnen"
    right = "Ardro torlu feldarmi coram wickleyha lening rosalensa wicksonardlin vistadarnen"
    assert fuzz.token_sort_ratio(normalise_title(typo), normalise_title(right)) < TITLE_THRESHOLD
    assert title_similarity(typo, right) >= TITLE_THRESHOLD


def test_doi_matches_whatever_form_it_is_written_in() -> None:
    existing = [key(7, doi="https://doi.org/10.1097/ACM.0B013E3182441615")]
    incoming = [record("Something else entirely here", doi="10.1097/acm.0b013e3182441615")]
    assert find_duplicates(existing, incoming) == [Match(0, 7, None, "doi", 100.0)]


def test_pmid_matches_with_or_without_its_label() -> None:
    existing = [key(7, "Other title words here", pmid="PMID: 22361796")]
    assert find_duplicates(existing, [record(pmid="22361796")]) == [
        Match(0, 7, None, "pmid", 100.0)
    ]


def test_doi_comes_before_pmid_and_pmid_before_title() -> None:
    existing = [
        key("t"),
        key("p", "Unrelated words in title", pmid="1"),
        key("d", "x y z", doi="10.1000/a"),
    ]
    (match,) = find_duplicates(existing, [record(doi="10.1000/a", pmid="1")])
    assert (match.existing_id, match.reason) == ("d", "doi")
    (match,) = find_duplicates(existing, [record(pmid="1")])
    assert (match.existing_id, match.reason) == ("p", "pmid")
    (match,) = find_duplicates(existing, [record()])
    assert (match.existing_id, match.reason) == ("t", "title")


def test_british_and_american_spellings_of_a_title_match_a_year_apart() -> None:
    existing = [key(1, "Paediatric anaesthesia in rural district hospitals", 2018)]
    incoming = [record("Pediatric Anesthesia in Rural District Hospitals.", 2019)]
    (match,) = find_duplicates(existing, incoming)
    assert (match.existing_id, match.reason) == (1, "title")
    assert TITLE_THRESHOLD <= match.score < 100


@pytest.mark.parametrize(
    ("stored", "incoming", "reason"),
    [
        (key(1, year=2010), record(year=2012), "years two apart"),
        (key(1, TITLE + ": part 1"), record(TITLE + ": part 2"), "part 1 and part 2"),
        (
            key(1, "Phase II trial of mentoring groups"),
            record("Phase III trial of mentoring groups"),
            "phases",
        ),
        (key(1), record("Correction: " + TITLE), "an erratum"),
        (key(1, doi="10.1000/one"), record(doi="10.1000/two"), "different DOIs"),
        (key(1, pmid="111"), record(pmid="222"), "different PubMed IDs"),
        (key(1, family="Smith"), record(family="Jones"), "different first authors"),
        (key(1, "Editorial", 2012), record("Editorial"), "a title that names no work"),
        (key(1, year=None), record(), "no year"),
    ],
)
def test_alike_titles_that_are_different_works(
    stored: WorkKey, incoming: WorkRecord, reason: str
) -> None:
    assert find_duplicates([stored], [incoming]) == [], reason


def test_first_authors_agree_across_accents_and_compound_names() -> None:
    stored = key(1, family="García-Márquez")
    assert find_duplicates([stored], [record(family="Garcia Marquez")])
    assert find_duplicates([stored], [record(family="Garcia")])
    assert find_duplicates([stored], [record(family="")])


def test_repeats_inside_the_file_point_to_the_first_one_kept() -> None:
    incoming = [
        record(doi="10.1000/a"),
        record("Another study of something else", doi="10.1000/b"),
        record(doi="10.1000/a", pmid="5"),
        record("Another study of something else.", pmid="9"),
    ]
    assert find_duplicates([], incoming) == [
        Match(2, None, 0, "doi", 100.0),
        Match(3, None, 1, "title", 100.0),
    ]


def test_a_repeat_of_a_stored_work_repeated_again_leads_to_the_stored_work() -> None:
    existing = [key(42, "Different stored title words", doi="10.1000/a")]
    incoming = [record("New title for it", doi="10.1000/a", pmid="77"), record("x", pmid="77")]
    assert find_duplicates(existing, incoming) == [
        Match(0, 42, None, "doi", 100.0),
        Match(1, 42, None, "pmid", 100.0),
    ]


def test_nothing_to_compare_finds_nothing() -> None:
    assert find_duplicates([], []) == []
    assert find_duplicates([key(1)], []) == []
    assert find_duplicates([], [record()]) == []


def test_identifiers_that_are_not_identifiers_are_ignored() -> None:
    existing = [key(1, "A stored title here", doi="not a doi", pmid="n/a")]
    assert find_duplicates(existing, [record(doi="not a doi", pmid="n/a")]) == []


def test_merge_keeps_the_richer_fields() -> None:
    pubmed = record(
        "Peer mentoring group.",
        2012,
        pmid="22361796",
        venue="Acad Med",
        date="2012-04",
        type="review",
        authors=[AuthorRecord("J A Lord", "Lord", "J A", None, 1)],
    )
    orcid = record(
        "Peer mentoring group for junior clinician educators",
        2012,
        doi="10.1097/acm.0b013e3182441615",
        venue="Academic Medicine",
        date="2012",
        authors=[
            AuthorRecord("Janet A Lord", "Lord", "Janet A", "0000-0002-1825-0097", 1),
        ],
    )
    merged = merge_records(pubmed, orcid)
    assert merged.title == orcid.title
    assert merged.venue == "Academic Medicine"
    assert (merged.doi, merged.pmid) == (orcid.doi, "22361796")
    assert (merged.year, merged.date) == (2012, "2012-04")
    assert merged.type == "review"
    assert merged.authors[0].orcid == "0000-0002-1825-0097"
    assert merged.authors[0].given == "J A"
    assert merged.source_format == pubmed.source_format


def test_merge_takes_the_longer_author_list_and_fills_in_a_missing_year() -> None:
    short = record(year=None, authors=[AuthorRecord("A B", "B", "A", None, 1)])
    long = record(
        year=2011,
        date="2011-03-02",
        authors=[AuthorRecord("A B", "B", "A", None, 1), AuthorRecord("C D", "D", "C", None, 2)],
    )
    merged = merge_records(short, long)
    assert len(merged.authors) == 2
    assert (merged.year, merged.date) == (2011, "2011-03-02")
    assert merge_records(long, long) == long


def test_a_pubmed_sample_file_is_all_duplicates_of_itself() -> None:
    folder = os.environ.get("PEERMENTOR_SAMPLES")
    if not folder:
        pytest.skip("PEERMENTOR_SAMPLES is not set")
    data = (Path(folder) / "samples" / "pubmed" / "biopython_pubmed2.xml").read_bytes()
    works = pubmed_xml.read(data, filename="pubmed2.xml").records
    stored = [WorkKey.from_record(w, f"s{n}") for n, w in enumerate(works)]
    assert [(m.existing_id, m.reason) for m in find_duplicates(stored, works)] == [
        (f"s{n}", "doi") for n in range(len(works))
    ]
    no_ids = [
        WorkKey(k.id, None, None, k.title.upper(), k.year, k.first_author_family) for k in stored
    ]
    assert [m.reason for m in find_duplicates(no_ids, works)] == ["title"] * len(works)


# Property tests: small worlds where duplicates and near misses are common.

BASE_TITLES = (
    "Peer mentoring of junior clinician educators",
    "Faculty development for clinician educators in psychiatry",
    "Burnout among residents in internal medicine",
)
FAMILIES = ("Lord", "Lörd", "Smith", "García-Márquez", "Garcia", "")


@st.composite
def titles(draw: st.DrawFn) -> str:
    title = draw(st.sampled_from(BASE_TITLES))
    change = draw(st.sampled_from(["same", "upper", "drop", "swap", "part", "short", "noise"]))
    if change == "upper":
        return title.upper() + "."
    if change == "drop":
        position = draw(st.integers(1, len(title) - 2))
        return title[:position] + title[position + 1 :]
    if change == "swap":
        words = title.split()
        return " ".join(words[1:] + words[:1])
    if change == "part":
        return f"{title}: part {draw(st.integers(1, 2))}"
    if change == "short":
        return title.split()[0]
    return title + (" " + draw(st.text("abcdefgh ", max_size=12)) if change == "noise" else "")


@st.composite
def works(draw: st.DrawFn) -> WorkRecord:
    return record(
        draw(titles()),
        draw(st.none() | st.integers(2018, 2021)),
        doi=draw(st.sampled_from([None, None, None, "10.1000/a", "10.1000/b"])),
        pmid=draw(st.sampled_from([None, None, None, "1", "2"])),
        family=draw(st.sampled_from(FAMILIES)),
    )


def brute_force(existing: Sequence[WorkKey], incoming: Sequence[WorkRecord]) -> list[Match]:
    """The rule applied to every pair, in the same order of preference."""
    keys = [WorkKey.from_record(w, n) for n, w in enumerate(incoming)]
    roots: list[tuple[Hashable | None, int | None]] = []
    found: list[Match] = []
    for index, work in enumerate(keys):
        pools = (("existing", list(existing)), ("incoming", keys[:index]))
        hit = None
        for reason in ("doi", "pmid"):
            for side, pool in pools:
                same = [
                    n
                    for n, other in enumerate(pool)
                    if (is_duplicate(work, other) or ("",))[0] == reason
                ]
                if same and hit is None:
                    hit = (side, same[0], reason, 100.0)
        for side, pool in pools:
            scored = [
                (-link[1], n)
                for n, other in enumerate(pool)
                if (link := is_duplicate(work, other)) is not None and link[0] == "title"
            ]
            if scored and hit is None:
                hit = (side, min(scored)[1], "title", -min(scored)[0])
        if hit is None:
            roots.append((None, index))
            continue
        side, target, reason, score = hit
        root = (existing[target].id, None) if side == "existing" else roots[target]
        roots.append(root)
        found.append(Match(index, root[0], root[1], reason, score))  # type: ignore[arg-type]
    return found


@settings(max_examples=150, deadline=None)
@given(stored=st.lists(works(), max_size=8), incoming=st.lists(works(), max_size=10))
def test_blocked_search_finds_exactly_what_comparing_every_pair_finds(
    stored: list[WorkRecord], incoming: list[WorkRecord]
) -> None:
    existing = [WorkKey.from_record(w, f"s{n}") for n, w in enumerate(stored)]
    assert find_duplicates(existing, incoming) == brute_force(existing, incoming)


@settings(max_examples=150, deadline=None)
@given(a=works(), b=works())
def test_being_a_duplicate_is_symmetric(a: WorkRecord, b: WorkRecord) -> None:
    key_a, key_b = WorkKey.from_record(a, "a"), WorkKey.from_record(b, "b")
    assert is_duplicate(key_a, key_b) == is_duplicate(key_b, key_a)
    forward = [(m.reason, m.score) for m in find_duplicates([], [a, b])]
    backward = [(m.reason, m.score) for m in find_duplicates([], [b, a])]
    assert forward == backward
    assert bool(find_duplicates([key_a], [b])) == bool(find_duplicates([key_b], [a]))


@settings(max_examples=100, deadline=None)
@given(incoming=st.lists(works(), max_size=12))
def test_dedupe_is_idempotent_and_every_work_finds_itself(incoming: list[WorkRecord]) -> None:
    repeats = {m.incoming_index for m in find_duplicates([], incoming)}
    kept = [w for n, w in enumerate(incoming) if n not in repeats]
    assert find_duplicates([], kept) == []
    itself = find_duplicates([WorkKey.from_record(w, n) for n, w in enumerate(kept)], kept)
    findable = [
        n
        for n, w in enumerate(kept)
        if w.doi or w.pmid or (w.year is not None and len(normalise_title(w.title).split()) >= 3)
    ]
    assert [m.incoming_index for m in itself] == findable
    assert all(m.existing_id is not None for m in itself)


@settings(max_examples=300, deadline=None)
@given(a=st.text("abcde 12", max_size=40), b=st.text("abcde 12", max_size=40))
def test_the_letter_count_bound_never_rules_out_a_similar_pair(a: str, b: str) -> None:
    a, b = " ".join(a.split()), " ".join(b.split())
    if not a or not b:
        return
    score = max(
        fuzz.ratio(a, b), fuzz.ratio(" ".join(sorted(a.split())), " ".join(sorted(b.split())))
    )
    if score >= TITLE_THRESHOLD:
        counts = [np.array([text.count(c) for c in "abcde 12"]) for text in (a, b)]
        assert np.abs(counts[0] - counts[1]).sum() <= letter_count_bound(len(a), len(b)) + 1e-9
