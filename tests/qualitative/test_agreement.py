"""Inter-rater agreement: published reference values as oracles, then properties and errors."""

from __future__ import annotations

from collections.abc import Hashable
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peermentor.qualitative.agreement import (
    LEVELS,
    AgreementError,
    ReliabilityData,
    answer_units,
    character_units,
    cohen_kappa,
    coincidences,
    data_from_rows,
    fleiss_kappa,
    gwet_ac1,
    interpret,
    krippendorff_alpha,
    percent_agreement,
    read_rows_csv,
    scott_pi,
    summary,
)

# Published values are printed to three decimals; ours must round to them.
PUBLISHED = 5e-4
# Values we state to four decimals, computed exactly from the published tables.
FOUR_DECIMALS = 5e-5


def from_columns(columns: dict[str, str]) -> ReliabilityData:
    """Reliability data from one line of space-separated values per coder, "." for missing."""
    data: ReliabilityData = {}
    for coder, line in columns.items():
        for unit, value in enumerate(line.split(), start=1):
            if value != ".":
                data.setdefault(unit, {})[coder] = int(value)
    return data


def from_table(table: dict[tuple[str, str], int]) -> ReliabilityData:
    """Two-coder data from a contingency table: (first coder's value, second's) -> count."""
    pairs = [pair for pair, count in table.items() for _ in range(count)]
    return {unit: {"A": a, "B": b} for unit, (a, b) in enumerate(pairs)}


def from_counts(rows: list[list[int]]) -> ReliabilityData:
    """Many-coder data from a subjects x categories table of how many raters chose each."""
    data: ReliabilityData = {}
    for subject, counts in enumerate(rows):
        values = [category for category, n in enumerate(counts) for _ in range(n)]
        data[subject] = {f"rater{r}": value for r, value in enumerate(values)}
    return data


# --- Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C --------------

KRIPPENDORFF_2011 = from_columns(
    {
        "A": "1 2 3 3 2 1 4 1 2 . . .",
        "B": "1 2 3 3 2 2 4 1 2 5 . 3",
        "C": ". 3 3 3 2 3 4 2 2 5 1 .",
        "D": "1 2 3 3 2 4 4 1 2 5 1 .",
    }
)


def test_coincidence_matrix_of_krippendorffs_example_matches_the_hand_computed_one() -> None:
    """Unit 12 (one value) drops out; n = 40 pairable values, n_c = 9, 13, 10, 5, 3."""
    third, four_thirds = Fraction(1, 3), Fraction(4, 3)
    expected = {
        (1, 1): 7, (1, 2): four_thirds, (1, 3): third, (1, 4): third,
        (2, 2): 10, (2, 3): four_thirds, (2, 4): third,
        (3, 3): 8, (3, 4): third,
        (4, 4): 4,
        (5, 5): 3,
    }  # fmt: skip
    symmetric = {**expected, **{(k, c): n for (c, k), n in expected.items()}}
    assert coincidences(KRIPPENDORFF_2011) == symmetric


def test_krippendorff_nominal_alpha_is_0743() -> None:
    """Published 0.743; by hand 1 - (n-1) * 8 / (40^2 - (81+169+100+25+9)) = 113/152 = 0.7434."""
    alpha = krippendorff_alpha(KRIPPENDORFF_2011, "nominal")
    assert alpha == pytest.approx(0.743, abs=PUBLISHED)
    assert alpha == pytest.approx(113 / 152, abs=1e-12)


def test_krippendorff_interval_alpha_is_0849() -> None:
    """Published 0.849; by hand 1 - 39 * (52/3) / 4480 = 0.8491 (sums of o_ck and n_c n_k δ²)."""
    alpha = krippendorff_alpha(KRIPPENDORFF_2011, "interval")
    assert alpha == pytest.approx(0.849, abs=PUBLISHED)
    assert alpha == pytest.approx(1 - 39 * Fraction(52, 3) / 4480, abs=1e-12)


