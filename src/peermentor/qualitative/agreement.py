"""Inter-rater agreement over reliability data (units by coders, missing values allowed).

Reliability data is a mapping ``unit -> coder -> value``; a coder absent from a unit, or a value of
``None``, is a missing value. Coefficients are computed in exact rational arithmetic and returned
as floats, or ``None`` where the published formula is undefined (a zero denominator, such as data
without variation, or too few coders or units).
"""

from __future__ import annotations

import csv
import io
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal, Protocol, TypeAlias

Level: TypeAlias = Literal["nominal", "ordinal", "interval", "ratio"]
Scale: TypeAlias = Literal["landis_koch", "krippendorff"]
# Keys are Any because Mapping keys are invariant: dict[str, dict[int, str]] must be accepted.
Data: TypeAlias = Mapping[Any, Mapping[Any, Hashable]]
ReliabilityData: TypeAlias = dict[Hashable, dict[Hashable, Hashable]]
Span: TypeAlias = tuple[int, int]
# Values reaching a metric are Fractions for every level but nominal, where any hashable goes.
Distance: TypeAlias = Callable[[Any, Any], Fraction]

LEVELS: tuple[Level, ...] = ("nominal", "ordinal", "interval", "ratio")
CSV_HEADER: tuple[str, str, str] = ("unit", "coder", "value")
MAX_CSV_ROWS = 200_000


class _LineReader(Protocol):
    line_num: int

    def __iter__(self) -> Iterator[list[str]]: ...

    def __next__(self) -> list[str]: ...


class AgreementError(ValueError):
    """Raised when reliability data cannot be read or cannot support the requested statistic."""


# --- Building reliability data -------------------------------------------------------------


def data_from_rows(rows: Iterable[tuple[Hashable, Hashable, Hashable]]) -> ReliabilityData:
    """Reliability data from ``(unit, coder, value)`` rows, refusing duplicates and thin data."""
    data: ReliabilityData = {}
    for unit, coder, value in rows:
        _insert(data, unit, coder, value)
    data = _without_missing(data)
    require_agreement_data(data)
    return data


def require_agreement_data(data: Data) -> None:
    """Raise AgreementError unless the data hold at least one unit and at least two coders."""
    if not _unit_values(data):
        raise AgreementError("There are no coded units: agreement needs at least one unit.")
    coders = _coders(data)
    if len(coders) < 2:
        who = f"only one coder ({coders[0]!r})" if coders else "no coder"
        raise AgreementError(f"There is {who}: agreement needs at least two coders.")


def _insert(data: ReliabilityData, unit: Hashable, coder: Hashable, value: Hashable) -> None:
    coded = data.setdefault(unit, {})
    if coder in coded:
        raise AgreementError(f"Coder {coder!r} codes unit {unit!r} twice.")
    coded[coder] = value


def _without_missing(data: Data) -> ReliabilityData:
    kept = {u: {c: v for c, v in by.items() if v is not None} for u, by in data.items()}
    return {unit: by_coder for unit, by_coder in kept.items() if by_coder}


def _unit_values(data: Data) -> list[list[Hashable]]:
    units = ([v for v in by_coder.values() if v is not None] for by_coder in data.values())
    return [values for values in units if values]


def _pairable(data: Data) -> list[list[Hashable]]:
    return [values for values in _unit_values(data) if len(values) >= 2]


def _coders(data: Data) -> list[Hashable]:
    seen = {c: None for by in data.values() for c, v in by.items() if v is not None}
    return list(seen)


# --- CSV -----------------------------------------------------------------------------------


def read_rows_csv(
    text: str, *, level: Level = "nominal", max_rows: int = MAX_CSV_ROWS
) -> ReliabilityData:
    """Reliability data from CSV text with the header ``unit,coder,value``; errors name the line.

    An absent row, or an empty value cell, is a missing value. For a level other than nominal the
    values are parsed as numbers (int, else float).
    """
    _check_level(level)
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")), strict=True)
    try:
        _read_header(reader)
        data = _read_body(reader, level, max_rows)
    except csv.Error as error:
        raise AgreementError(f"Line {reader.line_num}: unreadable CSV ({error}).") from None
    data = _without_missing(data)
    require_agreement_data(data)
    return data


