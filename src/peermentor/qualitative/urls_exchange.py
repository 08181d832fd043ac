"""URLs of the workbench: REFI-QDA exchange."""

from __future__ import annotations

from django.urls import path

from peermentor.qualitative import views_exchange as views

urlpatterns = [
    path(
        "programs/<slug:slug>/workbench/exchange/",
        views.workbench_exchange,
        name="workbench_exchange",
    ),
    path(
        "programs/<slug:slug>/workbench/exchange/project.qdpx",
        views.workbench_export_qdpx,
        name="workbench_export_qdpx",
    ),
    path(
        "programs/<slug:slug>/workbench/exchange/codebook.qdc",
        views.workbench_export_qdc,
        name="workbench_export_qdc",
    ),
    path(
        "programs/<slug:slug>/workbench/exchange/import/",
        views.workbench_import,
        name="workbench_import",
    ),
]
