"""ORCID iDs: normalised forms and the ISO 7064 MOD 11-2 check digit."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peermentor.core.orcid import InvalidOrcid, check_digit, normalise_orcid

# Published examples from ORCID's own documentation of the check digit.
KNOWN = ["0000-0002-1825-0097", "0000-0001-5109-3700", "0000-0002-1694-233X"]


@pytest.mark.parametrize("orcid", KNOWN)
def test_published_orcids_are_valid(orcid: str) -> None:
    assert normalise_orcid(orcid) == orcid


@pytest.mark.parametrize(
    "text",
    [
        "https://orcid.org/0000-0002-1825-0097",
        "http://orcid.org/0000-0002-1825-0097",
        "orcid.org/0000-0002-1825-0097",
        "  0000000218250097 ",
    ],
)
def test_url_and_bare_forms_normalise(text: str) -> None:
    assert normalise_orcid(text) == "0000-0002-1825-0097"


def test_lower_case_x_is_accepted() -> None:
    assert normalise_orcid("0000-0002-1694-233x") == "0000-0002-1694-233X"


def test_wrong_check_digit_says_which_it_should_be() -> None:
    with pytest.raises(InvalidOrcid, match="should be 7"):
        normalise_orcid("0000-0002-1825-0098")


@pytest.mark.parametrize("text", ["", "1234", "0000-0002-1825-00977", "abcd-0002-1825-0097"])
def test_malformed_text_is_rejected(text: str) -> None:
    with pytest.raises(InvalidOrcid, match="not an ORCID iD"):
        normalise_orcid(text)


@given(st.text(alphabet="0123456789", min_size=15, max_size=15))
def test_any_base_with_its_check_digit_round_trips(base: str) -> None:
    orcid = base + check_digit(base)
    formatted = "-".join(orcid[i : i + 4] for i in range(0, 16, 4))
    assert normalise_orcid(orcid) == formatted


@given(st.text(alphabet="0123456789", min_size=15, max_size=15), st.sampled_from("0123456789X"))
def test_every_other_check_character_is_rejected(base: str, last: str) -> None:
    if last == check_digit(base):
        return
    with pytest.raises(InvalidOrcid):
        normalise_orcid(base + last)
