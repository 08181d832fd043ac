"""Writes of the workbench's analysis: themes and their exemplar quotes, keyword rules, and the
assistant's suggestions — which are only ever proposed, and become coding when an evaluator
accepts them, under the separate "assistant" coder.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max

from peermentor.core.audit import audit_record
from peermentor.programs.models import Program
from peermentor.qualitative import assist, selectors
from peermentor.qualitative.models import (
    Code,
    Exemplar,
    KeywordRule,
    Polarity,
    Segment,
    Suggestion,
    Theme,
)
from peermentor.qualitative.services import assistant_coder


class AnalysisError(ValueError):
    """A change to themes, rules or suggestions that cannot be made, with the reason."""


# --- Themes --------------------------------------------------------------------------------


def _checked_codes(program: Program, codes: Iterable[Code]) -> list[Code]:
    chosen = list(codes)
    if any(code.program_id != program.pk for code in chosen):
        raise AnalysisError("A theme can only group codes of its own program.")
    return chosen


def _checked_theme_fields(name: str, polarity: str) -> str:
    name = name.strip()
    if not name:
        raise AnalysisError("Give the theme a name.")
    if polarity not in Polarity.values:
        raise AnalysisError(f"Unknown polarity {polarity!r}.")
    return name


def theme_create(
    *,
    program: Program,
    actor: Any,
    name: str,
    description: str = "",
    polarity: str = Polarity.NEUTRAL,
    codes: Iterable[Code] = (),
) -> Theme:
    """Add a theme at the end of the program's list, grouping the given codes."""
    name = _checked_theme_fields(name, polarity)
    chosen = _checked_codes(program, codes)
    with transaction.atomic():
        last = Theme.objects.filter(program=program).aggregate(last=Max("position"))["last"]
        theme = Theme.objects.create(
            program=program,
            name=name,
            description=description.strip(),
            polarity=polarity,
            position=0 if last is None else last + 1,
            created_by=actor,
        )
        theme.codes.set(chosen)
        audit_record(action="workbench.theme_created", actor=actor, target=theme)
    return theme


def theme_update(
    *,
    theme: Theme,
    actor: Any,
    name: str,
    description: str,
    polarity: str,
    codes: Iterable[Code],
) -> Theme:
    """Change a theme's wording, polarity and codes; its exemplars stay."""
    name = _checked_theme_fields(name, polarity)
    chosen = _checked_codes(theme.program, codes)
    with transaction.atomic():
        theme.name, theme.description, theme.polarity = name, description.strip(), polarity
        theme.save(update_fields=["name", "description", "polarity"])
        theme.codes.set(chosen)
        audit_record(action="workbench.theme_updated", actor=actor, target=theme)
    return theme


def theme_delete(*, theme: Theme, actor: Any) -> None:
    """Delete a theme and its exemplars (the coding it grouped stays)."""
    with transaction.atomic():
        audit_record(action="workbench.theme_deleted", actor=actor, target=theme)
        theme.delete()


def theme_move(*, theme: Theme, actor: Any, direction: str) -> None:
    """Move a theme one place up or down in the program's list."""
    if direction not in ("up", "down"):
        raise AnalysisError("A theme moves up or down.")
    with transaction.atomic():
        themes = list(Theme.objects.select_for_update().filter(program_id=theme.program_id))
        index = next(i for i, t in enumerate(themes) if t.pk == theme.pk)
        other = index - 1 if direction == "up" else index + 1
        if 0 <= other < len(themes):
            themes[index], themes[other] = themes[other], themes[index]
        for position, item in enumerate(themes):
            item.position = position
        Theme.objects.bulk_update(themes, ["position"])
        audit_record(action="workbench.theme_moved", actor=actor, target=theme)


