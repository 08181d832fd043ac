"""URLs of the workbench: analysis, themes and exemplars, assisted coding, keyword rules."""

from __future__ import annotations

from django.urls import URLPattern, path

from peermentor.qualitative import views_analysis as views

_BASE = "programs/<slug:slug>/workbench/"

urlpatterns: list[URLPattern] = [
    path(f"{_BASE}analysis/", views.analysis_frequencies, name="analysis_frequencies"),
    path(
        f"{_BASE}analysis/co-occurrence/",
        views.analysis_cooccurrence,
        name="analysis_cooccurrence",
    ),
    path(f"{_BASE}analysis/groups/", views.analysis_groups, name="analysis_groups"),
    path(f"{_BASE}analysis/<str:kind>.<str:fmt>", views.analysis_export, name="analysis_export"),
    path(f"{_BASE}themes/", views.themes, name="themes"),
    path(f"{_BASE}themes/new/", views.theme_create, name="theme_create"),
    path(f"{_BASE}themes.<str:fmt>", views.themes_export, name="themes_export"),
    path(f"{_BASE}themes/<int:theme_id>/", views.theme_detail, name="theme_detail"),
    path(f"{_BASE}themes/<int:theme_id>/edit/", views.theme_update, name="theme_update"),
    path(f"{_BASE}themes/<int:theme_id>/delete/", views.theme_delete, name="theme_delete"),
    path(f"{_BASE}themes/<int:theme_id>/move/", views.theme_move, name="theme_move"),
    path(f"{_BASE}themes/<int:theme_id>/quotes/", views.exemplar_add, name="exemplar_add"),
    path(
        f"{_BASE}quotes/<int:exemplar_id>/publish/",
        views.exemplar_publish,
        name="exemplar_publish",
    ),
    path(f"{_BASE}quotes/<int:exemplar_id>/remove/", views.exemplar_remove, name="exemplar_remove"),
    path(f"{_BASE}assist/", views.assist, name="assisted_coding"),
    path(f"{_BASE}assist/train/", views.assist_train, name="assisted_coding_train"),
    path(f"{_BASE}assist/agreement/", views.assist_agreement, name="assisted_coding_agreement"),
    path(
        f"{_BASE}suggestions/<int:suggestion_id>/accept/",
        views.suggestion_accept,
        name="suggestion_accept",
    ),
    path(
        f"{_BASE}suggestions/<int:suggestion_id>/reject/",
        views.suggestion_reject,
        name="suggestion_reject",
    ),
    path(f"{_BASE}rules/", views.rules, name="keyword_rules"),
    path(f"{_BASE}rules/new/", views.rule_create, name="keyword_rule_create"),
    path(f"{_BASE}rules/<int:rule_id>/delete/", views.rule_delete, name="keyword_rule_delete"),
]