def _read_header(reader: _LineReader) -> None:
    header = next(reader, None)
    found = [cell.strip().lower() for cell in header or []]
    if tuple(found) != CSV_HEADER:
        shown = ",".join(header or []) or "nothing"
        raise AgreementError(f"Line 1: expected the header unit,coder,value, found {shown!r}.")


def _read_body(reader: _LineReader, level: Level, max_rows: int) -> ReliabilityData:
    data: ReliabilityData = {}
    first_line: dict[tuple[str, str], int] = {}
    for record in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if len(first_line) >= max_rows:
            raise AgreementError(f"Line {line}: more than {max_rows} rows.")
        unit, coder, value = _parse_record(record, line, level)
        if (unit, coder) in first_line:
            raise AgreementError(
                f"Line {line}: coder {coder!r} codes unit {unit!r} twice "
                f"(first on line {first_line[unit, coder]})."
            )
        first_line[unit, coder] = line
        _insert(data, unit, coder, value)
    return data


def _parse_record(record: list[str], line: int, level: Level) -> tuple[str, str, Hashable]:
    if len(record) != len(CSV_HEADER):
        raise AgreementError(
            f"Line {line}: expected 3 fields (unit,coder,value), found {len(record)}."
        )
    unit, coder, value = (cell.strip() for cell in record)
    if not unit or not coder:
        raise AgreementError(f"Line {line}: the unit and the coder must not be empty.")
    if not value:
        return unit, coder, None
    if level == "nominal":
        return unit, coder, value
    return unit, coder, _parse_number(value, line, level)


def _parse_number(text: str, line: int, level: Level) -> int | float:
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise AgreementError(f"Line {line}: {text!r} is not a number, as {level} data need.")
    return number


# --- Coded spans as units ------------------------------------------------------------------


def answer_units(
    codings: Mapping[Any, Mapping[Any, Iterable[Hashable]]], code: Hashable
) -> ReliabilityData:
    """Units for one code with unit = answer: 1 if the coder applied the code to it, else 0.

    ``codings`` maps answer -> coder -> the codes that coder applied; a coder absent for an
    answer did not code it (missing), while a coder with no codes there gives 0.
    """
    return {
        answer: {coder: int(code in set(codes)) for coder, codes in by_coder.items()}
        for answer, by_coder in codings.items()
        if by_coder
    }


def character_units(
    length: int, spans_by_coder: Mapping[Any, Iterable[Span]], *, answer: Hashable = None
) -> ReliabilityData:
    """Units for one code with unit = character: 1 if inside one of the coder's spans, else 0.

    Spans are ``(start, end)`` in Unicode code points, end exclusive, within ``0..length``. Units
    are the character indexes, or ``(answer, index)`` when an answer is given so that several
    answers can be merged into one data set.
    """
    if length < 0:
        raise AgreementError(f"An answer cannot have a negative length ({length}).")
    covered = {coder: _covered(length, spans, coder) for coder, spans in spans_by_coder.items()}
    return {
        (index if answer is None else (answer, index)): {
            coder: marks[index] for coder, marks in covered.items()
        }
        for index in range(length)
    }


def _covered(length: int, spans: Iterable[Span], coder: Hashable) -> bytearray:
    marks = bytearray(length)
    for start, end in spans:
        if not 0 <= start < end <= length:
            raise AgreementError(
                f"Coder {coder!r} has the span ({start}, {end}), outside an answer of "
                f"{length} characters or empty (need 0 <= start < end <= {length})."
            )
        marks[start:end] = b"\x01" * (end - start)
    return marks


# --- Percent agreement and two-coder coefficients ------------------------------------------


def percent_agreement(data: Data) -> float | None:
    """Mean share of agreeing coder pairs per unit, over the units coded by two or more coders.

    With two coders this is the plain share of units on which they agree. None without any unit
    coded twice.
    """
    shares = [_agreeing_share(Counter(values)) for values in _pairable(data)]
    return float(sum(shares, Fraction(0)) / len(shares)) if shares else None


