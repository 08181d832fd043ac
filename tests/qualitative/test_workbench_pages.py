"""Workbench pages: forms that code, edit the codebook, run rounds and invite evaluators, and
page query counts that do not grow with the data."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from peermentor.programs.models import Invitation
from peermentor.qualitative import services
from peermentor.qualitative.models import Code, CodingRound, Memo, Segment, Source
from tests.conftest import World, client_for
from tests.qualitative.workbench_support import (
    answered_wave,
    blind_round,
    brought_in,
    codes,
    second_evaluator,
)

pytestmark = pytest.mark.django_db


def _url(world: World, name: str, **kwargs: Any) -> str:
    return reverse(name, kwargs={"slug": world.program.slug, **kwargs})


def test_bring_in_button_brings_a_waves_answers(world: World) -> None:
    wave = answered_wave(world)
    client = client_for(world.evaluator, csrf=False)
    home = client.get(_url(world, "workbench_home")).content.decode()
    assert "Bring in 3 answers" in home
    response = client.post(_url(world, "workbench_bring_in", wave_id=wave.pk), follow=True)
    assert "3 answers of" in response.content.decode()
    assert Source.objects.count() == 3
    assert "All in" in client.get(_url(world, "workbench_home")).content.decode()


def test_coding_form_stores_code_points_and_shows_the_passage(world: World) -> None:
    source = next(s for s in brought_in(world) if s.text.startswith("Très"))
    first, second_code = codes(world, "Support", "Thanks")
    client = client_for(world.evaluator)
    response = client.post(
        _url(world, "workbench_segment_add", source_id=source.pk),
        {"first": 1, "last": 12, "codes": [first.pk, second_code.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "Coded “Très bien 👍🏽” with Support, Thanks." in page
    assert {s.source.text[s.start : s.end] for s in Segment.objects.all()} == {"Très bien 👍🏽"}
    assert Segment.objects.count() == 2
    # Both codes cover the same piece: it is marked as an overlap and names both codes.
    assert 'class="piece code-' in page
    assert "overlap" in page
    assert 'title="Support; Thanks"' in page


def test_coding_form_refuses_numbers_outside_the_answer(world: World) -> None:
    source = brought_in(world)[0]
    (code,) = codes(world, "Support")
    response = client_for(world.evaluator).post(
        _url(world, "workbench_segment_add", source_id=source.pk),
        {"first": 5, "last": 999, "codes": [code.pk]},
        follow=True,
    )
    assert "does not fit the answer" in response.content.decode()
    assert not Segment.objects.exists()
    response = client_for(world.evaluator).post(
        _url(world, "workbench_segment_add", source_id=source.pk),
        {"first": 5, "last": 2, "codes": [code.pk]},
        follow=True,
    )
    assert "must not come before" in response.content.decode()


def test_a_coder_removes_only_their_own_passages(world: World) -> None:
    source = brought_in(world)[0]
    (code,) = codes(world, "Support")
    second = second_evaluator(world)
    theirs = services.segment_add(
        source=source,
        code=code,
        coder=services.coder_for(program=world.program, user=second),
        start=0,
        end=4,
    )
    url = _url(world, "workbench_segment_remove", segment_id=theirs.pk)
    response = client_for(world.evaluator).post(url, follow=True)
    assert "only your own" in response.content.decode()
    assert Segment.objects.filter(pk=theirs.pk).exists()
    client_for(second).post(url)
    assert not Segment.objects.exists()


def test_codebook_pages_create_edit_merge_split_and_delete(world: World) -> None:
    source = brought_in(world)[0]
    client = client_for(world.evaluator)
    response = client.post(
        _url(world, "workbench_codebook"),
        {"name": "Support", "color": "#336699", "polarity": "benefit", "is_codable": "on"},
    )
    assert response.status_code == 302
    support = Code.objects.get(name="Support")
    assert (support.color, support.polarity, support.is_codable) == ("#336699", "benefit", True)
    client.post(
        _url(world, "workbench_codebook"),
        {"name": "Help", "color": "#336699", "polarity": "neutral", "is_codable": "on"},
    )
    help_code = Code.objects.get(name="Help")
    client.post(
        _url(world, "workbench_code_edit", code_id=help_code.pk),
        {
            "name": "Practical help",
            "parent": support.pk,
            "color": "#112233",
            "polarity": "benefit",
            "definition": "Hands-on help.",
            "is_codable": "on",
        },
    )
    help_code.refresh_from_db()
    assert (help_code.name, help_code.parent, help_code.definition) == (
        "Practical help",
        support,
        "Hands-on help.",
    )
    me = services.coder_for(program=world.program, user=world.evaluator)
    services.segment_add(source=source, code=help_code, coder=me, start=0, end=4)
    kept = services.segment_add(source=source, code=help_code, coder=me, start=5, end=9)
    client.post(
        _url(world, "workbench_code_split", code_id=help_code.pk),
        {"new_name": "Feedback", "segments": [str(kept.pk)]},
    )
    assert list(Code.objects.get(name="Feedback").segments.all()) == [kept]
    page = client.get(_url(world, "workbench_codebook")).content.decode()
    assert page.index("Support") < page.index("Practical help")
    assert "depth-1" in page
    client.post(_url(world, "workbench_code_merge", code_id=help_code.pk), {"into": support.pk})
    assert support.segments.count() == 1
    response = client.post(_url(world, "workbench_code_delete", code_id=support.pk), follow=True)
    assert "merge it into another code" in response.content.decode()
    client.post(_url(world, "workbench_code_delete", code_id=support.pk), {"with_segments": "yes"})
    assert not Code.objects.filter(name="Support").exists()


def test_starter_codebook_and_freeze_buttons(world: World) -> None:
    client = client_for(world.evaluator)
    client.post(_url(world, "workbench_starter_load"))
    client.post(_url(world, "workbench_starter_load"))
    assert Code.objects.filter(program=world.program).count() == 16
    client.post(_url(world, "workbench_codebook_freeze"), {"note": "Before round one"})
    page = client.get(_url(world, "workbench_codebook_version", number=1)).content.decode()
    assert "Exclusivity" in page
    assert "Before round one" in page


def test_round_is_opened_closed_and_settled_through_the_pages(world: World) -> None:
    source = brought_in(world)[0]
    (code,) = codes(world, "Support")
    second = second_evaluator(world)
    client = client_for(world.evaluator)
    response = client.post(
        _url(world, "workbench_rounds"),
        {
            "name": "Round one",
            "blind": "on",
            "coders": [f"user-{world.evaluator.pk}", f"user-{second.pk}"],
        },
    )
    coding_round = CodingRound.objects.get()
    assert response.status_code == 302
    assert coding_round.blind
    assert {c.user for c in coding_round.coders.all()} == {world.evaluator, second}
    for person, last in ((world.evaluator, 4), (second, 9)):
        client_for(person).post(
            _url(world, "workbench_segment_add", source_id=source.pk) + f"?round={coding_round.pk}",
            {"first": 1, "last": last, "codes": [code.pk]},
        )
    assert Segment.objects.filter(round=coding_round).count() == 2
    client.post(_url(world, "workbench_round_close", round_id=coding_round.pk))
    coding_round.refresh_from_db()
    assert not coding_round.is_open
    compare = client.get(_url(world, "workbench_round_compare", round_id=coding_round.pk))
    assert compare.content.decode().count("<q>") >= 2
    client.post(
        _url(world, "workbench_consensus", round_id=coding_round.pk),
        {"source": source.pk, "code": code.pk, "start": 0, "end": 9, "keep": "yes"},
    )
    consensus = Segment.objects.get(coder__kind="consensus")
    assert (consensus.start, consensus.end) == (0, 9)
    agreement = client.get(
        _url(world, "workbench_round_agreement", round_id=coding_round.pk) + "?unit=character"
    ).content.decode()
    assert "Krippendorff" in agreement
    assert "All codes (pooled)" in agreement


def test_memos_are_written_from_the_pages(world: World) -> None:
    source = brought_in(world)[0]
    (code,) = codes(world, "Support")
    client = client_for(world.evaluator)
    url = _url(world, "workbench_memos")
    client.post(url, {"title": "On the answer", "text": "Strong.", "source": source.pk})
    client.post(url, {"title": "On the code", "text": "Broad.", "code": code.pk})
    client.post(url, {"title": "On the project", "text": "Early days."})
    memos = {m.title: m for m in Memo.objects.all()}
    assert memos["On the answer"].source == source
    assert memos["On the code"].code == code
    assert memos["On the project"].author.user == world.evaluator
    page = client.get(url).content.decode()
    assert "On the project" in page
    assert "On the answer" in client.get(_url(world, "workbench_coding")).content.decode()


def test_an_evaluator_invites_another_evaluator(world: World) -> None:
    response = client_for(world.evaluator).post(
        _url(world, "workbench_team"), {"email": "colleague@test.example"}
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="colleague@test.example")
    assert (invitation.role, invitation.group, invitation.invited_by) == (
        "evaluator",
        None,
        world.evaluator,
    )


def test_program_page_links_evaluators_to_the_workbench_only(world: World) -> None:
    url = reverse("program_detail", args=[world.program.slug])
    workbench = _url(world, "workbench_home")
    assert workbench in client_for(world.evaluator).get(url).content.decode()
    assert workbench not in client_for(world.director).get(url).content.decode()


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _more_coding(world: World, copies: int) -> None:
    wave = answered_wave(world)
    services.sources_bring_in(program=world.program, wave=wave, actor=None)
    extra = [
        Source.objects.create(program=world.program, name=f"Extra {i}", text="Word " * 40)
        for i in range(copies)
    ]
    code_list = codes(world, *(f"Code {i}" for i in range(5)))
    me = services.coder_for(program=world.program, user=world.evaluator)
    for source in extra:
        for index, code in enumerate(code_list):
            segment = services.segment_add(
                source=source, code=code, coder=me, start=index, end=index + 10
            )
            services.memo_save(
                program=world.program, author=None, title="m", text="x", segment=segment
            )
        services.memo_save(program=world.program, author=None, title="m", text="x", source=source)


@pytest.mark.parametrize(
    "name", ["workbench_coding", "workbench_codebook", "workbench_home", "workbench_memos"]
)
def test_page_queries_do_not_grow_with_the_data(world: World, name: str) -> None:
    client = client_for(world.evaluator)
    url = _url(world, name)
    _more_coding(world, 1)
    small = _count(client, url)
    _more_coding_again = [
        Source.objects.create(program=world.program, name=f"More {i}", text="Text " * 30)
        for i in range(8)
    ]
    code = Code.objects.filter(program=world.program).first()
    me = services.coder_for(program=world.program, user=world.evaluator)
    for source in _more_coding_again:
        for start in range(0, 20, 4):
            services.segment_add(source=source, code=code, coder=me, start=start, end=start + 6)
    assert _count(client, url) == small


def test_round_pages_queries_do_not_grow_with_the_coding(world: World) -> None:
    sources = brought_in(world)
    (code,) = codes(world, "Support")
    second = second_evaluator(world)
    coding_round = blind_round(world, second)
    coders = list(coding_round.coders.all())
    services.segment_add(
        source=sources[0], code=code, coder=coders[0], start=0, end=3, round=coding_round
    )
    services.round_close(coding_round=coding_round, actor=None)
    client = client_for(world.evaluator)
    urls = [
        _url(world, "workbench_round_compare", round_id=coding_round.pk),
        _url(world, "workbench_round_agreement", round_id=coding_round.pk),
    ]
    before = [_count(client, url) for url in urls]
    coding_round.status = "open"
    coding_round.save()
    for source in sources:
        for coder, end in zip(coders, (5, 8), strict=True):
            services.segment_add(
                source=source, code=code, coder=coder, start=1, end=end, round=coding_round
            )
    services.round_close(coding_round=coding_round, actor=None)
    assert [_count(client, url) for url in urls] == before