def exemplar_add(*, theme: Theme, segment: Segment, actor: Any) -> Exemplar:
    """Quote a coded passage of one of the theme's codes, unpublished until an evaluator says."""
    source = segment.source
    if source.program_id != theme.program_id or not theme.codes.filter(pk=segment.code_id):
        raise AnalysisError("Choose a passage coded with one of this theme's codes.")
    if theme.exemplars.filter(segment=segment).exists():
        raise AnalysisError("This passage is already an exemplar of the theme.")
    quote = source.text[segment.start : segment.end].strip()
    if not quote:
        raise AnalysisError("This passage holds only spaces: choose another one.")
    with transaction.atomic():
        exemplar = Exemplar.objects.create(
            theme=theme,
            segment=segment,
            source=source,
            quote=quote,
            respondent=source.respondent,
            chosen_by=actor,
        )
        audit_record(action="workbench.exemplar_added", actor=actor, target=exemplar)
    return exemplar


def exemplar_set_published(*, exemplar: Exemplar, actor: Any, published: bool) -> Exemplar:
    """Publish an exemplar (the report quotes it) or take it back."""
    with transaction.atomic():
        exemplar.published = published
        exemplar.save(update_fields=["published"])
        action = "published" if published else "unpublished"
        audit_record(action=f"workbench.exemplar_{action}", actor=actor, target=exemplar)
    return exemplar


def exemplar_remove(*, exemplar: Exemplar, actor: Any) -> None:
    """Drop an exemplar from its theme."""
    with transaction.atomic():
        audit_record(action="workbench.exemplar_removed", actor=actor, target=exemplar)
        exemplar.delete()


# --- Keyword rules -------------------------------------------------------------------------


def keyword_rule_create(
    *, program: Program, actor: Any, code: Code, pattern: str, whole_word: bool = True
) -> KeywordRule:
    """Add a rule that suggests the code for every answer containing the words."""
    pattern = " ".join(pattern.split())
    if not pattern or not assist.fold(pattern).strip():
        raise AnalysisError("Write the word or phrase the rule looks for.")
    if code.program_id != program.pk or not code.is_codable:
        raise AnalysisError("Choose a code of this program's codebook that can be applied.")
    with transaction.atomic():
        rule = KeywordRule.objects.create(
            program=program, code=code, pattern=pattern, whole_word=whole_word, created_by=actor
        )
        audit_record(action="workbench.keyword_rule_created", actor=actor, target=rule)
    return rule


def keyword_rule_delete(*, rule: KeywordRule, actor: Any) -> None:
    """Delete a rule; its pending suggestions go at the next refresh, decisions stay."""
    with transaction.atomic():
        audit_record(action="workbench.keyword_rule_deleted", actor=actor, target=rule)
        rule.delete()


# --- Suggestions ---------------------------------------------------------------------------


@dataclass
class RefreshSummary:
    """What a training run learned from and proposed."""

    trained_on: int
    codes_learned: int
    answers_considered: int
    from_model: int
    from_rules: int
    seconds: float
    not_learned: dict[str, str] = field(default_factory=dict)


def _model_suggestions(
    program: Program, texts: list[str], threshold: float, top_k: int
) -> tuple[list[list[assist.Suggestion]], assist.Suggester]:
    examples = [(text, codes) for _, text, codes in selectors.training_examples(program=program)]
    suggester = assist.train(examples)
    return suggester.suggest(texts, threshold=threshold, top_k=top_k), suggester


def _rule_suggestions(program: Program, texts: list[str]) -> list[list[assist.Suggestion]]:
    rules = [
        assist.KeywordRule(str(rule.code_id), [rule.pattern], rule.whole_word)
        for rule in KeywordRule.objects.filter(program=program, code__is_codable=True)
    ]
    return assist.apply_rules(texts, rules)


