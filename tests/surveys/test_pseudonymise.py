"""Pseudonyms: respondent codes, masked member names and contacts, and small-group labels."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peermentor.surveys.pseudonymise import (
    CONTACT,
    MEMBER,
    NameMasker,
    _fold,
    _fold_char,
    _folded_names,
    _name_pattern,
    _spans,
    group_label,
    mask_contacts,
    mask_names,
    mask_text,
    name_variants,
    respondent_code,
    respondent_codes,
)

MEMBERS = [
    *name_variants("José García-López", ["Pepe"]),
    *name_variants("Anne Marie van Dijk"),
    *name_variants("Zoë O’Neill"),
]


def test_codes_follow_first_seen_order_and_ignore_repeats() -> None:
    assert respondent_codes(["k9", "a1", "k9", "b2"]) == {"k9": "R01", "a1": "R02", "b2": "R03"}


def test_codes_grow_wider_past_ninety_nine() -> None:
    codes = respondent_codes(f"key{n}" for n in range(100))
    assert codes["key0"] == "R001"
    assert codes["key99"] == "R100"
    assert len(set(codes.values())) == 100
    assert respondent_codes(str(n) for n in range(99))["98"] == "R99"


def test_codes_are_stable_for_the_same_order() -> None:
    keys = ["R_x", "R_y", "R_z"]
    assert respondent_codes(keys) == respondent_codes(list(keys))


def test_name_variants_cover_parts_but_not_particles() -> None:
    assert name_variants("Anne Marie van Dijk") == [
        "Anne Marie van Dijk",
        "Anne",
        "Marie",
        "Dijk",
        "van Dijk",
    ]
    assert "García-López" in name_variants("José García-López")


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("I thank José.", "I thank [member]."),
        ("jose and JOSE and José", "[member] and [member] and [member]"),
        ("Jose\u0301 spoke", "[member] spoke"),  # a decomposed accent goes with its letter
        ("Garcia Lopez and garcía-lópez", "[member] and [member]"),
        ("José García-López chaired", "[member] chaired"),  # the longest name wins
        ("Pepe's idea, not pepper", "[member]'s idea, not pepper"),
        ("Josélito and Anneliese", "Josélito and Anneliese"),  # whole words only
        ("Ms van Dijk drove a van", "Ms [member] drove a van"),
        ("Zoe O'Neill and zoë o’neill", "[member] and [member]"),
        ("Anne\u2011Marie", "[member]\u2011[member]"),
    ],
)
def test_names_are_masked_accent_and_case_blind(text: str, masked: str) -> None:
    assert mask_names(text, MEMBERS) == masked


def test_text_around_masks_is_kept_exactly() -> None:
    text = "Ünïcode 🎉 before — José — after 🎉 ß"
    assert mask_names(text, MEMBERS) == "Ünïcode 🎉 before — [member] — after 🎉 ß"


def test_names_with_eszett_match_their_spelled_out_form() -> None:
    assert mask_names("Frau Strauß und Herr Strauss", ["Strauss"]) == (
        "Frau [member] und Herr [member]"
    )


def test_one_letter_names_and_no_names_change_nothing() -> None:
    assert mask_names("a b c", ["a", " ", ""]) == "a b c"
    assert mask_names("Anne", []) == "Anne"


def test_placeholders_are_never_masked_again() -> None:
    assert mask_names("[member] said member", ["member"]) == "[member] said [member]"
    assert mask_names("[contact]", ["contact"]) == "[contact]"


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("write to jg@uni.edu.", "write to [contact]."),
        ("call (405) 321-1111 today", "call [contact] today"),
        ("or +41 31 123 45 67", "or [contact]"),
        ("pager 0612345678", "pager [contact]"),
        ("in 2006-2010 and on 2019-10-14", "in 2006-2010 and on 2019-10-14"),
        ("room 1234, 30 meetings", "room 1234, 30 meetings"),
    ],
)
def test_contacts_are_masked_but_dates_and_counts_are_not(text: str, masked: str) -> None:
    assert mask_contacts(text) == masked


def test_mask_text_masks_contacts_before_names() -> None:
    text = "Ask José at jose@uni.edu"
    assert mask_text(text, MEMBERS) == f"Ask {MEMBER} at {CONTACT}"


@pytest.mark.parametrize(
    ("count", "label"),
    [(0, "a group"), (4, "a group"), (5, "Wednesday group"), (9, "Wednesday group")],
)
def test_group_label_hides_small_groups(count: int, label: str) -> None:
    assert group_label("Wednesday group", count) == label


def test_group_label_minimum_can_be_raised() -> None:
    assert group_label("Wednesday group", 6, minimum=7) == "a group"


NAME_ALPHABET = "abcdeéøñßABCDEÉØ -'’"


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(max_size=120) | st.text(alphabet=NAME_ALPHABET + ".@0123456789+()", max_size=80),
    names=st.lists(st.text(alphabet=NAME_ALPHABET, max_size=12), max_size=5),
)
def test_masking_is_idempotent(text: str, names: list[str]) -> None:
    once = mask_text(text, names)
    assert mask_text(once, names) == once


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=120))
def test_masking_without_names_or_contacts_changes_nothing(text: str) -> None:
    if "@" not in text and sum(char.isdigit() for char in text) < 7:
        assert mask_text(text, []) == text


def _mask_with_every_name(text: str, names: list[str]) -> str:
    """The reference: one pattern of every name matched against the whole text."""
    folded_names = _folded_names(names)
    if not text or not folded_names:
        return text
    folded, origins = _fold(text)
    pieces, position = [], 0
    for start, end in _spans(_name_pattern(frozenset(folded_names)), folded):
        last = origins[end - 1] + 1
        while last < len(text) and not _fold_char(text[last]):
            last += 1
        pieces.extend([text[position : origins[start]], MEMBER])
        position = last
    pieces.append(text[position:])
    return "".join(pieces)


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet=NAME_ALPHABET + ".,[]", max_size=80) | st.text(max_size=80),
    names=st.lists(st.text(alphabet=NAME_ALPHABET + ".", max_size=12), max_size=6),
)
def test_the_masker_matches_only_candidate_names_yet_masks_the_same(
    text: str, names: list[str]
) -> None:
    # The masker tries only names whose every word run appears in the text: never fewer masks.
    assert NameMasker(names).mask_names(text) == _mask_with_every_name(text, names)


def test_one_masker_serves_many_texts_and_many_names() -> None:
    names = [variant for n in range(3000) for variant in name_variants(f"Given{n} Family{n}")]
    masker = NameMasker(names)
    assert masker.mask("Given12 and family2999 met Given12 Family12.") == (
        "[member] and [member] met [member]."
    )
    assert masker.mask("Nobody here; call +44 20 7946 0958") == f"Nobody here; call {CONTACT}"


def test_a_code_is_as_wide_as_the_largest_of_its_wave() -> None:
    assert respondent_code(7, 99) == "R07"
    assert respondent_code(7, 100) == "R007"
    assert respondent_code(2000, 2000) == "R2000"
