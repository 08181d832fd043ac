"""Enrolment pages: privacy of intake answers, the intake form, progress, proposals, cohorts."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from peermentor.enrolment import services
from peermentor.enrolment.models import Application, Call, FormationRun
from tests.conftest import World, client_for
from tests.enrolment.conftest import add_applicant, done_run

SECRET_GOAL = "Leave the supervisor lab quietly"


def _private_answers(call: Call) -> Application:
    return add_applicant(
        call, 1, goals=SECRET_GOAL, exclude_emails=["boss@test.example"],
        balance={"Gender": "non-binary"},
    )  # fmt: skip


@pytest.mark.parametrize(
    ("persona", "status"),
    [("director", 200), ("evaluator", 403), ("member", 404), ("senior", 404),
     ("outsider", 404), ("other_director", 404), ("admin", 404)],
)  # fmt: skip
def test_intake_answers_are_for_the_program_director_only(
    world: World, call: Call, persona: str, status: int
) -> None:
    _private_answers(call)
    response = client_for(world.persona(persona)).get(reverse("application_list", args=[call.pk]))
    assert response.status_code == status
    assert (SECRET_GOAL in response.content.decode()) == (status == 200)


def test_another_applicant_sees_no_one_elses_answers(world: World, call: Call) -> None:
    _private_answers(call)
    other = add_applicant(call, 2, user=world.member, email=world.member.email)
    client = client_for(world.member)
    for url in (
        reverse("call_public", args=[call.slug]),
        reverse("application_status", args=[services.application_token(other)]),
    ):
        page = client.get(url).content.decode()
        assert SECRET_GOAL not in page
        assert "non-binary" not in page
        assert "boss@test.example" not in page


def test_balance_answers_never_reach_the_group_page(world: World, call: Call) -> None:
    person = add_applicant(call, 1, user=world.outsider, email=world.outsider.email,
                           balance={"Gender": "non-binary"})  # fmt: skip
    created = services.formation_publish(
        run=done_run(call, [person, add_applicant(call, 2)]), actor=world.director
    )
    page = client_for(world.outsider).get(reverse("group_detail", args=[created[0].group_id]))
    assert page.status_code == 200
    assert "non-binary" not in page.content.decode()


def test_a_bad_link_to_an_application_is_404(world: World) -> None:
    assert client_for(None).get(reverse("application_status", args=["nope"])).status_code == 404


def test_a_draft_call_has_no_public_page(world: World, call: Call) -> None:
    services.call_set_status(call=call, status="draft", actor=world.director)
    assert client_for(None).get(reverse("call_public", args=[call.slug])).status_code == 404


def _intake(**extra: Any) -> dict[str, Any]:
    return {
        "name": "Nia Newcomer",
        "email": "nia@test.example",
        "career_stage": "junior",
        "department": "Psychiatry",
        "interests": ["assessment", "writing"],
        "tags": "podcasting, coaching",
        "availability": ["Tue07", "Thu12"],
        "exclude_emails": "boss@test.example",
        **extra,
    }


def test_the_intake_form_without_an_account(world: World, call: Call) -> None:
    client = client_for(None, csrf=False)
    form = client.get(reverse("call_apply", args=[call.slug])).content.decode()
    assert 'name="availability" value="Tue07" id="slot-Tue07"' in form
    assert '<span class="visually-hidden">Tuesday 07:00</span>' in form
    data = _intake(balance_gender="woman", consent_gender="on")
    response = client.post(reverse("call_apply", args=[call.slug]), data)
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.tags == ["podcasting", "coaching"]
    assert application.balance == {"Gender": "woman"}
    assert application.exclude_emails == ["boss@test.example"]
    page = client.get(response["Location"]).content.decode()
    assert "Confirm my application" in page
    client.post(response["Location"], {"action": "confirm"})
    application.refresh_from_db()
    assert application.confirmed_at is not None


def test_a_balance_answer_without_consent_is_refused(world: World, call: Call) -> None:
    response = client_for(None).post(
        reverse("call_apply", args=[call.slug]), _intake(balance_gender="woman")
    )
    assert response.status_code == 200
    assert "Tick the consent box" in response.content.decode()
    assert not Application.objects.exists()


def test_a_bad_exclusion_line_is_named(world: World, call: Call) -> None:
    response = client_for(None).post(
        reverse("call_apply", args=[call.slug]), _intake(exclude_emails="ok@test.example\nmy boss")
    )
    assert "Line 2: “my boss” is not an e-mail address." in response.content.decode()


def test_a_signed_in_applicant_is_not_asked_for_name_or_email(world: World, call: Call) -> None:
    client = client_for(world.outsider)
    form = client.get(reverse("call_apply", args=[call.slug])).content.decode()
    assert 'name="email"' not in form
    response = client.post(reverse("call_apply", args=[call.slug]), _intake())
    assert response.status_code == 302
    assert Application.objects.get().user == world.outsider
    public = client.get(reverse("call_public", args=[call.slug])).content.decode()
    assert "See your application" in public


def test_withdrawing_from_the_private_page(world: World, call: Call) -> None:
    person = add_applicant(call, 1)
    token = services.application_token(person)
    client_for(None).post(reverse("application_withdraw", args=[token]))
    person.refresh_from_db()
    assert person.status == "withdrawn"


def test_the_director_creates_and_opens_a_call(world: World) -> None:
    client = client_for(world.director)
    response = client.post(
        reverse("call_create", args=[world.program.slug]),
        {
            "title": "Open call 2027",
            "opens_on": "2026-01-01",
            "closes_on": "2099-01-01",
            "interests": "assessment\nwriting\n",
            "balance": "Gender: woman, man, non-binary",
            "consent_text": "I agree.",
            "min_size": 5,
            "max_size": 7,
            "time_zone": "UTC",
        },
    )
    call = Call.objects.get()
    assert response["Location"] == reverse("call_manage", args=[call.pk])
    assert call.status == "draft"
    assert call.interests == ["assessment", "writing"]
    assert call.balance_categories[0]["options"] == ["woman", "man", "non-binary"]
    client.post(reverse("call_set_status", args=[call.pk]), {"status": "open"})
    call.refresh_from_db()
    assert call.status == "open"
    edit = client.get(reverse("call_edit", args=[call.pk])).content.decode()
    assert "Gender: woman, man, non-binary" in edit


def test_starting_a_run_leads_to_its_proposal_with_reasons(world: World, call: Call) -> None:
    for n in range(6):
        add_applicant(call, n)
    client = client_for(world.director)
    response = client.post(
        reverse("formation_start", args=[call.pk]),
        {"min_size": 2, "max_size": 3, "seconds": 1},
    )
    run = FormationRun.objects.get()
    assert response["Location"] == reverse("formation_run", args=[run.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Shared interests" in page
    assert "Weekly hours all are free" in page
    assert "Tue 07:00" in page
    assert "Publish these groups" in page


def test_progress_asks_the_page_to_reload_when_done(world: World, call: Call) -> None:
    run = done_run(call, [add_applicant(call, n) for n in range(4)])
    url = reverse("formation_progress", args=[run.pk])
    response = client_for(world.director).get(url, headers={"HX-Request": "true"})
    assert response["HX-Refresh"] == "true"
    opened = client_for(world.director).get(url)  # not polled: the run's whole page instead
    assert opened.status_code == 302
    assert opened["Location"] == reverse("formation_run", args=[run.pk])
    run.status = FormationRun.Status.QUEUED
    run.save()
    page = client_for(world.director).get(url, headers={"HX-Request": "true"})
    assert 'hx-trigger="every 2s"' in page.content.decode()
    assert "db_worker" in page.content.decode()


def test_moving_through_the_page(world: World, call: Call) -> None:
    people = [add_applicant(call, n) for n in range(4)]
    run = done_run(call, people)
    client = client_for(world.director)
    client.post(
        reverse("formation_move", args=[run.pk]), {"application": people[0].pk, "target": "2"}
    )
    run.refresh_from_db()
    assert people[0].pk in run.result["groups"][1]
    page = client.get(reverse("formation_run", args=[run.pk])).content.decode()
    assert "3 members: more than the maximum of 2" in page
    assert "pinned" in page


def test_the_application_list_needs_a_constant_number_of_queries(
    world: World, call: Call, django_assert_max_num_queries: Any
) -> None:
    for n in range(30):
        add_applicant(call, n)
    client = client_for(world.director)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("application_list", args=[call.pk])).status_code == 200


def test_the_proposal_page_needs_a_constant_number_of_queries(
    world: World, call: Call, django_assert_max_num_queries: Any
) -> None:
    run = done_run(call, [add_applicant(call, n) for n in range(30)], size=3)
    client = client_for(world.director)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("formation_run", args=[run.pk])).status_code == 200


def test_the_program_page_links_directors_to_enrolment(world: World) -> None:
    url = reverse("program_detail", args=[world.program.slug])
    assert (
        reverse("call_list", args=[world.program.slug])
        in client_for(world.director).get(url).content.decode()
    )
    assert "Enrolment" not in client_for(world.evaluator).get(url).content.decode()
