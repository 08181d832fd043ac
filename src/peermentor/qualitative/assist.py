"""Assisted coding: suggest codes for open-ended answers from human coding and from keyword rules.

Suggestions are only ever returned, never applied: the caller shows them to an evaluator and
records the accepted ones under a separate "assistant" coder, so that human and assisted coding
stay apart and their agreement can be measured. A suggester learns one linear model per code
(one-vs-rest, so an answer may receive several codes) from answers that human coders have coded;
codes with too few coded answers are reported and never suggested.

Features come from a pluggable :class:`Backend`. The default is TF-IDF over word 1–2-grams;
character n-grams may be switched on for typo-ridden answers, at a much higher training cost.
Another backend (for instance sentence embeddings) may be added later, on one condition: its
model must load from an installed package on this machine, never from the internet, because
installations run on hospital networks and answers must not leave the server.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeAlias, runtime_checkable

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from peermentor.qualitative.agreement import cohen_kappa

# A matrix with one row per text: a SciPy sparse matrix or a NumPy array.
Features: TypeAlias = Any

MIN_EXAMPLES = 5
# A rule either matches or not; its confidence says "the phrase is there", not "the code is right".
RULE_CONFIDENCE = 1.0
EXPLAINING_TERMS = 2


@dataclass(frozen=True, slots=True)
class CodedAnswer:
    """An answer's text and the codes that human coders applied to it (possibly none)."""

    text: str
    codes: frozenset[str]


@runtime_checkable
class Coded(Protocol):
    """Anything with a text and the codes applied to it, such as a synthetic answer."""

    @property
    def text(self) -> str: ...

    @property
    def codes(self) -> Collection[str]: ...


Example: TypeAlias = Coded | tuple[str, Collection[str]]


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A code suggested for one answer, how confident the suggester is (0–1), and why."""

    code_id: str
    confidence: float
    basis: str


class Backend(Protocol):
    """Turns texts into feature rows; fitted once on the training texts, then only transforms.

    An implementation must never download anything: a model it needs loads from an installed
    package (or a file shipped with one), so that suggesting works offline and no answer text
    leaves the server.
    """

    name: str

    def fit_transform(self, texts: Sequence[str]) -> Features:
        """Learn the features from the training texts and return their rows."""
        ...

    def transform(self, texts: Sequence[str]) -> Features:
        """Feature rows for new texts, using what was learned by fit_transform."""
        ...

    def terms(self) -> Sequence[str] | None:
        """A readable word for each feature column ("" when none), or None when not words."""
        ...


class TfidfBackend:
    """TF-IDF features: word 1–2-grams with sublinear term frequency, optionally char n-grams."""

    def __init__(self, *, char_ngrams: bool = False, max_features: int = 100_000) -> None:
        """Configure the vectorizers; character n-grams cope with typos but train much slower."""
        self.char_ngrams = char_ngrams
        self.max_features = max_features
        self.name = "TF-IDF words" + (" + characters" if char_ngrams else "")
        self._word: TfidfVectorizer | None = None
        self._char: TfidfVectorizer | None = None

    def fit_transform(self, texts: Sequence[str]) -> Features:
        """Learn the vocabularies from the training texts and return their TF-IDF rows."""
        self._word = _vectorizer("word", (1, 2), self.max_features)
        matrices = [self._word.fit_transform(texts)]
        if self.char_ngrams:
            self._char = _vectorizer("char_wb", (3, 5), self.max_features)
            matrices.append(self._char.fit_transform(texts))
        return _joined(matrices)

    def transform(self, texts: Sequence[str]) -> Features:
        """TF-IDF rows for new texts over the learned vocabularies."""
        if self._word is None:
            raise RuntimeError("The backend must be fitted before it transforms texts.")
        matrices = [self._word.transform(texts)]
        if self._char is not None:
            matrices.append(self._char.transform(texts))
        return _joined(matrices)

    def terms(self) -> Sequence[str] | None:
        """The word n-grams, then an empty name for each character n-gram column."""
        if self._word is None:
            return None
        words = list(self._word.get_feature_names_out())
        chars = len(self._char.vocabulary_) if self._char is not None else 0
        return words + [""] * chars


def _vectorizer(analyzer: str, ngrams: tuple[int, int], max_features: int) -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer=analyzer,
        ngram_range=ngrams,
        sublinear_tf=True,
        strip_accents="unicode",
        lowercase=True,
        max_features=max_features,
        dtype=np.float32,
    )


def _joined(matrices: list[Features]) -> Features:
    if len(matrices) == 1:
        return matrices[0].tocsr()
    # Each block is L2-normalised; scaling by 1/sqrt(blocks) keeps each row at unit length.
    return sparse.hstack(matrices, format="csr") * (1.0 / np.sqrt(len(matrices)))


@dataclass(frozen=True, eq=False)
class Suggester:
    """Per-code linear models over a fitted backend; suggests codes, never applies them.

    ``examples_per_code`` counts the training answers coded with each code, including the codes
    in ``not_suggested`` (code -> reason), so the app can show how much each suggestion rests on.
    """

    backend: Backend | None
    codes: tuple[str, ...]
    weights: np.ndarray
    intercepts: np.ndarray
    examples_per_code: dict[str, int]
    not_suggested: dict[str, str]
    n_examples: int
    terms: Sequence[str] | None = field(default=None, repr=False)

    def suggest(
        self, texts: Sequence[str], *, threshold: float = 0.5, top_k: int | None = 3
    ) -> list[list[Suggestion]]:
        """Per text, the codes whose confidence reaches the threshold, best first, at most top_k."""
        _check_limits(threshold, top_k)
        if not texts or self.backend is None or not self.codes:
            return [[] for _ in texts]
        features = self.backend.transform(texts)
        confidences = self.confidences(features)
        return [
            self._suggestions(features, row, confidences[row], threshold, top_k)
            for row in range(len(texts))
        ]

    def confidences(self, features: Features) -> np.ndarray:
        """The model's probability of each trained code (columns) for each feature row."""
        scores = np.asarray(features @ self.weights.T) + self.intercepts
        confidences: np.ndarray = 1.0 / (1.0 + np.exp(-np.clip(scores, -50.0, 50.0)))
        return confidences

    def _suggestions(
        self,
        features: Features,
        row: int,
        confidences: np.ndarray,
        threshold: float,
        top_k: int | None,
    ) -> list[Suggestion]:
        order = [j for j in np.argsort(-confidences, kind="stable") if confidences[j] >= threshold]
        chosen = order[:top_k] if top_k is not None else order
        return [
            Suggestion(self.codes[j], float(confidences[j]), self._basis(features, row, j))
            for j in chosen
        ]

    def _basis(self, features: Features, row: int, code: int) -> str:
        count = self.examples_per_code[self.codes[code]]
        words = self._explaining_terms(features, row, code)
        head = f"model ({count} coded examples)"
        return f"{head}: " + ", ".join(words) if words else head

    def _explaining_terms(self, features: Features, row: int, code: int) -> list[str]:
        if self.terms is None or not sparse.issparse(features):
            return []
        start, end = features.indptr[row], features.indptr[row + 1]
        columns = features.indices[start:end]
        contributions = features.data[start:end] * self.weights[code, columns]
        ranked = [columns[i] for i in np.argsort(-contributions) if contributions[i] > 0]
        return [self.terms[c] for c in ranked if self.terms[c]][:EXPLAINING_TERMS]


