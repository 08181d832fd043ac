"""Agreement coefficients from counted unit profiles, for data with many identical units.

Pure module: no Django import. With a character as the unit, an answer of 300 characters gives
300 units, nearly all alike (nobody coded them, or everybody did). Every coefficient of
``qualitative.agreement`` depends on the units only through how many units show each *profile*
(the value each coder gave), so this module takes ``{profile: number of units}`` and returns what
``agreement.summary`` returns for the expanded data — the tests check that equality — in time
that grows with the number of distinct profiles instead of the number of units.

A profile is a tuple with one entry per coder, in a fixed coder order; ``None`` is a missing value.
Values are compared as nominal categories.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping
from fractions import Fraction
from typing import TypeAlias

Profile: TypeAlias = tuple[Hashable | None, ...]
Profiles: TypeAlias = Mapping[Profile, int]


def _units(profiles: Profiles) -> list[tuple[Counter[Hashable], int]]:
    units = []
    for profile, times in profiles.items():
        values = Counter(v for v in profile if v is not None)
        if times > 0 and values:
            units.append((values, times))
    return units


def _coders(profiles: Profiles) -> list[int]:
    width = max((len(p) for p in profiles), default=0)
    return [
        i
        for i in range(width)
        if any(t > 0 and i < len(p) and p[i] is not None for p, t in profiles.items())
    ]


def _share(counts: Counter[Hashable]) -> Fraction:
    size = sum(counts.values())
    return Fraction(sum(n * (n - 1) for n in counts.values()), size * (size - 1))


def _corrected(observed: Fraction, expected: Fraction) -> float | None:
    if expected >= 1:
        return None
    return float((observed - expected) / (1 - expected))


def percent_agreement(profiles: Profiles) -> float | None:
    """Mean share of agreeing coder pairs per unit coded by two or more coders."""
    pairable = [(c, t) for c, t in _units(profiles) if sum(c.values()) >= 2]
    total = sum(t for _, t in pairable)
    if not total:
        return None
    return float(sum((_share(c) * t for c, t in pairable), Fraction(0)) / total)


def _pairs(profiles: Profiles) -> list[tuple[Hashable, Hashable, int]] | None:
    coders = _coders(profiles)
    if len(coders) != 2:
        return None
    first, second = coders
    found = []
    for profile, times in profiles.items():
        a = profile[first] if first < len(profile) else None
        b = profile[second] if second < len(profile) else None
        if times > 0 and a is not None and b is not None:
            found.append((a, b, times))
    return found


def cohen_kappa(profiles: Profiles) -> float | None:
    """Cohen's kappa (exactly two coders), as ``agreement.cohen_kappa``."""
    pairs = _pairs(profiles)
    if not pairs:
        return None
    size = sum(t for _, _, t in pairs)
    observed = Fraction(sum(t for a, b, t in pairs if a == b), size)
    first: Counter[Hashable] = Counter()
    second: Counter[Hashable] = Counter()
    for a, b, t in pairs:
        first[a] += t
        second[b] += t
    expected = sum((Fraction(n * second[c], size * size) for c, n in first.items()), Fraction(0))
    return _corrected(observed, expected)


def scott_pi(profiles: Profiles) -> float | None:
    """Scott's pi (exactly two coders), as ``agreement.scott_pi``."""
    pairs = _pairs(profiles)
    if not pairs:
        return None
    size = sum(t for _, _, t in pairs)
    observed = Fraction(sum(t for a, b, t in pairs if a == b), size)
    pooled: Counter[Hashable] = Counter()
    for a, b, t in pairs:
        pooled[a] += t
        pooled[b] += t
    expected = sum((Fraction(n, 2 * size) ** 2 for n in pooled.values()), Fraction(0))
    return _corrected(observed, expected)


def fleiss_kappa(profiles: Profiles) -> float | None:
    """Fleiss' kappa when every unit has the same number of values, as ``agreement``."""
    units = _units(profiles)
    sizes = {sum(c.values()) for c, _ in units}
    if len(sizes) != 1 or min(sizes) < 2:
        return None
    count = sum(t for _, t in units)
    observed = sum((_share(c) * t for c, t in units), Fraction(0)) / count
    totals: Counter[Hashable] = Counter()
    for c, t in units:
        for value, n in c.items():
            totals[value] += n * t
    values = sum(totals.values())
    expected = sum((Fraction(n, values) ** 2 for n in totals.values()), Fraction(0))
    return _corrected(observed, expected)


def gwet_ac1(profiles: Profiles) -> float | None:
    """Gwet's AC1 over the observed categories, as ``agreement.gwet_ac1``."""
    units = _units(profiles)
    pairable = [(c, t) for c, t in units if sum(c.values()) >= 2]
    scale = {value for c, _ in units for value in c}
    if not pairable or len(scale) < 2:
        return None
    observed = sum((_share(c) * t for c, t in pairable), Fraction(0)) / sum(t for _, t in pairable)
    count = sum(t for _, t in units)
    shares = [
        sum((Fraction(c[k], sum(c.values())) * t for c, t in units), Fraction(0)) / count
        for k in scale
    ]
    expected = sum((p * (1 - p) for p in shares), Fraction(0)) / (len(scale) - 1)
    return _corrected(observed, expected)


def krippendorff_alpha(profiles: Profiles) -> float | None:
    """Krippendorff's alpha, nominal metric, as ``agreement.krippendorff_alpha``."""
    matrix: defaultdict[tuple[Hashable, Hashable], Fraction] = defaultdict(Fraction)
    for counts, times in _units(profiles):
        values = sum(counts.values())
        if values < 2:
            continue
        weight = Fraction(times, values - 1)
        for c, n_c in counts.items():
            for k, n_k in counts.items():
                if pairs := n_c * (n_k - (c == k)):
                    matrix[c, k] += pairs * weight
    totals: defaultdict[Hashable, Fraction] = defaultdict(Fraction)
    for (c, _), count in matrix.items():
        totals[c] += count
    size = sum(totals.values(), Fraction(0))
    expected = size * size - sum((n * n for n in totals.values()), Fraction(0))
    if size < 2 or expected == 0:
        return None
    observed = sum((n for (c, k), n in matrix.items() if c != k), Fraction(0))
    return float(1 - (size - 1) * observed / expected)


def summary(profiles: Profiles) -> dict[str, int | float | None]:
    """Every coefficient, keyed as ``agreement.summary``; all None without two coders."""
    units = sum(t for _, t in _units(profiles))
    coders = len(_coders(profiles))
    if coders < 2 or not units:
        empty: dict[str, int | float | None] = dict.fromkeys(COEFFICIENTS)
        return {"units": units, "coders": coders, **empty}
    return {
        "units": units,
        "coders": coders,
        "percent_agreement": percent_agreement(profiles),
        "cohen_kappa": cohen_kappa(profiles),
        "scott_pi": scott_pi(profiles),
        "fleiss_kappa": fleiss_kappa(profiles),
        "krippendorff_alpha": krippendorff_alpha(profiles),
        "gwet_ac1": gwet_ac1(profiles),
    }


COEFFICIENTS: tuple[str, ...] = (
    "percent_agreement",
    "cohen_kappa",
    "scott_pi",
    "fleiss_kappa",
    "krippendorff_alpha",
    "gwet_ac1",
)