@pytest.mark.parametrize(
    ("level", "published", "exact"),
    [("ordinal", 0.815, 0.8154), ("ratio", 0.797, 0.7974)],
)
def test_krippendorff_ordinal_and_ratio_alpha(level: str, published: float, exact: float) -> None:
    """Values 0.815 and 0.797 as commonly reported for this data; recomputed to four decimals."""
    alpha = krippendorff_alpha(KRIPPENDORFF_2011, level)  # type: ignore[arg-type]
    assert alpha == pytest.approx(published, abs=PUBLISHED)
    assert alpha == pytest.approx(exact, abs=FOUR_DECIMALS)


def test_krippendorff_binary_two_coder_alpha_is_0095() -> None:
    """Krippendorff (2011), section A: o_01 = 4, n_0 = 14, n_1 = 6; 1 - 19 * 4 / 84 = 0.0952."""
    data = from_columns({"A": "0 1 0 0 0 0 0 0 1 0", "B": "1 1 1 0 0 1 0 0 0 0"})
    alpha = krippendorff_alpha(data)
    assert alpha == pytest.approx(0.095, abs=PUBLISHED)
    assert alpha == pytest.approx(0.0952, abs=FOUR_DECIMALS)


# --- Fleiss' kappa ------------------------------------------------------------------------------

# The worked example of Wikipedia's "Fleiss' kappa" article (10 subjects, 14 raters, 5
# categories), used because Fleiss's own 1971 table of 30 subjects could not be reproduced
# exactly from memory.
WIKIPEDIA_FLEISS = from_counts(
    [
        [0, 0, 0, 0, 14],
        [0, 2, 6, 4, 2],
        [0, 0, 3, 5, 6],
        [0, 3, 9, 2, 0],
        [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0],
        [3, 2, 6, 3, 0],
        [2, 5, 3, 2, 2],
        [6, 5, 2, 1, 0],
        [0, 2, 2, 3, 7],
    ]
)


def test_fleiss_kappa_of_the_wikipedia_example_is_0210() -> None:
    """Published P = 0.378, Pe = 0.213, kappa = 0.210; exactly 4211/20059 = 0.2099."""
    assert percent_agreement(WIKIPEDIA_FLEISS) == pytest.approx(0.378, abs=PUBLISHED)
    kappa = fleiss_kappa(WIKIPEDIA_FLEISS)
    assert kappa == pytest.approx(0.210, abs=PUBLISHED)
    assert kappa == pytest.approx(4211 / 20059, abs=1e-12)


def test_fleiss_kappa_is_none_when_units_have_different_numbers_of_values() -> None:
    data = from_columns({"A": "1 2 1", "B": "1 2 2", "C": "1 . 2"})
    assert fleiss_kappa(data) is None


# --- Cohen's kappa and Scott's pi -------------------------------------------------------------

WIKIPEDIA_COHEN = from_table(
    {("yes", "yes"): 20, ("yes", "no"): 5, ("no", "yes"): 10, ("no", "no"): 15}
)


def test_cohen_kappa_of_the_wikipedia_example_is_04() -> None:
    """Wikipedia "Cohen's kappa": 50 items, p_o = 0.7, p_e = 0.5 * 0.6 + 0.5 * 0.4 = 0.5, 0.4."""
    assert percent_agreement(WIKIPEDIA_COHEN) == pytest.approx(0.7, abs=1e-12)
    assert cohen_kappa(WIKIPEDIA_COHEN) == pytest.approx(0.4, abs=1e-12)


@pytest.mark.parametrize(
    ("table", "kappa"),
    [
        ({("y", "y"): 45, ("y", "n"): 15, ("n", "y"): 25, ("n", "n"): 15}, 0.1304),
        ({("y", "y"): 25, ("y", "n"): 35, ("n", "y"): 5, ("n", "n"): 35}, 0.2593),
    ],
)
def test_cohen_kappa_differs_for_tables_with_the_same_percent_agreement(
    table: dict[tuple[str, str], int], kappa: float
) -> None:
    """Wikipedia "Cohen's kappa", the two 100-item tables with p_o = 0.60 (Feinstein & Cicchetti's
    first paradox): p_e = 0.54 gives 0.06/0.46 = 0.1304, p_e = 0.46 gives 0.14/0.54 = 0.2593."""
    data = from_table(table)
    assert percent_agreement(data) == pytest.approx(0.6, abs=1e-12)
    assert cohen_kappa(data) == pytest.approx(kappa, abs=FOUR_DECIMALS)


