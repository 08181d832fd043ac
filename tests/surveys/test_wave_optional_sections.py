"""A wave may leave out the optional sections of its instrument: not asked, not counted."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from peermentor.surveys import selectors, services
from peermentor.surveys.models import Answer, Section, Wave
from tests.conftest import World, client_for
from tests.surveys.survey_fixtures import invitee


def _wave_without_ratings(world: World) -> Wave:
    instrument = services.instrument_create_default(program=world.program, actor=world.director)
    today = timezone.localdate()
    return services.wave_open(
        program=world.program,
        instrument=instrument,
        actor=world.director,
        title="Close-out",
        kind="close_out",
        mode="anonymous",
        opens_on=today,
        closes_on=today + dt.timedelta(days=7),
        groups=[world.group],
        left_out_sections=[instrument.sections.get(key="ratings")],
        notify=False,
    )


def test_the_wave_form_offers_a_checkbox_per_optional_section(world: World) -> None:
    services.instrument_create_default(program=world.program, actor=world.director)
    page = client_for(world.director).get(reverse("wave_create", args=[world.program.slug]))
    text = page.content.decode()
    assert text.count('name="left_out_sections"') == Section.objects.filter(optional=True).count()
    assert "Overall ratings (optional)" in text


def test_the_wave_form_saves_the_sections_left_out(world: World) -> None:
    instrument = services.instrument_create_default(program=world.program, actor=world.director)
    ratings = instrument.sections.get(key="ratings")
    client = client_for(world.director, csrf=True)
    url = reverse("wave_create", args=[world.program.slug])
    client.get(url)
    data = {
        "title": "Yearly",
        "instrument": instrument.pk,
        "kind": "yearly",
        "mode": "anonymous",
        "opens_on": "2030-01-01",
        "closes_on": "2030-01-31",
        "groups": [world.group.pk],
        "left_out_sections": [ratings.pk],
        "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
    }
    assert client.post(url, data).status_code == 302
    assert list(Wave.objects.get().left_out_sections.all()) == [ratings]


def test_a_required_section_cannot_be_left_out(world: World) -> None:
    instrument = services.instrument_create_default(program=world.program, actor=world.director)
    benefits = instrument.sections.get(key="benefits")
    with pytest.raises(services.SurveyError, match="Only optional sections"):
        services.wave_open(
            program=world.program,
            instrument=instrument,
            actor=world.director,
            title="x",
            kind="custom",
            mode="anonymous",
            opens_on=timezone.localdate(),
            closes_on=timezone.localdate(),
            groups=[world.group],
            left_out_sections=[benefits],
            notify=False,
        )
    assert not Wave.objects.exists()


def test_respondents_do_not_see_a_section_left_out(world: World) -> None:
    wave = _wave_without_ratings(world)
    link = reverse("survey_answer", args=[services.invitee_token(invitee(wave, world.member))])
    page = client_for(world.member).get(link).content.decode()
    assert 'name="q_benefits_gains"' in page
    assert 'name="q_ratings_satisfaction"' not in page
    assert "Overall ratings" not in page


def test_answers_to_a_left_out_section_are_not_kept_or_counted(world: World) -> None:
    wave = _wave_without_ratings(world)
    section = wave.instrument.sections.get(key="ratings")
    section.questions.update(required=True)
    services.response_submit(
        invitee=invitee(wave, world.member),
        answers={"benefits_gains": "Useful", "ratings_satisfaction": "4"},
    )
    assert list(Answer.objects.values_list("question__key", flat=True)) == ["benefits_gains"]
    assert not any(
        s.question.section_id == section.pk for s in selectors.closed_summaries(wave=wave)
    )
    shown = {q.key for q in selectors.pseudonymised_answers(wave=wave).questions}
    assert "ratings_satisfaction" not in shown


def test_the_mapping_step_offers_only_the_questions_the_wave_asks(
    world: World, settings: Any, tmp_path: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.DATA_DIR = tmp_path
    wave = _wave_without_ratings(world)
    client = client_for(world.evaluator)
    client.post(
        reverse("survey_import", args=[world.program.slug]),
        {"file": SimpleUploadedFile("a.csv", b"benefits_gains\nYes\n"), "wave": wave.pk},
    )
    page = client.get(reverse("survey_import_map", args=[world.program.slug])).content.decode()
    assert 'value="benefits_gains"' in page
    assert 'value="ratings_satisfaction"' not in page


def test_the_wave_page_says_which_sections_are_left_out(world: World) -> None:
    wave = _wave_without_ratings(world)
    page = client_for(world.director).get(reverse("wave_detail", args=[wave.pk])).content.decode()
    assert "Left out of this wave: Overall ratings (optional)" in page
