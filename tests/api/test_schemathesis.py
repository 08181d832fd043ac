"""Schemathesis against the API's own OpenAPI description: for every operation, generated
requests (random ids, and the ids of real objects with generated query parameters) sent with a
director's and a member's token get no server error, only documented statuses and content types,
bodies that match the schema, and a refusal when the token is taken away."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_schema_conformance,
    status_code_conformance,
)

from tests.access_routes_api import API_OPERATIONS
from tests.api.conftest import make_token
from tests.conftest import World

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    ignored_auth,
]
CALLERS = ("director", "member")
EXAMPLES = 12


@pytest.fixture
def api_schema(db: Any, settings: Any) -> Iterator[Any]:
    """The description the app serves, loaded through its WSGI entry point.

    Like Django's test client, keep the request signals from closing the database connection,
    which would end the test's transaction.
    """
    from django.core.signals import request_finished, request_started
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]  # the WSGI client's host
    settings.PEERMENTOR_API_RATE_LIMIT = ""  # hundreds of calls a minute here, on purpose
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.parametrize("key", sorted(API_OPERATIONS), ids=lambda key: f"{key[0]} {key[1]}")
def test_operation_keeps_to_its_description(
    world: World, content: dict[str, Any], api_schema: Any, key: tuple[str, str]
) -> None:
    method, path = key
    operation = api_schema[path][method]
    secrets = {persona: make_token(world.persona(persona)) for persona in CALLERS}
    real = API_OPERATIONS[key].kwargs(world)
    cases = st.one_of(
        operation.as_strategy(),
        operation.as_strategy(path_parameters=real or None),
    )

    @given(case=cases, persona=st.sampled_from(CALLERS))
    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any, persona: str) -> None:
        response = case.call_and_validate(
            headers={"Authorization": f"Bearer {secrets[persona]}"}, checks=CHECKS
        )
        seen.add(response.status_code)

    seen: set[int] = set()
    run()
    if any(API_OPERATIONS[key].expected[persona] == 200 for persona in CALLERS):
        assert 200 in seen, "no generated request reached a real object"