def _agreeing_share(counts: Counter[Hashable]) -> Fraction:
    size = sum(counts.values())
    return Fraction(sum(n * (n - 1) for n in counts.values()), size * (size - 1))


def _chance_corrected(observed: Fraction, expected: Fraction) -> float | None:
    if expected >= 1:
        return None
    return float((observed - expected) / (1 - expected))


def _two_coder_pairs(data: Data) -> list[tuple[Hashable, Hashable]] | None:
    coders = _coders(data)
    if len(coders) != 2:
        return None
    first, second = coders
    pairs = ((by.get(first), by.get(second)) for by in data.values())
    return [(a, b) for a, b in pairs if a is not None and b is not None]


def cohen_kappa(data: Data) -> float | None:
    """Cohen's (1960) kappa for exactly two coders over the units both coded (nominal categories).

    None unless there are exactly two coders, or when no unit is coded by both, or when the
    expected agreement is 1 (both coders used a single, identical category).
    """
    pairs = _two_coder_pairs(data)
    if not pairs:
        return None
    size = len(pairs)
    observed = Fraction(sum(a == b for a, b in pairs), size)
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum((Fraction(n * second[c], size * size) for c, n in first.items()), Fraction(0))
    return _chance_corrected(observed, expected)


def scott_pi(data: Data) -> float | None:
    """Scott's (1955) pi for exactly two coders over the units both coded (nominal categories).

    None with more than two coders (Fleiss' kappa is Fleiss's own generalisation of pi to many
    coders), when no unit is coded by both, or when the expected agreement is 1.
    """
    pairs = _two_coder_pairs(data)
    if not pairs:
        return None
    size = len(pairs)
    observed = Fraction(sum(a == b for a, b in pairs), size)
    pooled = Counter(a for a, _ in pairs) + Counter(b for _, b in pairs)
    expected = sum((Fraction(n, 2 * size) ** 2 for n in pooled.values()), Fraction(0))
    return _chance_corrected(observed, expected)


# --- Multi-coder coefficients --------------------------------------------------------------


def fleiss_kappa(data: Data) -> float | None:
    """Fleiss' (1971) kappa when every unit has the same number (two or more) of values.

    None when units have different numbers of values, when there are fewer than two values per
    unit, or when the expected agreement is 1.
    """
    units = [Counter(values) for values in _unit_values(data)]
    sizes = {sum(counts.values()) for counts in units}
    if len(sizes) != 1 or min(sizes) < 2:
        return None
    observed = sum((_agreeing_share(c) for c in units), Fraction(0)) / len(units)
    totals: Counter[Hashable] = sum(units, Counter())
    values = sum(totals.values())
    expected = sum((Fraction(n, values) ** 2 for n in totals.values()), Fraction(0))
    return _chance_corrected(observed, expected)


def gwet_ac1(data: Data, categories: Iterable[Hashable] | None = None) -> float | None:
    """Gwet's AC1 for any number of coders, with missing values (Gwet 2008; Handbook, 2014).

    p_a averages, over units with two or more values, the share of agreeing pairs; pi_k averages
    r_ik / r_i over units with at least one value; p_e = sum pi_k (1 - pi_k) / (Q - 1), where Q
    is the number of categories: ``categories`` if given (e.g. the codebook's), else those
    observed. None when no unit has two values or when Q < 2 (the formula divides by Q - 1).
    """
    units = [Counter(values) for values in _unit_values(data)]
    pairable = [counts for counts in units if sum(counts.values()) >= 2]
    scale = _categories(units, categories)
    if not pairable or len(scale) < 2:
        return None
    observed = sum((_agreeing_share(c) for c in pairable), Fraction(0)) / len(pairable)
    shares = [
        sum((Fraction(c[k], sum(c.values())) for c in units), Fraction(0)) / len(units)
        for k in scale
    ]
    expected = sum((p * (1 - p) for p in shares), Fraction(0)) / (len(scale) - 1)
    return _chance_corrected(observed, expected)