def test_scott_pi_of_the_wikipedia_cohen_example() -> None:
    """By hand: pooled p_yes = (25 + 30) / 100 = 0.55, p_e = 0.55² + 0.45² = 0.505,
    pi = (0.7 - 0.505) / 0.495 = 13/33 = 0.3939."""
    assert scott_pi(WIKIPEDIA_COHEN) == pytest.approx(13 / 33, abs=1e-12)


def test_two_coder_coefficients_are_none_with_three_coders() -> None:
    assert cohen_kappa(KRIPPENDORFF_2011) is None
    assert scott_pi(KRIPPENDORFF_2011) is None


def test_cohen_kappa_uses_only_units_both_coders_coded() -> None:
    data = from_columns({"A": "1 2 1 2 .", "B": "1 2 2 2 1"})
    complete = from_columns({"A": "1 2 1 2", "B": "1 2 2 2"})
    assert cohen_kappa(data) == cohen_kappa(complete)


# --- Gwet's AC1 -------------------------------------------------------------------------------


def test_gwet_ac1_of_the_wikipedia_cohen_table() -> None:
    """By hand (Gwet 2008, two raters): p_a = 0.7; pi_yes = (25 + 30) / 100 = 0.55;
    p_e = (0.55 * 0.45 + 0.45 * 0.55) / (2 - 1) = 0.495; AC1 = 0.205 / 0.505 = 41/101 = 0.4059."""
    assert gwet_ac1(WIKIPEDIA_COHEN) == pytest.approx(41 / 101, abs=1e-12)


def test_gwet_ac1_stays_high_where_kappa_collapses() -> None:
    """By hand, 100 items: yes/yes 90, yes/no 5, no/yes 5, no/no 0. p_a = 0.90, pi_yes = 0.95.
    AC1: p_e = 2 * 0.95 * 0.05 = 0.095, (0.90 - 0.095) / 0.905 = 161/181 = 0.8895.
    kappa: p_e = 0.95² + 0.05² = 0.905, (0.90 - 0.905) / 0.095 = -1/19 = -0.0526."""
    data = from_table({("y", "y"): 90, ("y", "n"): 5, ("n", "y"): 5, ("n", "n"): 0})
    assert gwet_ac1(data) == pytest.approx(161 / 181, abs=1e-12)
    assert cohen_kappa(data) == pytest.approx(-1 / 19, abs=1e-12)


def test_gwet_ac1_with_many_raters_on_the_wikipedia_fleiss_table() -> None:
    """By hand: p_a = 172/455 (Fleiss' P bar); pi_k = 20, 28, 39, 21, 32 over 140;
    p_e = (1 - 4170/19600) / 4 = 1543/7840; AC1 = 18469/81861 = 0.2256."""
    assert gwet_ac1(WIKIPEDIA_FLEISS) == pytest.approx(18469 / 81861, abs=1e-12)


def test_gwet_ac1_counts_unused_codebook_categories() -> None:
    """With Q = 3 categories, p_e = 0.495 / 2 = 0.2475 and AC1 = 0.4525 / 0.7525 = 181/301."""
    ac1 = gwet_ac1(WIKIPEDIA_COHEN, categories=["yes", "no", "unsure"])
    assert ac1 == pytest.approx(181 / 301, abs=1e-12)


def test_gwet_ac1_refuses_values_outside_the_given_categories() -> None:
    with pytest.raises(AgreementError, match="outside the given categories"):
        gwet_ac1(WIKIPEDIA_COHEN, categories=["yes"])


