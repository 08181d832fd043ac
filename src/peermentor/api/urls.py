"""URLs of the REST API (``/api/v1/``) and of the pages that manage personal access tokens."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from peermentor.api import views
from peermentor.api.v1 import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("tokens/", views.token_list, name="api_tokens"),
    path("tokens/<int:token_id>/revoke", views.token_revoke, name="api_token_revoke"),
    path("v1/", api.urls),
]
