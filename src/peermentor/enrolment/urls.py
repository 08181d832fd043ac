"""URLs of calls for participation, intake, the waitlist, cohorts and group formation."""

from __future__ import annotations

from django.urls import path

from peermentor.enrolment import views

urlpatterns = [
    # Directors
    path("programs/<slug:slug>/calls/", views.call_list, name="call_list"),
    path("programs/<slug:slug>/calls/new/", views.call_create, name="call_create"),
    path("programs/<slug:slug>/cohorts/new/", views.cohort_create, name="cohort_create"),
    path("calls/<int:call_id>/", views.call_manage, name="call_manage"),
    path("calls/<int:call_id>/edit/", views.call_edit, name="call_edit"),
    path("calls/<int:call_id>/status/", views.call_set_status, name="call_set_status"),
    path("calls/<int:call_id>/applications/", views.application_list, name="application_list"),
    path("calls/<int:call_id>/formation/", views.formation_start, name="formation_start"),
    path("calls/<int:call_id>/waitlist/", views.waitlist, name="waitlist"),
    path("applications/<int:application_id>/offer/", views.waitlist_offer, name="waitlist_offer"),
    path("formation/<int:run_id>/", views.formation_run, name="formation_run"),
    path("formation/<int:run_id>/progress/", views.formation_progress, name="formation_progress"),
    path("formation/<int:run_id>/move/", views.formation_move, name="formation_move"),
    path("formation/<int:run_id>/pin/", views.formation_pin, name="formation_pin"),
    path(
        "formation/<int:run_id>/reoptimise/",
        views.formation_reoptimise,
        name="formation_reoptimise",
    ),
    path("formation/<int:run_id>/publish/", views.formation_publish, name="formation_publish"),
    path("cohorts/<int:cohort_id>/", views.cohort_detail, name="cohort_detail"),
    path(
        "cohort-groups/<int:cohort_group_id>/decide/",
        views.cohort_group_decide,
        name="cohort_group_decide",
    ),
    path(
        "cohort-groups/<int:cohort_group_id>/poll/",
        views.cohort_group_poll,
        name="cohort_group_poll",
    ),
    # Applicants and the public
    path("join/<slug:slug>/", views.call_public, name="call_public"),
    path("join/<slug:slug>/apply/", views.call_apply, name="call_apply"),
    path("application/<str:token>/", views.application_status, name="application_status"),
    path(
        "application/<str:token>/withdraw/",
        views.application_withdraw,
        name="application_withdraw",
    ),
]