# --- Interpretation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kappa", "band"),
    [
        (-0.1, "poor"),
        (0.0, "slight"),
        (0.20, "slight"),
        (0.21, "fair"),
        (0.40, "fair"),
        (0.5, "moderate"),
        (0.61, "substantial"),
        (0.80, "substantial"),
        (0.81, "almost perfect"),
        (1.0, "almost perfect"),
    ],
)
def test_landis_koch_bands(kappa: float, band: str) -> None:
    assert interpret(kappa) == band


@pytest.mark.parametrize(
    ("alpha", "band"),
    [
        (0.800, "reliable"),
        (0.95, "reliable"),
        (0.799, "tentative conclusions only"),
        (0.667, "tentative conclusions only"),
        (0.666, "not reliable"),
        (-0.2, "not reliable"),
    ],
)
def test_krippendorff_bands(alpha: float, band: str) -> None:
    assert interpret(alpha, "krippendorff") == band


def test_interpret_says_undefined_for_none_and_refuses_impossible_values() -> None:
    assert interpret(None) == "undefined"
    with pytest.raises(AgreementError, match="at most 1"):
        interpret(1.5)
    with pytest.raises(AgreementError, match="Unknown scale"):
        interpret(0.5, "cicchetti")  # type: ignore[arg-type]


# --- Summary ----------------------------------------------------------------------------------


def test_summary_has_exactly_the_documented_keys() -> None:
    result = summary(KRIPPENDORFF_2011, level="interval")
    assert set(result) == {
        "units",
        "coders",
        "percent_agreement",
        "cohen_kappa",
        "scott_pi",
        "fleiss_kappa",
        "krippendorff_alpha",
        "gwet_ac1",
    }
    assert result["units"] == 12
    assert result["coders"] == 4
    assert result["cohen_kappa"] is None
    assert result["fleiss_kappa"] is None
    assert result["krippendorff_alpha"] == pytest.approx(0.849, abs=PUBLISHED)
    assert result["percent_agreement"] == pytest.approx(9 / 11, abs=1e-12)


def test_summary_of_two_coders_reports_cohen_and_scott() -> None:
    result = summary(WIKIPEDIA_COHEN)
    assert result["cohen_kappa"] == pytest.approx(0.4, abs=1e-12)
    assert result["scott_pi"] == pytest.approx(13 / 33, abs=1e-12)
    assert result["fleiss_kappa"] == pytest.approx(13 / 33, abs=1e-12)


def test_summary_refuses_text_values_for_numeric_levels_and_names_unit_and_coder() -> None:
    data: ReliabilityData = {"u1": {"A": 3, "B": "low"}}
    with pytest.raises(AgreementError, match="'B' gives unit 'u1' the value 'low'"):
        summary(data, level="interval")


def test_summary_refuses_negative_ratio_values_and_unknown_levels() -> None:
    with pytest.raises(AgreementError, match="negative ratio"):
        summary({"u1": {"A": -1, "B": 1}}, level="ratio")
    with pytest.raises(AgreementError, match="Unknown level"):
        summary(WIKIPEDIA_COHEN, level="cardinal")  # type: ignore[arg-type]


def test_alpha_is_none_without_variation() -> None:
    assert krippendorff_alpha(from_columns({"A": "1 1 1", "B": "1 1 1"})) is None


# --- Building data ----------------------------------------------------------------------------


def test_data_from_rows_keeps_missing_values_out() -> None:
    rows = [("u1", "A", 1), ("u1", "B", 1), ("u2", "A", 2), ("u2", "B", None)]
    assert data_from_rows(rows) == {"u1": {"A": 1, "B": 1}, "u2": {"A": 2}}


def test_data_from_rows_names_the_unit_and_coder_coded_twice() -> None:
    rows = [("u1", "A", 1), ("u1", "B", 1), ("u1", "A", 2)]
    with pytest.raises(AgreementError, match="Coder 'A' codes unit 'u1' twice"):
        data_from_rows(rows)


def test_data_from_rows_refuses_one_coder_and_no_units() -> None:
    with pytest.raises(AgreementError, match="only one coder \\('A'\\)"):
        data_from_rows([("u1", "A", 1), ("u2", "A", 2)])
    with pytest.raises(AgreementError, match="no coded units"):
        data_from_rows([])


