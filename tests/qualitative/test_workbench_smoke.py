"""The workbench pages render for an evaluator with data in them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from peermentor.qualitative import services
from tests.conftest import World, client_for
from tests.qualitative.workbench_support import blind_round, brought_in, codes, second_evaluator

pytestmark = pytest.mark.django_db


def test_every_page_renders_for_an_evaluator(world: World) -> None:
    sources = brought_in(world)
    first, _ = codes(world, "Support", "Scheduling")
    second = second_evaluator(world)
    coding_round = blind_round(world, second)
    me = services.coder_for(program=world.program, user=world.evaluator)
    services.segment_add(
        source=sources[0], code=first, coder=me, start=0, end=5, round=coding_round
    )
    client = client_for(world.evaluator)
    slug = world.program.slug
    for name, kwargs in [
        ("workbench_home", {}),
        ("workbench_codebook", {}),
        ("workbench_code_edit", {"code_id": first.pk}),
        ("workbench_code_split", {"code_id": first.pk}),
        ("workbench_coding", {}),
        ("workbench_memos", {}),
        ("workbench_rounds", {}),
        ("workbench_round", {"round_id": coding_round.pk}),
        ("workbench_round_compare", {"round_id": coding_round.pk}),
        ("workbench_round_agreement", {"round_id": coding_round.pk}),
        ("workbench_team", {}),
        ("workbench_code_styles", {}),
    ]:
        response = client.get(reverse(name, kwargs={"slug": slug, **kwargs}))
        assert response.status_code == 200, name
