"""URLs for programs, groups, memberships, invitations and the charter."""

from __future__ import annotations

from django.urls import path

from peermentor.programs import views

urlpatterns = [
    path("programs/new/", views.program_create, name="program_create"),
    path("programs/<slug:slug>/", views.program_detail, name="program_detail"),
    path("programs/<slug:slug>/groups/new/", views.group_create, name="group_create"),
    path("programs/<slug:slug>/invite/", views.invitation_create, name="invitation_create"),
    path(
        "programs/<slug:slug>/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("groups/<int:group_id>/", views.group_detail, name="group_detail"),
    path("groups/<int:group_id>/charter/", views.charter, name="charter"),
    path("groups/<int:group_id>/charter/propose/", views.charter_propose, name="charter_propose"),
    path(
        "groups/<int:group_id>/charter/<int:version>/decide/",
        views.charter_decide,
        name="charter_decide",
    ),
    path(
        "groups/<int:group_id>/charter/<int:version>/withdraw/",
        views.charter_withdraw,
        name="charter_withdraw",
    ),
    path("memberships/<int:membership_id>/role/", views.membership_role, name="membership_role"),
    path("memberships/<int:membership_id>/end/", views.membership_end, name="membership_end"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