def _check_limits(threshold: float, top_k: int | None) -> None:
    if not 0.0 <= threshold <= 1.0:
        raise ValueError("The threshold must lie between 0 and 1.")
    if top_k is not None and top_k < 1:
        raise ValueError("top_k must be at least 1, or None for no limit.")


# --- Training ------------------------------------------------------------------------------


def train(
    examples: Iterable[Example],
    *,
    min_examples: int = MIN_EXAMPLES,
    seed: int = 0,
    backend: Backend | None = None,
) -> Suggester:
    """Learn one model per code that human coders applied to at least ``min_examples`` answers."""
    if min_examples < 1:
        raise ValueError("min_examples must be at least 1.")
    texts, labels = _unpacked(examples)
    counts = _counts(labels)
    not_suggested = _too_thin(counts, len(texts), min_examples)
    codes = tuple(sorted(code for code in counts if code not in not_suggested))
    if not codes:
        return Suggester(None, (), np.zeros((0, 0)), np.zeros(0), counts, not_suggested, len(texts))
    backend = backend if backend is not None else TfidfBackend()
    features = backend.fit_transform(texts)
    models = [_fit(features, _targets(labels, code), seed) for code in codes]
    weights = np.vstack([model.coef_[0] for model in models])
    intercepts = np.array([model.intercept_[0] for model in models])
    return Suggester(
        backend, codes, weights, intercepts, counts, not_suggested, len(texts), backend.terms()
    )


def _unpacked(examples: Iterable[Example]) -> tuple[list[str], list[frozenset[str]]]:
    texts: list[str] = []
    labels: list[frozenset[str]] = []
    for example in examples:
        text, codes = (example.text, example.codes) if isinstance(example, Coded) else example
        texts.append(text)
        labels.append(frozenset(codes))
    return texts, labels


