"""Themes: codes grouped under a finding, exemplar quotes chosen, published, exported."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from peermentor.qualitative import selectors
from peermentor.qualitative import services_analysis as services
from peermentor.qualitative.models import Code, Exemplar, Segment, Source, Theme
from tests.conftest import World, client_for
from tests.qualitative.test_analysis_numbers import Data, build


@pytest.fixture
def data(world: World) -> Data:
    return build(world)


def _url(world: World, name: str, **kwargs: Any) -> str:
    return reverse(name, kwargs={"slug": world.program.slug, **kwargs})


def _post(world: World, name: str, payload: dict[str, Any] | None = None, **kwargs: Any) -> Any:
    return client_for(world.evaluator).post(_url(world, name, **kwargs), payload or {})


def test_create_a_theme_from_the_page(data: Data) -> None:
    world = data.world
    response = _post(
        world,
        "theme_create",
        {
            "name": "Peer support",
            "description": "Members found support in each other.",
            "polarity": "benefit",
            "codes": [data.support.pk, data.growth.pk],
        },
    )
    theme = Theme.objects.get(program=world.program)
    assert response.status_code == 302
    assert response["Location"] == _url(world, "theme_detail", theme_id=theme.pk)
    assert theme.polarity == "benefit"
    assert set(theme.codes.all()) == {data.support, data.growth}
    assert theme.created_by == world.evaluator


def test_a_theme_needs_a_name_and_nothing_is_saved_without_one(data: Data) -> None:
    response = _post(data.world, "theme_create", {"name": " ", "polarity": "benefit"})
    assert response.status_code == 302
    assert not Theme.objects.exists()


def test_codes_of_another_program_cannot_be_attached(data: Data) -> None:
    foreign = Code.objects.create(program=data.world.other_program, name="Elsewhere")
    _post(data.world, "theme_create", {"name": "X", "polarity": "neutral", "codes": [foreign.pk]})
    assert not Theme.objects.exists()
    with pytest.raises(services.AnalysisError):
        services.theme_create(program=data.world.program, actor=None, name="X", codes=[foreign])


def test_edit_and_delete_a_theme(data: Data) -> None:
    world = data.world
    theme = services.theme_create(program=world.program, actor=None, name="Old", codes=[])
    _post(
        world,
        "theme_update",
        {"name": "Scheduling trouble", "polarity": "undesirable", "codes": [data.scheduling.pk]},
        theme_id=theme.pk,
    )
    theme.refresh_from_db()
    assert (theme.name, theme.polarity) == ("Scheduling trouble", "undesirable")
    assert list(theme.codes.all()) == [data.scheduling]
    _post(world, "theme_delete", theme_id=theme.pk)
    assert not Theme.objects.exists()
    assert Segment.objects.filter(code=data.scheduling).count() == 3  # the coding stays


def test_themes_are_ordered_and_move(data: Data) -> None:
    world = data.world
    first, second, third = (
        services.theme_create(program=world.program, actor=None, name=name)
        for name in ("Zeta", "Alpha", "Mid")
    )
    names = [t.name for t in selectors.themes_overview(program=world.program)]
    assert names == ["Zeta", "Alpha", "Mid"]  # order of creation, not of names
    _post(world, "theme_move", {"direction": "up"}, theme_id=third.pk)
    _post(world, "theme_move", {"direction": "up"}, theme_id=first.pk)  # already first
    names = [t.name for t in selectors.themes_overview(program=world.program)]
    assert names == ["Zeta", "Mid", "Alpha"]
    _post(world, "theme_move", {"direction": "down"}, theme_id=first.pk)
    assert [t.name for t in selectors.themes_overview(program=world.program)] == [
        "Mid",
        "Zeta",
        "Alpha",
    ]
    assert second.pk  # untouched but moved by the others


def test_choose_publish_and_report_only_published_quotes(data: Data) -> None:
    world = data.world
    theme = services.theme_create(
        program=world.program, actor=None, name="Support", polarity="benefit", codes=[data.support]
    )
    page = client_for(world.evaluator).get(_url(world, "theme_detail", theme_id=theme.pk))
    candidates = page.context["candidates"]
    # s1's Support passage was coded by three coders over the same span: offered once.
    spans = [(c.source_id, c.start, c.end) for c in candidates]
    assert len(spans) == len(set(spans)) == 3
    s1_passage = next(c for c in candidates if c.source_id == data.sources[0].pk)
    s3_passage = next(c for c in candidates if c.source_id == data.sources[2].pk)
    for passage in (s1_passage, s3_passage):
        _post(world, "exemplar_add", {"segment": passage.pk}, theme_id=theme.pk)
    quotes = {e.quote: e for e in Exemplar.objects.filter(theme=theme)}
    assert set(quotes) == {"The group", "Support"}
    assert quotes["The group"].respondent == "R01"
    assert not any(e.published for e in quotes.values())
    _post(world, "exemplar_publish", {"published": "1"}, exemplar_id=quotes["Support"].pk)
    findings = selectors.report_findings(program=world.program)
    assert findings.benefits[0].quotes == [("R02", "Support")]
    _post(world, "exemplar_publish", {"published": "0"}, exemplar_id=quotes["Support"].pk)
    assert selectors.report_findings(program=world.program).benefits[0].quotes == []


def test_a_passage_of_another_code_cannot_be_quoted(data: Data) -> None:
    theme = services.theme_create(
        program=data.world.program, actor=None, name="Support", codes=[data.support]
    )
    scheduling = Segment.objects.filter(code=data.scheduling).first()
    _post(data.world, "exemplar_add", {"segment": scheduling.pk}, theme_id=theme.pk)
    assert not Exemplar.objects.exists()
    with pytest.raises(services.AnalysisError):
        services.exemplar_add(theme=theme, segment=scheduling, actor=None)


def test_a_passage_of_another_program_is_not_found(data: Data) -> None:
    theme = services.theme_create(
        program=data.world.program, actor=None, name="Support", codes=[data.support]
    )
    other = Source.objects.create(program=data.world.other_program, name="x", text="Support")
    code = Code.objects.create(program=data.world.other_program, name="Support")
    coder = data.bob.__class__.objects.create(
        program=data.world.other_program, kind="imported", name="Bo"
    )
    segment = Segment.objects.create(source=other, code=code, coder=coder, start=0, end=7)
    response = _post(data.world, "exemplar_add", {"segment": segment.pk}, theme_id=theme.pk)
    assert response.status_code == 404


def test_an_exemplar_of_another_program_is_not_found(data: Data) -> None:
    other_theme = Theme.objects.create(program=data.world.other_program, name="Elsewhere")
    other = Source.objects.create(program=data.world.other_program, name="x", text="Hello")
    exemplar = Exemplar.objects.create(theme=other_theme, source=other, quote="Hello")
    response = _post(data.world, "exemplar_publish", {"published": "1"}, exemplar_id=exemplar.pk)
    assert response.status_code == 404
    exemplar.refresh_from_db()
    assert not exemplar.published


def test_remove_an_exemplar(data: Data) -> None:
    theme = services.theme_create(
        program=data.world.program, actor=None, name="Support", codes=[data.support]
    )
    segment = Segment.objects.filter(code=data.support).first()
    exemplar = services.exemplar_add(theme=theme, segment=segment, actor=None)
    _post(data.world, "exemplar_remove", exemplar_id=exemplar.pk)
    assert not Exemplar.objects.exists()


def test_themes_page_counts_respondents_and_quotes(data: Data) -> None:
    theme = services.theme_create(
        program=data.world.program, actor=None, name="Support", codes=[data.support]
    )
    segment = Segment.objects.filter(code=data.support).first()
    services.exemplar_set_published(
        exemplar=services.exemplar_add(theme=theme, segment=segment, actor=None),
        actor=None,
        published=True,
    )
    page = client_for(data.world.evaluator).get(_url(data.world, "themes")).content.decode()
    assert "3 respondents" in page
    assert "1 quote, 1 published" in page


def test_themes_export_one_row_per_quote(data: Data) -> None:
    world = data.world
    theme = services.theme_create(
        program=world.program,
        actor=None,
        name="Support",
        description="=cmd|' /C calc'!A0",
        polarity="benefit",
        codes=[data.support, data.growth],
    )
    services.theme_create(program=world.program, actor=None, name="Empty")
    segment = Segment.objects.filter(code=data.support, source=data.sources[2]).first()
    exemplar = services.exemplar_add(theme=theme, segment=segment, actor=None)
    services.exemplar_set_published(exemplar=exemplar, actor=None, published=True)
    response = client_for(world.evaluator).get(_url(world, "themes_export", fmt="csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["order", "theme", "polarity"]
    assert rows[1] == [
        "1", "Support", "benefit", "'=cmd|' /C calc'!A0", "Growth; Support", "3",
        "R02", "Support", "yes",
    ]  # fmt: skip
    assert rows[2][:2] == ["2", "Empty"]
    assert rows[2][-3:] == ["", "", ""]


def test_theme_detail_queries_do_not_grow(data: Data, django_assert_max_num_queries: Any) -> None:
    theme = services.theme_create(
        program=data.world.program, actor=None, name="Support", codes=[data.support]
    )
    url = _url(data.world, "theme_detail", theme_id=theme.pk)
    client = client_for(data.world.evaluator)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for n in range(20):
        source = Source.objects.create(program=data.world.program, name=f"n{n}", text="Support!")
        segment = Segment.objects.create(
            source=source, code=data.support, coder=data.alice, start=0, end=7
        )
        if n % 5 == 0:
            services.exemplar_add(theme=theme, segment=segment, actor=None)
    with django_assert_max_num_queries(len(small)):
        assert client.get(url).status_code == 200
