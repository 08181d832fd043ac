"""Access-matrix routes of the workbench: analysis, themes, assisted coding, keyword rules.

Only the program's evaluators use them; its director learns they exist (403), everyone else
gets a 404, and an anonymous visitor is sent to sign in.
"""

from __future__ import annotations

from typing import Any

from tests.access_support import FORBIDDEN, NOT_FOUND, OK, REDIRECT, Route, expect
from tests.conftest import World

PAGE = expect(NOT_FOUND, director=FORBIDDEN, evaluator=OK)
ACTION = expect(NOT_FOUND, director=FORBIDDEN, evaluator=REDIRECT)


def _code(world: World) -> Any:
    from peermentor.qualitative.models import Code

    code, _ = Code.objects.get_or_create(program=world.program, name="Support")
    return code


def _segment(world: World) -> Any:
    from peermentor.qualitative.models import Coder, Segment, Source

    source, _ = Source.objects.get_or_create(
        program=world.program, name="Answer 1", defaults={"text": "Support helped me."}
    )
    coder, _ = Coder.objects.get_or_create(program=world.program, kind="imported", name="Coder A")
    segment, _ = Segment.objects.get_or_create(
        source=source, code=_code(world), coder=coder, start=0, end=7
    )
    return segment


def _theme(world: World) -> Any:
    from peermentor.qualitative.models import Theme

    theme, made = Theme.objects.get_or_create(program=world.program, name="Peer support")
    if made:
        theme.codes.add(_code(world))
    return theme


def _exemplar(world: World) -> Any:
    from peermentor.qualitative.models import Exemplar

    segment = _segment(world)
    exemplar, _ = Exemplar.objects.get_or_create(
        theme=_theme(world),
        segment=segment,
        source=segment.source,
        defaults={"quote": "Support", "respondent": "R01"},
    )
    return exemplar


def _suggestion(world: World) -> dict[str, Any]:
    from peermentor.qualitative.models import Source, Suggestion

    source = Source.objects.create(program=world.program, name="Answer 2", text="Peers helped.")
    suggestion = Suggestion.objects.create(
        source=source, code=_code(world), origin="model", confidence=0.8, trained_on=10
    )
    return {"slug": world.program.slug, "suggestion_id": suggestion.pk}


def _rule(world: World) -> dict[str, Any]:
    from peermentor.qualitative.models import KeywordRule

    rule = KeywordRule.objects.create(program=world.program, code=_code(world), pattern="peer")
    return {"slug": world.program.slug, "rule_id": rule.pk}


def _slug(world: World) -> dict[str, Any]:
    return {"slug": world.program.slug}


def _export(kind: str, fmt: str) -> Any:
    return lambda w: {"slug": w.program.slug, "kind": kind, "fmt": fmt}


def _theme_kwargs(world: World) -> dict[str, Any]:
    return {"slug": world.program.slug, "theme_id": _theme(world).pk}


def _exemplar_kwargs(world: World) -> dict[str, Any]:
    return {"slug": world.program.slug, "exemplar_id": _exemplar(world).pk}


ROUTES: dict[str, Route] = {
    "analysis_frequencies": Route(_slug, PAGE),
    "analysis_cooccurrence": Route(_slug, PAGE),
    "analysis_groups": Route(_slug, PAGE),
    "analysis_export": Route(_export("cooccurrence", "xlsx"), PAGE),
    "themes": Route(_slug, PAGE),
    "theme_create": Route(
        _slug, ACTION, method="post", data=lambda w: {"name": "Safety", "polarity": "benefit"}
    ),
    "themes_export": Route(lambda w: {"slug": w.program.slug, "fmt": "csv"}, PAGE),
    "theme_detail": Route(_theme_kwargs, PAGE),
    "theme_update": Route(
        _theme_kwargs,
        ACTION,
        method="post",
        data=lambda w: {"name": "Support", "polarity": "benefit", "codes": [_code(w).pk]},
    ),
    "theme_delete": Route(_theme_kwargs, ACTION, method="post"),
    "theme_move": Route(_theme_kwargs, ACTION, method="post", data=lambda w: {"direction": "up"}),
    "exemplar_add": Route(
        _theme_kwargs, ACTION, method="post", data=lambda w: {"segment": _segment(w).pk}
    ),
    "exemplar_publish": Route(
        _exemplar_kwargs, ACTION, method="post", data=lambda w: {"published": "1"}
    ),
    "exemplar_remove": Route(_exemplar_kwargs, ACTION, method="post"),
    "assisted_coding": Route(_slug, PAGE),
    "assisted_coding_train": Route(_slug, ACTION, method="post"),
    "assisted_coding_agreement": Route(_slug, PAGE),
    "suggestion_accept": Route(_suggestion, ACTION, method="post"),
    "suggestion_reject": Route(_suggestion, ACTION, method="post"),
    "keyword_rules": Route(_slug, PAGE),
    "keyword_rule_create": Route(
        _slug, ACTION, method="post", data=lambda w: {"code": _code(w).pk, "pattern": "peers"}
    ),
    "keyword_rule_delete": Route(_rule, ACTION, method="post"),
}
