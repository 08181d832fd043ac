"""Error pages say what happened and what to do, in plain words."""

from __future__ import annotations

from django.test import RequestFactory

from peermentor.core.views import server_error


def test_server_error_page_needs_no_context_and_promises_nothing_half_saved() -> None:
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Nothing you were saving was half-saved" in response.content.decode()