# --- CSV --------------------------------------------------------------------------------------


def test_read_rows_csv_treats_absent_rows_and_empty_cells_as_missing() -> None:
    text = "\ufeffUnit, Coder ,value\nu1,A,yes\nu1,B,yes\n\nu2,A,no\nu3,A,no\nu3,B,\n"
    assert read_rows_csv(text) == {
        "u1": {"A": "yes", "B": "yes"},
        "u2": {"A": "no"},
        "u3": {"A": "no"},
    }


def test_read_rows_csv_parses_numbers_for_numeric_levels() -> None:
    data = read_rows_csv("unit,coder,value\n1,A,2\n1,B,2.5\n", level="interval")
    assert data == {"1": {"A": 2, "B": 2.5}}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Line 1: expected the header unit,coder,value, found 'nothing'"),
        ("u,c,v\n1,A,1\n", "Line 1: expected the header"),
        ("unit,coder\n1,A\n", "Line 1: expected the header"),
        (
            "unit,coder,value\n1,A,1\n1,B,1\n1,A,2\n",
            "Line 4: coder 'A' codes unit '1' twice \\(first on line 2\\)",
        ),
        ("unit,coder,value\n1,A,1\n2,A,1\n", "only one coder \\('A'\\)"),
        ("unit,coder,value\n", "no coded units"),
        ("unit,coder,value\n1,A,1\n1,B\n", "Line 3: expected 3 fields"),
        ("unit,coder,value\n1,A,1\n,B,1\n", "Line 3: the unit and the coder must not be empty"),
        ('unit,coder,value\n1,A,1\n1,B,"1\n', "Line 3: unreadable CSV"),
    ],
)
def test_read_rows_csv_errors_name_the_line(text: str, message: str) -> None:
    with pytest.raises(AgreementError, match=message):
        read_rows_csv(text)


@pytest.mark.parametrize("value", ["high", "nan", "inf"])
def test_read_rows_csv_refuses_non_numbers_for_numeric_levels(value: str) -> None:
    text = f"unit,coder,value\n1,A,1\n1,B,{value}\n"
    with pytest.raises(AgreementError, match=f"Line 3: '{value}' is not a number"):
        read_rows_csv(text, level="ordinal")


def test_read_rows_csv_caps_the_number_of_rows() -> None:
    text = "unit,coder,value\n" + "".join(f"{u},A,1\n{u},B,1\n" for u in range(3))
    with pytest.raises(AgreementError, match="Line 6: more than 4 rows"):
        read_rows_csv(text, max_rows=4)


# --- Coded spans as units ---------------------------------------------------------------------


def test_answer_units_mark_presence_and_leave_uncoded_answers_missing() -> None:
    codings = {
        "a1": {"A": ["trust", "time"], "B": ["trust"]},
        "a2": {"A": [], "B": ["trust"]},
        "a3": {"A": ["time"]},
    }
    assert answer_units(codings, "trust") == {
        "a1": {"A": 1, "B": 1},
        "a2": {"A": 0, "B": 1},
        "a3": {"A": 0},
    }


def test_character_units_count_code_points_end_exclusive() -> None:
    text = "né 😀 ok"  # 7 code points: the emoji is one, though two UTF-16 units.
    data = character_units(len(text), {"A": [(0, 2), (3, 4)], "B": [(3, 5)]}, answer="q1")
    assert len(data) == 7
    assert [data["q1", i]["A"] for i in range(7)] == [1, 1, 0, 1, 0, 0, 0]
    assert [data["q1", i]["B"] for i in range(7)] == [0, 0, 0, 1, 1, 0, 0]


def test_character_unit_alpha_by_hand() -> None:
    """By hand: 10 characters, A codes [0, 5), B codes [2, 7); they differ on characters 0, 1, 5
    and 6, so o_01 = 4, n_0 = n_1 = 10, n = 20 and alpha = 1 - 19 * 4 / (10 * 10) = 0.24."""
    data = character_units(10, {"A": [(0, 5)], "B": [(2, 7)]})
    assert krippendorff_alpha(data) == pytest.approx(0.24, abs=1e-12)