def _categories(
    units: list[Counter[Hashable]], categories: Iterable[Hashable] | None
) -> set[Hashable]:
    observed = {value for counts in units for value in counts}
    if categories is None:
        return observed
    scale = set(categories)
    if unknown := observed - scale:
        raise AgreementError(f"Values outside the given categories: {sorted(map(str, unknown))}.")
    return scale


# --- Krippendorff's alpha ------------------------------------------------------------------


def coincidences(data: Data) -> dict[tuple[Hashable, Hashable], Fraction]:
    """Krippendorff's coincidence matrix: o_ck = sum over units of (c-k pairs) / (m_u - 1)."""
    profiles = Counter(frozenset(Counter(values).items()) for values in _pairable(data))
    matrix: defaultdict[tuple[Hashable, Hashable], Fraction] = defaultdict(Fraction)
    for profile, times in profiles.items():
        weight = Fraction(times, sum(n for _, n in profile) - 1)
        for c, n_c in profile:
            for k, n_k in profile:
                if pairs := n_c * (n_k - (c == k)):
                    matrix[c, k] += pairs * weight
    return dict(matrix)


def krippendorff_alpha(data: Data, level: Level = "nominal") -> float | None:
    """Krippendorff's alpha for a nominal, ordinal, interval or ratio metric, with missing values.

    Follows Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": units with fewer
    than two values are dropped, alpha = 1 - D_o / D_e over the coincidence matrix. None when
    fewer than two pairable values exist or D_e = 0 (no variation: alpha is 0/0, and such data
    cannot show reliability). Other levels than nominal need finite numbers, ratio ones >= 0.
    All sums are exact fractions except the ratio metric's D_e, which is summed in floating point.
    """
    _check_level(level)
    matrix = coincidences(data if level == "nominal" else _as_numbers(data, level))
    totals: defaultdict[Hashable, Fraction] = defaultdict(Fraction)
    for (c, _), count in matrix.items():
        totals[c] += count
    size = sum(totals.values())
    distance = _distance(level, totals)
    expected = _expected_total(level, totals, distance)
    if size < 2 or expected == 0:
        return None
    observed = sum((count * distance(c, k) for (c, k), count in matrix.items()), Fraction(0))
    return float(1 - (size - 1) * observed / expected)


def _as_numbers(data: Data, level: Level) -> dict[Hashable, dict[Hashable, Hashable]]:
    return {
        unit: {coder: _number(value, unit, coder, level) for coder, value in by_coder.items()}
        for unit, by_coder in data.items()
    }


def _number(value: Hashable, unit: Hashable, coder: Hashable, level: Level) -> Fraction | None:
    if value is None:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float | Fraction | Decimal)
        or not math.isfinite(value)
    ):
        raise AgreementError(
            f"Coder {coder!r} gives unit {unit!r} the value {value!r}: {level} data need numbers."
        )
    number = Fraction(value)
    if level == "ratio" and number < 0:
        raise AgreementError(f"Coder {coder!r} gives unit {unit!r} a negative ratio value.")
    return number


def _distance(level: Level, totals: Mapping[Hashable, Fraction]) -> Distance:
    if level == "nominal":
        return lambda c, k: Fraction(c != k)
    if level == "ratio":
        return lambda c, k: ((c - k) / (c + k)) ** 2 if c + k else Fraction(0)
    position = _positions(level, totals)
    return lambda c, k: (position[c] - position[k]) ** 2


def _expected_total(
    level: Level, totals: Mapping[Hashable, Fraction], distance: Distance
) -> Fraction:
    # Sum of n_c n_k delta_ck over all value pairs; closed forms keep many distinct values fast.
    size = sum(totals.values(), Fraction(0))
    if level == "nominal":
        return size * size - sum((n * n for n in totals.values()), Fraction(0))
    if level == "ratio":
        return _ratio_expected_total(totals)
    position = _positions(level, totals)
    first = sum((n * position[v] for v, n in totals.items()), Fraction(0))
    second = sum((n * position[v] ** 2 for v, n in totals.items()), Fraction(0))
    return 2 * (size * second - first * first)