def _counts(labels: Sequence[frozenset[str]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for codes in labels:
        for code in codes:
            counts[code] = counts.get(code, 0) + 1
    return dict(sorted(counts.items()))


def _too_thin(counts: dict[str, int], total: int, min_examples: int) -> dict[str, str]:
    reasons: dict[str, str] = {}
    for code, count in counts.items():
        if count < min_examples:
            reasons[code] = f"only {count} coded answers; at least {min_examples} are needed"
        elif count == total:
            reasons[code] = "applied to every answer, so there is nothing to tell it apart from"
    return reasons


def _targets(labels: Sequence[frozenset[str]], code: str) -> np.ndarray:
    return np.fromiter((code in codes for codes in labels), dtype=bool, count=len(labels))


def _fit(features: Features, targets: np.ndarray, seed: int) -> LogisticRegression:
    # Balanced weights keep rare codes from being drowned by the answers that lack them; the price
    # is that confidences for rare codes run high, so they rank suggestions rather than promise
    # a calibrated probability.
    model = LogisticRegression(
        C=10.0, class_weight="balanced", solver="liblinear", random_state=seed
    )
    return model.fit(features, targets)


# --- Keyword rules -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KeywordRule:
    """Suggest a code when any phrase occurs, ignoring case and accents (whole words by default)."""

    code_id: str
    phrases: Sequence[str]
    whole_word: bool = True

    def __post_init__(self) -> None:
        """Accept any iterable of phrases and keep them as a tuple."""
        object.__setattr__(self, "phrases", tuple(self.phrases))


def fold(text: str) -> str:
    """The text without accents and case, for matching: "Évaluation" becomes "evaluation"."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", bare).casefold()


def _pattern(phrase: str, whole_word: bool) -> re.Pattern[str] | None:
    words = fold(phrase).split()
    if not words:
        return None
    body = r"\s+".join(re.escape(word) for word in words)
    return re.compile(rf"(?<!\w){body}(?!\w)" if whole_word else body)


def apply_rules(texts: Sequence[str], rules: Sequence[KeywordRule]) -> list[list[Suggestion]]:
    """For each text, one suggestion per code whose rule matches, with the phrase that matched."""
    compiled = [
        (rule.code_id, phrase, pattern)
        for rule in rules
        for phrase in rule.phrases
        if (pattern := _pattern(phrase, rule.whole_word)) is not None
    ]
    return [_matches(fold(text), compiled) for text in texts]


def _matches(folded: str, compiled: Sequence[tuple[str, str, re.Pattern[str]]]) -> list[Suggestion]:
    found: dict[str, Suggestion] = {}
    for code_id, phrase, pattern in compiled:
        if code_id not in found and pattern.search(folded):
            found[code_id] = Suggestion(code_id, RULE_CONFIDENCE, f"rule: {phrase}")
    return list(found.values())


# --- Agreement with held-out human coding --------------------------------------------------


def evaluate_heldout(
    examples: Iterable[Example],
    *,
    test_fraction: float = 0.2,
    seed: int = 0,
    min_examples: int = MIN_EXAMPLES,
    threshold: float = 0.5,
    top_k: int | None = 3,
) -> dict[str, Any]:
    """Train on part of the coded answers and compare suggestions with human coding of the rest."""
    texts, labels = _unpacked(examples)
    train_rows, test_rows = _split(len(texts), test_fraction, seed)
    suggester = train(
        [(texts[i], labels[i]) for i in train_rows], min_examples=min_examples, seed=seed
    )
    suggested = suggester.suggest([texts[i] for i in test_rows], threshold=threshold, top_k=top_k)
    predicted = [frozenset(s.code_id for s in row) for row in suggested]
    human = [labels[i] for i in test_rows]
    per_code = {code: _code_report(code, human, predicted, suggester) for code in _all(labels)}
    return {
        "n_train": len(train_rows),
        "n_test": len(test_rows),
        "threshold": threshold,
        "top_k": top_k,
        "backend": suggester.backend.name if suggester.backend is not None else None,
        "codes": per_code,
        "micro": _micro([r for r in per_code.values() if r["suggested"]]),
        "micro_all_codes": _micro(list(per_code.values())),
        "mean_kappa": _mean([r["kappa"] for r in per_code.values() if r["suggested"]]),
        "not_suggested": dict(suggester.not_suggested),
    }


def _split(total: int, test_fraction: float, seed: int) -> tuple[list[int], list[int]]:
    if not 0.0 < test_fraction < 1.0:
        raise ValueError("test_fraction must lie strictly between 0 and 1.")
    size = round(total * test_fraction)
    if size < 1 or size >= total:
        raise ValueError("Too few coded answers to hold some out for testing.")
    order = np.random.default_rng(seed).permutation(total)
    return sorted(order[size:].tolist()), sorted(order[:size].tolist())


def _all(labels: Sequence[frozenset[str]]) -> list[str]:
    return sorted({code for codes in labels for code in codes})


def _code_report(
    code: str,
    human: Sequence[frozenset[str]],
    predicted: Sequence[frozenset[str]],
    suggester: Suggester,
) -> dict[str, Any]:
    pairs = [(code in h, code in p) for h, p in zip(human, predicted, strict=True)]
    tp = sum(h and p for h, p in pairs)
    fp = sum(p and not h for h, p in pairs)
    fn = sum(h and not p for h, p in pairs)
    data = {unit: {"human": h, "assistant": p} for unit, (h, p) in enumerate(pairs)}
    return {
        "suggested": code in suggester.codes,
        "train_examples": suggester.examples_per_code.get(code, 0),
        "test_positives": tp + fn,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        **_scores(tp, fp, fn),
        "kappa": cohen_kappa(data) if pairs else None,
    }


def _scores(tp: int, fp: int, fn: int) -> dict[str, float | None]:
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else None
    return {"precision": precision, "recall": recall, "f1": f1}


def _micro(reports: Sequence[dict[str, Any]]) -> dict[str, float | None]:
    return _scores(*(sum(r[key] for r in reports) for key in ("tp", "fp", "fn")))


def _mean(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None
