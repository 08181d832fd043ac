"""Pseudonyms: respondent codes, masked member names and contacts, and small-group labels."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peermentor.surveys.pseudonymise import (
    CONTACT,
    MEMBER,
    group_label,
    mask_contacts,
    mask_names,
    mask_text,
    name_variants,
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