@pytest.mark.parametrize("span", [(-1, 2), (3, 11), (4, 4), (5, 3)])
def test_character_units_refuse_bad_spans(span: tuple[int, int]) -> None:
    with pytest.raises(AgreementError, match="Coder 'A' has the span"):
        character_units(10, {"A": [span], "B": []})


# --- Properties -------------------------------------------------------------------------------

CODERS = ["ana", "ben", "chi", "dee", "eve"]
# Exact fractions make a rare example slow on a loaded machine; the examples, not time, matter.
relaxed = settings(deadline=None)


@st.composite
def reliability_data(
    draw: st.DrawFn, values: st.SearchStrategy[int] | None = None
) -> ReliabilityData:
    """Random valid data: 2-5 coders, 1-12 units, values 0-3, some missing; unit 0 is complete."""
    values = st.integers(0, 3) if values is None else values
    coders = CODERS[: draw(st.integers(2, 5))]
    units = draw(st.integers(1, 12))
    data: ReliabilityData = {}
    for unit in range(units):
        row = {c: draw(values if unit == 0 else st.none() | values) for c in coders}
        data[unit] = {c: v for c, v in row.items() if v is not None}
    return data


@st.composite
def perfect_data(draw: st.DrawFn) -> ReliabilityData:
    """Random data where every coder who codes a unit gives it the same value."""
    data = draw(reliability_data())
    return {unit: dict.fromkeys(by, draw(st.integers(0, 3))) for unit, by in data.items()}


def coefficients(data: ReliabilityData) -> list[float | None]:
    """Every coefficient of a summary, for every level of alpha."""
    results = [summary(data, level) for level in LEVELS]
    names = ["percent_agreement", "cohen_kappa", "scott_pi", "fleiss_kappa", "gwet_ac1"]
    return [results[0][name] for name in names] + [r["krippendorff_alpha"] for r in results]


@relaxed
@given(perfect_data())
def test_perfect_agreement_gives_one_wherever_defined(data: ReliabilityData) -> None:
    assert all(value in (None, 1.0) for value in coefficients(data))


@relaxed
@given(reliability_data())
def test_no_coefficient_exceeds_one(data: ReliabilityData) -> None:
    assert all(value is None or value <= 1.0 for value in coefficients(data))


@relaxed
@given(reliability_data(), st.permutations(["x", "y", "z", "w"]))
def test_nominal_alpha_ignores_category_names(data: ReliabilityData, names: list[str]) -> None:
    renamed = {u: {c: names[v] for c, v in by.items()} for u, by in data.items()}  # type: ignore[call-overload]
    assert krippendorff_alpha(renamed) == krippendorff_alpha(data)


@relaxed
@given(reliability_data(), st.permutations(CODERS), st.sampled_from(LEVELS))
def test_alpha_ignores_coder_names_and_order(
    data: ReliabilityData, coders: list[str], level: str
) -> None:
    rename = dict(zip(CODERS, coders, strict=True))
    shuffled = {u: {rename[c]: v for c, v in reversed(by.items())} for u, by in data.items()}  # type: ignore[index]
    assert krippendorff_alpha(shuffled, level) == krippendorff_alpha(data, level)  # type: ignore[arg-type]


@relaxed
@given(reliability_data())
def test_ordinal_alpha_ignores_monotone_rescaling(data: ReliabilityData) -> None:
    cubed = {u: {c: 10 * v**3 + 7 for c, v in by.items()} for u, by in data.items()}  # type: ignore[operator]
    assert krippendorff_alpha(cubed, "ordinal") == krippendorff_alpha(data, "ordinal")


@relaxed
@given(reliability_data())
def test_interval_alpha_ignores_linear_rescaling(data: ReliabilityData) -> None:
    scaled = {u: {c: 3 - 2 * v for c, v in by.items()} for u, by in data.items()}  # type: ignore[operator]
    assert krippendorff_alpha(scaled, "interval") == krippendorff_alpha(data, "interval")


