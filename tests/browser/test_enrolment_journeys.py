"""Enrolment journeys: a director forms groups, moves a person, re-optimises and publishes;
an applicant without an account applies from a phone."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from peermentor.enrolment.models import Application, CohortGroup, FormationRun
from peermentor.programs.models import Invitation, Membership
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD, World
from tests.enrolment.conftest import add_applicant, open_call

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/shots")  # noqa: S108 - screenshots to look at, as the brief asks


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_director_forms_moves_and_publishes(page: Any, live_server: Any, world: World) -> None:
    call = open_call(world, min_size=3, max_size=4)
    people = [add_applicant(call, n) for n in range(12)]
    add_applicant(call, 12, user=world.far_member, email=world.far_member.email)
    people[3].exclude_emails = [people[4].email]
    people[3].save()

    sign_in(page, live_server, world.director.email, PASSWORD)
    page.goto(f"{live_server.url}/programs/{world.program.slug}/")
    page.get_by_role("link", name="Enrolment and group formation").click()
    _shot(page, "enrolment-calls")
    page.get_by_role("link", name="Groups 2027").click()
    _shot(page, "enrolment-call-manage")
    page.get_by_role("link", name="Applications").click()
    expect(page.get_by_role("rowheader", name=re.compile("Applicant 3"))).to_be_visible()
    _shot(page, "enrolment-applications")

    page.get_by_role("link", name="Form groups").first.click()
    page.get_by_label("Time limit (seconds)").fill("2")
    page.get_by_label("Number of groups (optional)").fill("3")
    _shot(page, "enrolment-formation-form")
    page.get_by_role("button", name="Form groups").click()
    expect(page.get_by_role("button", name="Publish these groups")).to_be_visible()
    expect(
        page.get_by_role("heading", name=re.compile("3 groups, 1 to the waitlist"))
    ).to_be_visible()
    _shot(page, "enrolment-proposal")

    run = FormationRun.objects.get()
    mover = Application.objects.get(pk=run.result["groups"][0][0])
    page.get_by_label(f"Move {mover.name} to").select_option("2")
    page.get_by_role("button", name=f"Move {mover.name}", exact=True).click()
    expect(page.get_by_text("Moved. Re-optimise")).to_be_visible()
    second = page.get_by_role("region", name=re.compile("^Group 2"))
    expect(second.get_by_label(f"Move {mover.name} to", exact=True)).to_be_visible()
    expect(second.get_by_text("pinned")).to_be_visible()
    _shot(page, "enrolment-proposal-moved")

    page.get_by_role("button", name="Re-optimise around the pins").click()
    expect(page.get_by_role("button", name="Publish these groups")).to_be_visible()
    latest = FormationRun.objects.order_by("-pk").first()
    assert latest.status == "done"
    assert mover.pk in latest.result["groups"][1]
    page.get_by_role("button", name="Publish these groups").click()
    expect(page.get_by_text("3 groups are published")).to_be_visible()
    _shot(page, "enrolment-cohort")

    assert CohortGroup.objects.count() == 3
    assert Invitation.objects.filter(group__isnull=False).count() == 12
    waiting = Application.objects.get(status="waitlisted")
    assert waiting.user == world.far_member  # applied last: no place among 3 groups of 4
    placed = Application.objects.get(pk=mover.pk)
    assert placed.group.name.endswith("Group 2")
    assert not Membership.objects.filter(user=world.far_member, group__program=world.program)

    page.get_by_role("link", name="Enrolment", exact=True).click()
    page.get_by_role("table").get_by_role("link", name="Groups 2027").click()
    page.get_by_role("link", name="Waitlist").click()
    expect(page.get_by_role("rowheader", name=waiting.name)).to_be_visible()
    _shot(page, "enrolment-waitlist")


def test_applicant_without_an_account_applies_from_a_phone(
    page: Any, live_server: Any, world: World
) -> None:
    call = open_call(world)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/join/{call.slug}/")
    _shot(page, "enrolment-public-call")
    page.get_by_role("link", name="Apply").click()
    page.get_by_label("Your name").fill("Nia Newcomer")
    page.get_by_label("Your e-mail address").fill("nia@test.example")
    page.get_by_label("Junior faculty").check()
    page.get_by_label("Department").fill("Psychiatry")
    page.get_by_label("assessment").check()
    page.get_by_label("Tuesday 07:00").check()
    page.get_by_label("Thursday 12:00").focus()
    page.keyboard.press("Space")
    page.get_by_label("Gender (optional)").select_option("woman")
    page.get_by_label(re.compile("I agree that the director")).check()
    _shot(page, "enrolment-intake-phone")
    page.get_by_role("button", name="Send my application").click()
    expect(page.get_by_role("button", name="Confirm my application")).to_be_visible()
    page.get_by_role("button", name="Confirm my application").click()
    expect(page.get_by_text("Your application is confirmed.")).to_be_visible()
    _shot(page, "enrolment-application-status")
    application = Application.objects.get()
    assert application.availability == ["Tue07", "Thu12"]
    assert application.balance == {"Gender": "woman"}
    assert application.confirmed_at is not None
