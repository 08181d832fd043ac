"""Author matching: ORCID iDs count at once; names, however written, only suggest a claim."""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peermentor.core.orcid import check_digit
from peermentor.scholarship.importers import pubmed_xml
from peermentor.scholarship.matching import (
    MIN_NAME_CONFIDENCE,
    AuthorMatch,
    MemberKey,
    families_agree,
    family_parts,
    fold,
    given_tokens,
    match_authors,
)
from peermentor.scholarship.records import AuthorRecord, WorkRecord

ORCID = "0000-0002-1825-0097"
OTHER_ORCID = "0000-0001-5109-3700"
JOHN = MemberKey("john", None, "Smith", "John Andrew")
GABO = MemberKey("gabo", f"https://orcid.org/{ORCID}", "García Márquez", "Gabriel José")
ANNA = MemberKey("anna", None, "van der Berg", "Anna", other_names=("Anna Jansen",))


def author(
    family: str, given: str = "", *, name: str = "", orcid: str | None = None
) -> AuthorRecord:
    return AuthorRecord(name or f"{given} {family}".strip(), family, given, orcid, 0)


def work(*authors: AuthorRecord) -> WorkRecord:
    numbered = tuple(
        AuthorRecord(a.name, a.family, a.given, a.orcid, n) for n, a in enumerate(authors, start=1)
    )
    return WorkRecord("journal_article", "T", "V", 2020, None, None, None, numbered, "test", "r")


def matches(
    *authors: AuthorRecord, members: tuple[MemberKey, ...] = (JOHN, GABO, ANNA)
) -> list[AuthorMatch]:
    return match_authors([work(*authors)], list(members))


def only(*authors: AuthorRecord) -> AuthorMatch:
    (found,) = matches(*authors)
    return found


@pytest.mark.parametrize(
    "written",
    [ORCID, f"https://orcid.org/{ORCID}", f"http://orcid.org/{ORCID}", "0000000218250097"],
)
def test_an_orcid_in_any_form_matches_at_once_whatever_the_name(written: str) -> None:
    found = only(author("Nobody", "X", orcid=written))
    assert (found.member_id, found.kind, found.confidence) == ("gabo", "orcid", 1.0)
    assert ORCID in found.reason


def test_a_member_orcid_with_a_wrong_check_digit_is_ignored() -> None:
    member = MemberKey("m", "0000-0002-1825-0098", "Zed", "Q")
    assert matches(author("Other", "Y", orcid="0000-0002-1825-0098"), members=(member,)) == []


@pytest.mark.parametrize(
    ("family", "given", "name"),
    [
        ("Smith", "J", ""),
        ("Smith", "JA", ""),
        ("Smith", "J. A.", ""),
        ("Smith", "John A", ""),
        ("Smith", "John", ""),
        ("", "", "J. A. Smith"),
        ("", "", "Smith, John A."),
        ("SMITH", "John Andrew", ""),
    ],
)
def test_initials_and_name_orders_suggest_the_member(family: str, given: str, name: str) -> None:
    found = only(author(family, given, name=name))
    assert (found.member_id, found.kind) == ("john", "name")
    assert MIN_NAME_CONFIDENCE <= found.confidence < 1


def test_confidence_rises_with_what_agrees() -> None:
    full = only(author("Smith", "John Andrew")).confidence
    first = only(author("Smith", "John")).confidence
    initials = only(author("Smith", "JA")).confidence
    initial = only(author("Smith", "J")).confidence
    assert full > first > initials > initial
    assert "middle initial matches" in only(author("Smith", "JA")).reason


@pytest.mark.parametrize(
    ("family", "given"),
    [
        ("Garcia Marquez", "Gabriel"),
        ("García-Márquez", "G J"),
        ("GARCIA-MARQUEZ", "Gabriel Jose"),
        ("Márquez", "Gabriel"),
        ("García", "G"),
    ],
)
def test_accents_hyphens_and_parts_of_compound_family_names(family: str, given: str) -> None:
    found = only(author(family, given))
    assert (found.member_id, found.kind) == ("gabo", "name")


@pytest.mark.parametrize(
    "family", ["van der Berg", "Van Der Berg", "Berg", "Vanderberg", "van den Berg"]
)
def test_particles_are_left_out_of_the_family_name(family: str) -> None:
    assert only(author(family, "Anna")).member_id == "anna"


def test_other_names_are_matched_too() -> None:
    found = only(author("Jansen", "A"))
    assert found.member_id == "anna"
    assert "Anna Jansen" in found.reason


def test_a_near_miss_family_name_is_suggested_with_less_confidence() -> None:
    member = MemberKey("k", None, "Kowalski", "Piotr")
    near = matches(author("Kowalsky", "Piotr"), members=(member,))
    exact = matches(author("Kowalski", "Piotr"), members=(member,))
    assert [m.member_id for m in near] == ["k"]
    assert near[0].confidence < exact[0].confidence
    assert "near miss" in near[0].reason
    assert matches(author("Smyth", "John Andrew")) == []


@pytest.mark.parametrize(
    ("family", "given"),
    [("Smith", "Jane"), ("Smith", "P"), ("Smith", "J B"), ("Smithson", "John"), ("", "")],
)
def test_names_that_disagree_are_not_suggested(family: str, given: str) -> None:
    assert matches(author(family, given)) == []


