"""URLs of the workbench: home, codebook, coding, rounds, agreement, memos and the team."""

from __future__ import annotations

from django.urls import URLPattern, path

from peermentor.qualitative import views_coding as views

_W = "programs/<slug:slug>/workbench/"

urlpatterns: list[URLPattern] = [
    path(_W, views.workbench_home, name="workbench_home"),
    path(f"{_W}bring-in/<int:wave_id>/", views.workbench_bring_in, name="workbench_bring_in"),
    path(f"{_W}codes.css", views.workbench_code_styles, name="workbench_code_styles"),
    path(f"{_W}team/", views.workbench_team, name="workbench_team"),
    path(f"{_W}codebook/", views.workbench_codebook, name="workbench_codebook"),
    path(f"{_W}codebook/starter/", views.workbench_starter_load, name="workbench_starter_load"),
    path(
        f"{_W}codebook/freeze/", views.workbench_codebook_freeze, name="workbench_codebook_freeze"
    ),
    path(
        f"{_W}codebook/versions/<int:number>/",
        views.workbench_codebook_version,
        name="workbench_codebook_version",
    ),
    path(f"{_W}codes/<int:code_id>/", views.workbench_code_edit, name="workbench_code_edit"),
    path(f"{_W}codes/<int:code_id>/move/", views.workbench_code_move, name="workbench_code_move"),
    path(
        f"{_W}codes/<int:code_id>/merge/", views.workbench_code_merge, name="workbench_code_merge"
    ),
    path(
        f"{_W}codes/<int:code_id>/split/", views.workbench_code_split, name="workbench_code_split"
    ),
    path(
        f"{_W}codes/<int:code_id>/delete/",
        views.workbench_code_delete,
        name="workbench_code_delete",
    ),
    path(f"{_W}coding/", views.workbench_coding, name="workbench_coding"),
    path(
        f"{_W}sources/<int:source_id>/code/",
        views.workbench_segment_add,
        name="workbench_segment_add",
    ),
    path(
        f"{_W}segments/<int:segment_id>/remove/",
        views.workbench_segment_remove,
        name="workbench_segment_remove",
    ),
    path(f"{_W}memos/", views.workbench_memos, name="workbench_memos"),
    path(f"{_W}rounds/", views.workbench_rounds, name="workbench_rounds"),
    path(f"{_W}rounds/<int:round_id>/", views.workbench_round, name="workbench_round"),
    path(
        f"{_W}rounds/<int:round_id>/close/",
        views.workbench_round_close,
        name="workbench_round_close",
    ),
    path(
        f"{_W}rounds/<int:round_id>/compare/",
        views.workbench_round_compare,
        name="workbench_round_compare",
    ),
    path(
        f"{_W}rounds/<int:round_id>/consensus/",
        views.workbench_consensus,
        name="workbench_consensus",
    ),
    path(
        f"{_W}rounds/<int:round_id>/consensus/agreed/",
        views.workbench_consensus_agreed,
        name="workbench_consensus_agreed",
    ),
    path(
        f"{_W}rounds/<int:round_id>/agreement/",
        views.workbench_round_agreement,
        name="workbench_round_agreement",
    ),
]
