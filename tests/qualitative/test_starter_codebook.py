"""The starter codebook: the fourteen published outcomes, complete guidance, readable colours."""

from __future__ import annotations

import dataclasses
import re

import pytest

from peermentor.qualitative.starter_codebook import (
    BENEFITS,
    PARENTS,
    POLARITIES,
    STARTER_CODES,
    UNDESIRABLE,
    StarterCode,
    starter_code,
    starter_codebook,
)

TEXT_COLOUR = "#1b1f24"
WCAG_AA = 4.5


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of an sRGB colour written as #rrggbb."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio between two colours, from 1 to 21."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_ratio_matches_the_wcag_reference_values() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_codebook_has_seven_benefits_and_seven_undesirable_outcomes() -> None:
    parents = [code.parent for code in starter_codebook()]
    assert parents.count(BENEFITS) == 7
    assert parents.count(UNDESIRABLE) == 7
    assert len(parents) == 14


def test_polarity_follows_the_parent() -> None:
    expected = {BENEFITS: "benefit", UNDESIRABLE: "undesirable"}
    for code in STARTER_CODES:
        assert code.parent in PARENTS
        assert code.polarity in POLARITIES
        assert code.polarity == expected[code.parent]


@pytest.mark.parametrize(
    "field", ["key", "name", "definition", "use_when", "do_not_use_when", "example"]
)
def test_every_code_has_non_empty_guidance(field: str) -> None:
    for code in STARTER_CODES:
        assert getattr(code, field).strip(), f"{code.key} has an empty {field}"


def test_names_and_keys_are_unique() -> None:
    assert len({code.name.casefold() for code in STARTER_CODES}) == len(STARTER_CODES)
    assert len({code.key for code in STARTER_CODES}) == len(STARTER_CODES)


def test_keys_are_slugs() -> None:
    for code in STARTER_CODES:
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", code.key), code.key


@pytest.mark.parametrize(
    "outcome",
    [
        "workplace satisfaction",
        "social connection",
        "productivity",
        "diversity of thought",
        "professional activities",
        "safe",
        "accountability",
        "exclusivity",
        "hierarchy",
        "scheduling",
        "curriculum",
        "competing interests",
        "enmeshment",
        "focus",
    ],
)
def test_each_published_outcome_names_exactly_one_code(outcome: str) -> None:
    matching = [code.key for code in STARTER_CODES if outcome in code.name.casefold()]
    assert len(matching) == 1, matching


def test_colours_are_hex_and_distinct() -> None:
    colours = [code.colour.lower() for code in STARTER_CODES]
    assert all(re.fullmatch(r"#[0-9a-f]{6}", colour) for colour in colours)
    assert len(set(colours)) == len(colours)


@pytest.mark.parametrize("code", STARTER_CODES, ids=lambda code: code.key)
def test_dark_text_on_each_colour_meets_wcag_aa(code: StarterCode) -> None:
    assert contrast_ratio(TEXT_COLOUR, code.colour) >= WCAG_AA


def test_codes_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        STARTER_CODES[0].name = "Changed"  # type: ignore[misc]


def test_starter_codebook_returns_a_new_list_each_time() -> None:
    first = starter_codebook()
    first.clear()
    assert len(starter_codebook()) == 14


def test_starter_code_finds_a_code_by_key_and_refuses_unknown_keys() -> None:
    assert starter_code("scheduling").name == "Scheduling of meetings"
    with pytest.raises(KeyError):
        starter_code("no-such-code")