def test_a_family_name_alone_is_only_suggested_on_request() -> None:
    assert matches(author("Smith")) == []
    (found,) = match_authors([work(author("Smith"))], [JOHN], min_confidence=0.4)
    assert found.confidence == 0.45


def test_a_group_author_is_not_a_person() -> None:
    assert matches(author("", name="Smith Study Group")) == []


def test_an_orcid_that_disagrees_rules_out_a_name_match() -> None:
    member = MemberKey("m", ORCID, "Smith", "John")
    assert matches(author("Smith", "John", orcid=OTHER_ORCID), members=(member,)) == []
    assert [m.kind for m in matches(author("Smith", "John"), members=(member,))] == ["name"]


def test_one_suggestion_per_member_and_work_and_orcid_wins() -> None:
    found = matches(
        author("Smith", "J"),
        author("Smith", "John Andrew"),
        author("X", "Y", orcid=ORCID),
        author("García Márquez", "Gabriel"),
    )
    assert [(m.member_id, m.author_position, m.kind) for m in found] == [
        ("john", 2, "name"),
        ("gabo", 3, "orcid"),
    ]


def test_members_with_the_same_name_are_each_suggested() -> None:
    twin = MemberKey("john-2", None, "Smith", "John")
    found = matches(author("Smith", "John"), members=(JOHN, twin))
    assert {m.member_id for m in found} == {"john", "john-2"}


def test_no_works_or_no_members_match_nothing() -> None:
    assert match_authors([], [JOHN]) == []
    assert match_authors([work(author("Smith", "John"))], []) == []


def test_name_helpers() -> None:
    assert fold("O’Brien-García") == "obrien garcia"
    assert family_parts("van der Berg").core == "berg"
    assert family_parts("García Márquez").keys == {"garciamarquez", "garcia", "marquez"}
    assert given_tokens("Jean-Pierre A.") == (("jean", False), ("pierre", False), ("a", True))
    assert given_tokens("JA") == (("j", True), ("a", True))
    assert families_agree("Müller", "Muller")
    assert not families_agree("Smith", "Jones")


def test_authors_of_a_real_pubmed_file_are_found() -> None:
    folder = os.environ.get("PEERMENTOR_SAMPLES")
    if not folder:
        pytest.skip("PEERMENTOR_SAMPLES is not set")
    data = (Path(folder) / "samples" / "pubmed" / "biopython_pubmed5.xml").read_bytes()
    works = pubmed_xml.read(data, filename="p5.xml").records
    member = MemberKey("lbf", None, "Beane-Freeman", "Laura")
    found = match_authors(works, [member])
    assert [(m.author_position, m.kind) for m in found] == [(2, "name")]


def orcid_for(serial: int) -> str:
    base = f"{serial:015d}"
    digits = base + check_digit(base)
    return "-".join(digits[i : i + 4] for i in range(0, 16, 4))


def test_two_hundred_thousand_slots_against_two_thousand_members_is_fast() -> None:
    rng = random.Random(5)
    letters = "abcdefghijklmnoprstuvwyz"
    families = ["".join(rng.choice(letters) for _ in range(7)).capitalize() for _ in range(20_000)]
    givens = ["John", "Mary A", "Li", "José", "Anna B"]
    members = [
        MemberKey(n, orcid_for(n) if n % 3 == 0 else None, families[n * 7], rng.choice(givens))
        for n in range(2_000)
    ]
    works = [
        work(*(author(rng.choice(families), rng.choice(givens)) for _ in range(20)))
        for _ in range(10_000)
    ]
    started = time.perf_counter()
    found = match_authors(works, members)
    elapsed = time.perf_counter() - started
    assert found
    assert elapsed < 6, f"{elapsed:.1f} s"


NAMES = st.sampled_from(
    ["Smith", "Smyth", "García", "García-Márquez", "van der Berg", "Berg", "Lee"]
)
GIVENS = st.sampled_from(["John", "J", "JA", "Jane", "Ana", "A", ""])
ORCIDS = st.none() | st.sampled_from([ORCID, OTHER_ORCID, orcid_for(42)])


@settings(max_examples=150, deadline=None)
@given(
    members=st.lists(st.tuples(NAMES, GIVENS, ORCIDS), min_size=1, max_size=6),
    authors=st.lists(st.tuples(NAMES, GIVENS, ORCIDS), min_size=1, max_size=8),
)
def test_name_matches_never_cross_a_disagreeing_orcid(
    members: list[tuple[str, str, str | None]], authors: list[tuple[str, str, str | None]]
) -> None:
    keys = [MemberKey(n, orcid, family, given) for n, (family, given, orcid) in enumerate(members)]
    the_work = work(*(author(family, given, orcid=orcid) for family, given, orcid in authors))
    for match in match_authors([the_work], keys):
        member = keys[match.member_id]  # type: ignore[index]
        slot = the_work.authors[match.author_position - 1]
        if match.kind == "orcid":
            assert slot.orcid == member.orcid
            assert match.confidence == 1.0
            continue
        assert not (slot.orcid and member.orcid and slot.orcid != member.orcid)
        assert families_agree(slot.family, member.family)
        assert MIN_NAME_CONFIDENCE <= match.confidence < 1.0
    positions = [(m.member_id) for m in match_authors([the_work], keys)]
    assert len(positions) == len(set(positions))
