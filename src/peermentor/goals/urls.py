"""URLs for goals, the development plan, curriculum topics, year plans and resources."""

from __future__ import annotations

from django.urls import path

from peermentor.goals import views

urlpatterns = [
    path("goals/", views.goal_list, name="goal_list"),
    path("goals/new/", views.goal_create, name="goal_create"),
    path("goals/plan.<str:fmt>", views.development_plan, name="development_plan"),
    path("goals/<int:goal_id>/", views.goal_detail, name="goal_detail"),
    path("goals/<int:goal_id>/edit/", views.goal_edit, name="goal_edit"),
    path("goals/<int:goal_id>/check-in/", views.goal_checkin, name="goal_checkin"),
    path("goals/<int:goal_id>/milestones/", views.milestone_add, name="milestone_add"),
    path("groups/<int:group_id>/goals/", views.group_goals, name="group_goals"),
    path("groups/<int:group_id>/plan/", views.year_plan, name="year_plan"),
    path("groups/<int:group_id>/resources/", views.resource_board, name="resource_board"),
    path("meetings/<int:meeting_id>/accountability/", views.accountability, name="accountability"),
    path("programs/<slug:slug>/topics/", views.topic_library, name="topic_library"),
    path("programs/<slug:slug>/topics/new/", views.topic_create, name="topic_create"),
    path("programs/<slug:slug>/topics/starter/", views.topics_starter, name="topics_starter"),
    path("topics/<int:topic_id>/edit/", views.topic_edit, name="topic_edit"),
    path("plans/<int:plan_id>/remove/", views.plan_remove, name="plan_remove"),
    path(
        "resources/<int:resource_id>/download/", views.resource_download, name="resource_download"
    ),
    path("resources/<int:resource_id>/remove/", views.resource_remove, name="resource_remove"),
]
