"""URLs for works, claims, career events, and productivity figures."""

from __future__ import annotations

from django.urls import path

from peermentor.scholarship import views

urlpatterns = [
    path("works/", views.works_mine, name="works_mine"),
    path("works/import/", views.works_import, name="works_import"),
    path("works/claims/", views.claims, name="claims"),
    path("works/career/", views.career_add, name="career_add"),
    path("authorships/<int:authorship_id>/claim/", views.claim_decide, name="claim_decide"),
    path("career/<int:event_id>/remove/", views.career_remove, name="career_remove"),
    path("groups/<int:group_id>/works/", views.group_works, name="group_works"),
    path(
        "programs/<slug:slug>/productivity/",
        views.program_productivity,
        name="program_productivity",
    ),
]
