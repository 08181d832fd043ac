"""The privacy registry covers every model: a new model without a rule fails here."""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.db import models

from peermentor.accounts.privacy import RULES, Handling, covered_models, rule_for


def _user_links(model: type[models.Model]) -> list[models.Field]:
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    return [
        f
        for f in model._meta.get_fields()
        if f.is_relation and f.concrete and f.related_model is user_model
    ]


def test_every_model_of_every_peermentor_app_has_a_rule() -> None:
    missing = sorted(m._meta.label for m in covered_models() if m._meta.label not in RULES)
    assert not missing, (
        f"Say in accounts/privacy.py RULES how these are exported and deleted: {missing}"
    )


def test_every_rule_names_an_installed_model() -> None:
    labels = {m._meta.label for m in covered_models()}
    assert set(RULES) - labels == set()
    assert len(labels) > 50


def test_a_model_linked_to_a_person_is_exported_and_never_called_not_personal() -> None:
    for model in covered_models():
        if not _user_links(model):
            continue
        rule = rule_for(model)
        assert rule.handling is not Handling.NOT_PERSONAL, model._meta.label
        assert rule.mine is not None, f"{model._meta.label} links to a person but is not exported"


def test_a_record_deleted_with_its_person_is_declared_deleted() -> None:
    for model in covered_models():
        cascades = [f for f in _user_links(model) if f.remote_field.on_delete is models.CASCADE]
        if cascades:
            assert rule_for(model).handling is Handling.DELETE, model._meta.label


def test_every_rule_says_why() -> None:
    assert all(len(rule.why) > 10 for rule in RULES.values())