def _ratio_expected_total(totals: Mapping[Hashable, Fraction]) -> Fraction:
    # No closed form: one term per pair of distinct values, so exact fractions of arbitrary
    # floats would be slow; math.fsum keeps the sum correctly rounded and order-independent.
    weights = [(float(value), float(n)) for value, n in totals.items()]  # type: ignore[arg-type]
    terms = (
        n_c * n_k * ((c - k) / (c + k)) ** 2 for c, n_c in weights for k, n_k in weights if c != k
    )
    return Fraction(math.fsum(terms))


def _positions(level: Level, totals: Mapping[Hashable, Fraction]) -> dict[Hashable, Fraction]:
    # Interval and ordinal deltas are both squared gaps: between values, or between mid-ranks.
    if level == "interval":
        return {value: value for value in totals}  # type: ignore[misc]
    return _mid_ranks(totals)


def _mid_ranks(totals: Mapping[Hashable, Fraction]) -> dict[Hashable, Fraction]:
    # Krippendorff's ordinal delta_ck = sum_{g=c..k} n_g - (n_c + n_k)/2 is a mid-rank gap.
    ranks: dict[Hashable, Fraction] = {}
    below = Fraction(0)
    for value in sorted(totals):  # type: ignore[type-var]
        ranks[value] = below + totals[value] / 2
        below += totals[value]
    return ranks


# --- Summary and interpretation ------------------------------------------------------------


def summary(data: Data, level: Level = "nominal") -> dict[str, int | float | None]:
    """Every coefficient for one data set; ``level`` sets alpha's metric, the rest are nominal."""
    _check_level(level)
    require_agreement_data(data)
    return {
        "units": len(_unit_values(data)),
        "coders": len(_coders(data)),
        "percent_agreement": percent_agreement(data),
        "cohen_kappa": cohen_kappa(data),
        "scott_pi": scott_pi(data),
        "fleiss_kappa": fleiss_kappa(data),
        "krippendorff_alpha": krippendorff_alpha(data, level),
        "gwet_ac1": gwet_ac1(data),
    }


def _check_level(level: str) -> None:
    if level not in LEVELS:
        raise AgreementError(f"Unknown level {level!r}: use one of {', '.join(LEVELS)}.")


_LANDIS_KOCH: tuple[tuple[float, str], ...] = (
    (0.20, "slight"),
    (0.40, "fair"),
    (0.60, "moderate"),
    (0.80, "substantial"),
    (1.0, "almost perfect"),
)


def interpret(coefficient: float | None, scale: Scale = "landis_koch") -> str:
    """A plain-language band for a coefficient (``"undefined"`` for None).

    ``landis_koch``: Landis & Koch (1977), "The measurement of observer agreement for categorical
    data", Biometrics 33(1):159-174, p. 165: < 0 poor, 0-.20 slight, .21-.40 fair, .41-.60
    moderate, .61-.80 substantial, .81-1 almost perfect (a value between two printed bands, such
    as .205, takes the lower one); written for kappa, commonly used for pi and AC1 too.
    ``krippendorff``: Krippendorff (2004), Content Analysis, 2nd ed., p. 241, repeated in
    Krippendorff (2011): alpha >= .800 reliable, .667 <= alpha < .800 tentative conclusions only,
    below .667 not reliable.
    """
    if coefficient is None:
        return "undefined"
    if math.isnan(coefficient) or coefficient > 1:
        raise AgreementError(f"{coefficient} is not an agreement coefficient (at most 1).")
    if scale == "krippendorff":
        return _krippendorff_band(coefficient)
    if scale == "landis_koch":
        return _landis_koch_band(coefficient)
    raise AgreementError(f"Unknown scale {scale!r}: use landis_koch or krippendorff.")


def _landis_koch_band(kappa: float) -> str:
    if kappa < 0:
        return "poor"
    return next(band for upper, band in _LANDIS_KOCH if kappa <= upper)


def _krippendorff_band(alpha: float) -> str:
    if alpha >= 0.800:
        return "reliable"
    if alpha >= 0.667:
        return "tentative conclusions only"
    return "not reliable"
