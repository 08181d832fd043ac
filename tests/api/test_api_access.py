"""Every API operation against every persona: the same answers as the pages give."""

from __future__ import annotations

import pytest

from tests.access_routes_api import API_OPERATIONS
from tests.api.conftest import call
from tests.conftest import PERSONAS, World


@pytest.mark.parametrize("key", sorted(API_OPERATIONS), ids=lambda key: f"{key[0]} {key[1]}")
def test_api_access(world: World, tokens: dict[str, str | None], key: tuple[str, str]) -> None:
    _method, template = key
    operation = API_OPERATIONS[key]
    path = operation.path(template, world)
    got = {persona: call(path, tokens[persona]) for persona in PERSONAS}
    assert {p: r.status_code for p, r in got.items()} == operation.expected
    for response in got.values():
        assert response["Content-Type"] == "application/json; charset=utf-8"
        assert "no-store" in response["Cache-Control"]
