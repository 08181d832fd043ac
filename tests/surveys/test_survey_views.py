"""Survey pages as each persona: building, opening, answering through a link, reading answers."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from peermentor.programs import services as programs
from peermentor.surveys import selectors, services
from peermentor.surveys.models import Response, Wave
from tests.conftest import World, client_for, make_user
from tests.surveys.survey_fixtures import answer, invitee, open_wave


def _link(wave: Wave, user: Any) -> str:
    return reverse("survey_answer", args=[services.invitee_token(invitee(wave, user))])


def _csrf_post(client: Any, url: str, data: dict[str, Any]) -> Any:
    client.get(url)
    token = client.cookies["csrftoken"].value
    return client.post(url, {**data, "csrfmiddlewaretoken": token})


def test_the_form_says_it_is_anonymous_before_the_first_question(world: World) -> None:
    wave = open_wave(world)
    page = client_for(world.member).get(_link(wave, world.member)).content.decode()
    notice = page.index("Anonymous: your name is not stored with your answers")
    assert notice < page.index("<fieldset")
    assert page.count("<legend>") >= len(wave.instrument.questions.all())
    assert 'name="csrfmiddlewaretoken"' in page


def test_an_identified_form_asks_consent_before_the_first_question(world: World) -> None:
    wave = open_wave(world, mode="identified")
    page = client_for(world.member).get(_link(wave, world.member)).content.decode()
    assert page.index('name="consent"') < page.index('name="q_benefits_gains"')


def test_a_member_answers_once_through_the_link(world: World) -> None:
    wave = open_wave(world)
    url = _link(wave, world.member)
    client = client_for(None, csrf=True)
    draft = _csrf_post(client, url, {"action": "draft", "q_benefits_gains": "Half"})
    assert draft.status_code == 200
    assert "Half" in client.get(url).content.decode()
    done = _csrf_post(
        client,
        url,
        {"action": "submit", "q_benefits_gains": "Whole", "q_ratings_satisfaction": "5"},
    )
    assert done.status_code == 302
    assert done["Location"] == reverse("survey_thanks")
    assert Response.objects.get().answers.count() == 2
    token = client.cookies["csrftoken"].value
    reused = client.post(
        url, {"action": "submit", "q_benefits_gains": "Again", "csrfmiddlewaretoken": token}
    )
    assert reused.status_code == 410
    assert "already answered" in reused.content.decode()
    assert Response.objects.count() == 1


def test_a_post_without_the_csrf_token_is_refused(world: World) -> None:
    wave = open_wave(world)
    response = client_for(world.member, csrf=True).post(
        _link(wave, world.member), {"action": "submit", "q_benefits_gains": "x"}
    )
    assert response.status_code == 403
    assert not Response.objects.exists()


def test_a_forged_link_says_so_and_saves_nothing(world: World) -> None:
    open_wave(world)
    url = reverse("survey_answer", args=["f" * 64])
    response = client_for(world.member).post(url, {"action": "submit", "q_benefits_gains": "x"})
    assert response.status_code == 404
    assert "This survey link does not work" in response.content.decode()
    assert not Response.objects.exists()


def test_a_bad_answer_shows_the_problem_and_keeps_what_was_written(world: World) -> None:
    wave = open_wave(world)
    response = client_for(world.member).post(
        _link(wave, world.member),
        {"action": "submit", "q_benefits_gains": "Kept text", "q_ratings_satisfaction": "77"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Please choose one of the listed answers." in page
    assert "Kept text" in page
    assert not Response.objects.exists()


def test_surveys_to_answer_lists_my_waves_only(world: World) -> None:
    wave = open_wave(world)
    mine = client_for(world.member).get(reverse("surveys_to_answer")).content.decode()
    assert _link(wave, world.member) in mine
    theirs = client_for(world.outsider).get(reverse("surveys_to_answer")).content.decode()
    assert wave.title not in theirs
    answer(wave, world.member)
    assert "Answered" in client_for(world.member).get(reverse("surveys_to_answer")).content.decode()


def test_the_director_sees_rates_and_counts_never_free_text(world: World) -> None:
    wave = open_wave(world, groups=[world.group, world.other_group])
    for user in (world.member, world.other_member, world.senior, world.outsider):
        answer(wave, user, text=f"Secret words of {user.name}", ratings_satisfaction="5")
    page = client_for(world.director).get(reverse("wave_detail", args=[wave.pk])).content.decode()
    assert "Secret words" not in page
    assert "4 of 4 invited people have answered" in page
    assert "Fewer than 5 answers: hidden." in page  # only four answered
    assert reverse("wave_answers", args=[wave.pk]) not in page


def test_closed_question_counts_under_five_are_suppressed(world: World) -> None:
    from tests.surveys.test_survey_queries import grow_group

    wave = open_wave(world, groups=[grow_group(world, 7)])
    people = list(wave.invitees.select_related("user"))
    for index, record in enumerate(people[:7]):
        services.response_submit(
            invitee=record,
            answers={"ratings_satisfaction": "5" if index < 5 else "1"},
        )
    page = client_for(world.director).get(reverse("wave_detail", args=[wave.pk])).content.decode()
    assert "data:image/svg+xml;base64," in page
    assert "<td>5</td>" in page
    assert "Fewer than 5 people: not shown" in page


def test_a_lone_small_choice_takes_the_next_smallest_with_it(world: World) -> None:
    """With the number answering shown, a lone hidden count is that number less the rest."""
    from tests.surveys.test_survey_queries import grow_group

    wave = open_wave(world, groups=[grow_group(world, 26)])
    picks = ["5"] * 8 + ["4"] * 7 + ["3"] * 6 + ["2"] * 5  # nobody picked "1"
    for record, pick in zip(wave.invitees.all(), picks, strict=True):
        services.response_submit(invitee=record, answers={"ratings_satisfaction": pick})
    summary = next(
        s for s in selectors.closed_summaries(wave=wave) if s.question.key == "ratings_satisfaction"
    )
    assert {c.code: c.hidden for c in summary.choices if c.count is None} == {
        "1": "small",
        "2": "complementary",
    }
    shown = {c.code: c.count for c in summary.choices if c.count is not None}
    assert shown == {"3": 6, "4": 7, "5": 8}
    page = client_for(world.director).get(reverse("wave_detail", args=[wave.pk])).content.decode()
    assert "Not shown, so that a smaller hidden figure cannot be worked out" in page


def test_the_evaluator_reads_pseudonymised_answers(world: World) -> None:
    wave = open_wave(world)
    answer(wave, world.member, text="Other_Member and I wrote a grant; mail me at a@b.org")
    answer(wave, world.other_member, text="Fine.")
    page = client_for(world.evaluator).get(reverse("wave_answers", args=[wave.pk])).content.decode()
    assert "[member] and I wrote a grant; mail me at [contact]" in page
    assert "Other_Member" not in page
    assert "R01" in page
    assert "R02" in page
    assert "Group A" not in page  # three members: too few to name
    assert world.member.name not in page


def test_a_group_of_five_is_named(world: World) -> None:
    for number in range(2):
        user = make_user(f"extra{number}@test.example", f"Extra Person{number}")
        programs.membership_add(
            group=world.group, user=user, role="member", joined_on=dt.date(2020, 1, 6),
            actor=world.director,
        )  # fmt: skip
    wave = open_wave(world)
    answer(wave, world.member)
    page = client_for(world.evaluator).get(reverse("wave_answers", args=[wave.pk])).content.decode()
    assert "Group A" in page


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_are_pseudonymised_and_neutralised(world: World, fmt: str) -> None:
    wave = open_wave(world)
    answer(wave, world.member, text='=HYPERLINK("http://evil") says Member')
    response = client_for(world.evaluator).get(reverse("wave_answers_export", args=[wave.pk, fmt]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = [
            [cell if cell is not None else "" for cell in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    header, first = rows[0], rows[1]
    column = header.index("benefits_gains")
    assert first[0] == "R01"
    assert first[column] == '\'=HYPERLINK("http://evil") says [member]'


def test_the_director_builds_an_instrument_and_opens_a_wave(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(world.director)
    created = client.post(reverse("instrument_create_default", args=[world.program.slug]))
    instrument_url = created["Location"]
    instrument_id = int(instrument_url.rstrip("/").split("/")[-1])
    page = client.get(instrument_url).content.decode()
    assert "Preview: what a respondent sees" in page
    added = client.post(
        reverse("instrument_question_add", args=[instrument_id]),
        {"key": "hours", "type": "number", "label": "Hours a month on the group?"},
    )
    assert added.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        opened = client.post(
            reverse("wave_create", args=[world.program.slug]),
            {
                "title": "Year one",
                "instrument": instrument_id,
                "kind": "yearly",
                "mode": "anonymous",
                "opens_on": "2030-01-01",
                "closes_on": "2030-02-01",
                "groups": [world.group.pk],
            },
        )
    assert opened.status_code == 302
    wave = Wave.objects.get(title="Year one")
    assert wave.invitees.count() == 3
    assert wave.instrument.questions.filter(key="hours").exists()


def test_the_builder_versions_an_answered_instrument(world: World) -> None:
    wave = open_wave(world)
    answer(wave, world.member)
    question = wave.instrument.questions.get(key="benefits_gains")
    response = client_for(world.director).post(
        reverse("instrument_question_edit", args=[question.pk]), {"label": "Changed"}
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.label != "Changed"
    assert (
        wave.instrument.next_versions.get().questions.get(key="benefits_gains").label == "Changed"
    )


def test_the_program_page_links_to_surveys(world: World) -> None:
    page = client_for(world.director).get(reverse("program_detail", args=[world.program.slug]))
    assert reverse("program_surveys", args=[world.program.slug]) in page.content.decode()
    home = client_for(world.member).get(reverse("home")).content.decode()
    assert reverse("surveys_to_answer") in home


def test_answers_come_a_page_of_respondents_at_a_time(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    wave = open_wave(world)
    for number, person in enumerate([world.member, world.other_member, world.senior]):
        answer(wave, person, text=f"Answer number {number}")
    monkeypatch.setattr(selectors, "ANSWERS_PER_PAGE", 2)
    url = reverse("wave_answers", args=[wave.pk])
    first = client_for(world.evaluator).get(url).content.decode()
    second = client_for(world.evaluator).get(url, {"page": "2"}).content.decode()

    def shown(page: str) -> set[str]:
        return {code for code in ("R01", "R02", "R03") if f'<th scope="row">{code}</th>' in page}

    assert shown(first) == {"R01", "R02"}
    assert "Respondents 1–2 of 3" in first
    assert 'href="?page=2"' in first
    assert shown(second) == {"R03"}
    # Codes follow the order responses were stored in; each answer is on exactly one page.
    assert [f"Answer number {n}" in first + second for n in range(3)] == [True] * 3
    assert [f"Answer number {n}" in second for n in range(3)].count(True) == 1
    assert shown(client_for(world.evaluator).get(url, {"page": "99"}).content.decode()) == {"R03"}
    every = selectors.pseudonymised_answers(wave=wave)  # exports read every respondent
    assert [code for code, _, _ in every.rows] == ["R01", "R02", "R03"]