def suggestions_refresh(
    *, program: Program, actor: Any, threshold: float = 0.5, top_k: int = 3
) -> RefreshSummary:
    """Learn from the team's coding, then propose codes for the answers nobody has coded yet.

    Pending suggestions are replaced; accepted and rejected ones are kept and never proposed
    again. A keyword rule's match takes the place of the model's suggestion for the same code.
    """
    began = time.perf_counter()
    sources = selectors.uncoded_sources(program=program)
    texts = [text for _, text in sources]
    learned, suggester = _model_suggestions(program, texts, threshold, top_k)
    matched = _rule_suggestions(program, texts)
    with transaction.atomic():
        Suggestion.objects.filter(
            source__program=program, status=Suggestion.Status.PENDING
        ).delete()
        decided = set(
            Suggestion.objects.filter(source__program=program).values_list("source_id", "code_id")
        )
        created = _new_suggestions(sources, learned, matched, decided, suggester.n_examples)
        Suggestion.objects.bulk_create(created)
        from_rules = sum(s.origin == Suggestion.Origin.KEYWORD for s in created)
        audit_record(
            action="workbench.suggestions_refreshed",
            actor=actor,
            target=program,
            trained_on=suggester.n_examples,
            suggested=len(created),
        )
    names = dict(Code.objects.filter(program=program).values_list("pk", "name"))
    return RefreshSummary(
        trained_on=suggester.n_examples,
        codes_learned=len(suggester.codes),
        answers_considered=len(sources),
        from_model=len(created) - from_rules,
        from_rules=from_rules,
        seconds=time.perf_counter() - began,
        not_learned={names.get(int(c), c): why for c, why in suggester.not_suggested.items()},
    )


def _new_suggestions(
    sources: list[tuple[int, str]],
    learned: list[list[assist.Suggestion]],
    matched: list[list[assist.Suggestion]],
    decided: set[tuple[int, int]],
    trained_on: int,
) -> list[Suggestion]:
    created: list[Suggestion] = []
    for (source_id, _), model_row, rule_row in zip(sources, learned, matched, strict=True):
        chosen: dict[int, Suggestion] = {}
        for suggestion in model_row:
            chosen[int(suggestion.code_id)] = Suggestion(
                source_id=source_id,
                code_id=int(suggestion.code_id),
                origin=Suggestion.Origin.MODEL,
                confidence=suggestion.confidence,
                trained_on=trained_on,
            )
        for suggestion in rule_row:
            chosen[int(suggestion.code_id)] = Suggestion(
                source_id=source_id,
                code_id=int(suggestion.code_id),
                origin=Suggestion.Origin.KEYWORD,
                confidence=suggestion.confidence,
                trained_on=0,
            )
        created.extend(s for code, s in chosen.items() if (source_id, code) not in decided)
    return created


def _decide(suggestion: Suggestion, actor: Any, status: str) -> Suggestion:
    locked = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if locked.status != Suggestion.Status.PENDING:
        raise AnalysisError(f"This suggestion was already {locked.get_status_display().lower()}.")
    locked.status, locked.decided_by = status, actor
    locked.save(update_fields=["status", "decided_by"])
    return locked


def suggestion_accept(*, suggestion: Suggestion, actor: Any) -> Segment:
    """Apply a suggested code to the whole answer, as the assistant coder's segment."""
    with transaction.atomic():
        decided = _decide(suggestion, actor, Suggestion.Status.ACCEPTED)
        source = decided.source
        segment, _ = Segment.objects.get_or_create(
            source=source,
            code_id=decided.code_id,
            coder=assistant_coder(program=source.program),
            start=0,
            end=len(source.text),
        )
        audit_record(action="workbench.suggestion_accepted", actor=actor, target=decided)
    return segment


def suggestion_reject(*, suggestion: Suggestion, actor: Any) -> Suggestion:
    """Turn a suggestion down; it is remembered and never proposed again."""
    with transaction.atomic():
        decided = _decide(suggestion, actor, Suggestion.Status.REJECTED)
        audit_record(action="workbench.suggestion_rejected", actor=actor, target=decided)
    return decided
