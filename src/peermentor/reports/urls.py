"""URLs of the home page, the dashboards and the program evaluation reports."""

from __future__ import annotations

from django.urls import path

from peermentor.reports import views

urlpatterns = [
    path("", views.home, name="home"),
    path("programs/<slug:slug>/figures/", views.program_figures, name="program_figures"),
    path(
        "programs/<slug:slug>/figures/groups/",
        views.program_figures_groups,
        name="program_figures_groups",
    ),
    path(
        "programs/<slug:slug>/figures/charts/<slug:name>-<slug:digest>.svg",
        views.program_figures_chart,
        name="program_figures_chart",
    ),
    path("groups/<int:group_id>/dashboard/", views.group_dashboard, name="group_dashboard"),
    path("programs/<slug:slug>/reports/", views.report_list, name="report_list"),
    path("programs/<slug:slug>/reports/new/", views.report_create, name="report_create"),
    path("reports/<int:report_id>/", views.report_detail, name="report_detail"),
    path("reports/<int:report_id>/status/", views.report_status, name="report_status"),
    path(
        "reports/<int:report_id>/conclusions/",
        views.report_conclusions,
        name="report_conclusions",
    ),
    path("reports/<int:report_id>/report.<str:fmt>", views.report_file, name="report_file"),
]