SAME_MARGINALS = st.lists(st.integers(0, 3), min_size=1, max_size=30).flatmap(
    lambda first: st.tuples(st.just(first), st.permutations(first))
)


@relaxed
@given(SAME_MARGINALS)
def test_cohen_kappa_equals_scott_pi_when_marginals_are_equal(
    columns: tuple[list[int], list[int]],
) -> None:
    first, second = columns
    data: dict[Hashable, dict[Hashable, Hashable]] = {
        unit: {"A": a, "B": b} for unit, (a, b) in enumerate(zip(first, second, strict=True))
    }
    assert cohen_kappa(data) == scott_pi(data)


@relaxed
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=1, max_size=30))
def test_two_coder_fleiss_kappa_is_scott_pi_and_ac1_is_gwets_two_rater_formula(
    pairs: list[tuple[int, int]],
) -> None:
    data: dict[Hashable, dict[Hashable, Hashable]] = {
        unit: {"A": a, "B": b} for unit, (a, b) in enumerate(pairs)
    }
    assert fleiss_kappa(data) == scott_pi(data)
    categories = {v for pair in pairs for v in pair}
    size = len(pairs)
    p_a = Fraction(sum(a == b for a, b in pairs), size)
    shares = [Fraction(sum((a == k) + (b == k) for a, b in pairs), 2 * size) for k in categories]
    if len(categories) < 2:
        assert gwet_ac1(data) is None
        return
    p_e = sum(p * (1 - p) for p in shares) / (len(categories) - 1)
    assert gwet_ac1(data) == float((p_a - p_e) / (1 - p_e))


@relaxed
@given(reliability_data(st.integers(0, 50)), st.sampled_from(LEVELS))
def test_summary_never_raises_for_valid_data(data: ReliabilityData, level: str) -> None:
    result = summary(data, level)  # type: ignore[arg-type]
    assert result["coders"] >= 2  # type: ignore[operator]


def pairwise_alpha(data: ReliabilityData, level: str) -> float | None:
    """Alpha straight from its pairwise definition (Krippendorff 2011, section B), no matrix."""
    units = [list(by.values()) for by in data.values() if len(by) >= 2]
    values = [Fraction(v) for unit in units for v in unit]  # type: ignore[arg-type]
    counts = {v: values.count(v) for v in values}

    def delta(c: Fraction, k: Fraction) -> Fraction:
        if level == "nominal":
            return Fraction(c != k)
        if level == "interval":
            return (c - k) ** 2
        if level == "ratio":
            return ((c - k) / (c + k)) ** 2 if c + k else Fraction(0)
        low, high = min(c, k), max(c, k)
        between = sum(n for v, n in counts.items() if low <= v <= high)
        return (between - Fraction(counts[c] + counts[k], 2)) ** 2

    size = len(values)
    within = sum(
        (
            delta(Fraction(a), Fraction(b)) / (len(unit) - 1)  # type: ignore[arg-type]
            for unit in units
            for i, a in enumerate(unit)
            for j, b in enumerate(unit)
            if i != j
        ),
        Fraction(0),
    )
    across = sum(
        (delta(a, b) for i, a in enumerate(values) for j, b in enumerate(values) if i != j),
        Fraction(0),
    )
    if size < 2 or across == 0:
        return None
    return float(1 - (size - 1) * within / across)


@relaxed
@given(reliability_data(st.integers(0, 6)), st.sampled_from(LEVELS))
def test_alpha_matches_its_pairwise_definition(data: ReliabilityData, level: str) -> None:
    alpha = krippendorff_alpha(data, level)  # type: ignore[arg-type]
    expected = pairwise_alpha(data, level)
    assert (alpha is None) == (expected is None)
    if alpha is not None:
        assert alpha == pytest.approx(expected, abs=1e-12)


def test_none_values_are_missing_values() -> None:
    data: ReliabilityData = {"u1": {"A": 1, "B": 1, "C": None}, "u2": {"A": 2, "B": 1}}
    complete: ReliabilityData = {"u1": {"A": 1, "B": 1}, "u2": {"A": 2, "B": 1}}
    assert summary(data) == summary(complete)
