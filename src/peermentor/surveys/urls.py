"""URLs for instruments, waves, answering, imports and exports."""

from __future__ import annotations

from django.urls import path

from peermentor.surveys import views

urlpatterns = [
    path("programs/<slug:slug>/surveys/", views.program_surveys, name="program_surveys"),
    path(
        "programs/<slug:slug>/surveys/default-instrument/",
        views.instrument_create_default,
        name="instrument_create_default",
    ),
    path("programs/<slug:slug>/surveys/waves/new/", views.wave_create, name="wave_create"),
    path("programs/<slug:slug>/surveys/import/", views.survey_import, name="survey_import"),
    path(
        "programs/<slug:slug>/surveys/import/columns/",
        views.survey_import_map,
        name="survey_import_map",
    ),
    path(
        "surveys/instruments/<int:instrument_id>/",
        views.instrument_detail,
        name="instrument_detail",
    ),
    path(
        "surveys/instruments/<int:instrument_id>/questions/",
        views.instrument_question_add,
        name="instrument_question_add",
    ),
    path(
        "surveys/instruments/<int:instrument_id>/questions/import/",
        views.instrument_questions_import,
        name="instrument_questions_import",
    ),
    path(
        "surveys/questions/<int:question_id>/edit/",
        views.instrument_question_edit,
        name="instrument_question_edit",
    ),
    path(
        "surveys/questions/<int:question_id>/move/",
        views.instrument_question_move,
        name="instrument_question_move",
    ),
    path("surveys/waves/<int:wave_id>/", views.wave_detail, name="wave_detail"),
    path("surveys/waves/<int:wave_id>/remind/", views.wave_remind, name="wave_remind"),
    path("surveys/waves/<int:wave_id>/answers/", views.wave_answers, name="wave_answers"),
    path(
        "surveys/waves/<int:wave_id>/answers.<str:fmt>",
        views.wave_answers_export,
        name="wave_answers_export",
    ),
    path("surveys/", views.surveys_to_answer, name="surveys_to_answer"),
    path("surveys/answer/<str:token>/", views.survey_answer, name="survey_answer"),
    path("surveys/thanks/", views.survey_thanks, name="survey_thanks"),
]
