"""What each resource answers, and to whom: the same content the pages show, no more."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.access_routes_api import API_OPERATIONS
from tests.api.conftest import call, make_token
from tests.conftest import PERSONAS, World

V1 = "/api/v1"


def test_programs_list_my_roles(world: World, tokens: dict[str, Any]) -> None:
    def roles(persona: str) -> dict[str, list[str]]:
        body = call(f"{V1}/programs", tokens[persona]).json()
        return {p["slug"]: p["my_roles"] for p in body}

    assert roles("member") == {"psych": ["member"]}
    assert roles("director") == {"psych": ["director"]}
    assert roles("evaluator") == {"psych": ["evaluator"]}
    assert roles("other_director") == {"surg": ["director"]}
    assert roles("admin") == {}


def test_director_sees_group_counts_of_the_program(world: World, tokens: dict[str, Any]) -> None:
    body = call(f"{V1}/programs/psych", tokens["director"]).json()
    counts = {g["name"]: g["current_members"] for g in body["groups"]}
    assert counts == {"Group A": 3, "Group B": 1}


def test_group_members_without_email_addresses(world: World, tokens: dict[str, Any]) -> None:
    world.other_member.name = ""
    world.other_member.save()
    for persona in ("member", "director"):
        body = call(f"{V1}/groups/{world.group.pk}/members", tokens[persona]).json()
        names = {m["name"] for m in body}
        assert names == {"Member", "Senior", f"Member {world.other_member.pk}"}
        assert "@" not in str(body)


def test_member_reads_a_meeting_with_agenda_notes_and_attendance(
    world: World, tokens: dict[str, Any], content: dict[str, Any]
) -> None:
    meeting = content["meeting"]
    body = call(f"{V1}/meetings/{meeting.pk}", tokens["other_member"]).json()
    assert body["notes"] == "Private notes of group A"
    assert [item["title"] for item in body["agenda"]] == ["Promotion dossier"]
    assert {a["name"] for a in body["attendance"]} == {"Member", "Other_Member", "Senior"}
    listed = call(f"{V1}/groups/{world.group.pk}/meetings", tokens["senior"]).json()
    assert [m["id"] for m in listed] == [meeting.pk]
    assert listed[0]["agenda_items"] == 1


def test_directors_and_evaluators_never_reach_group_content(
    world: World, tokens: dict[str, Any], content: dict[str, Any]
) -> None:
    meeting = content["meeting"]
    for persona in ("director", "evaluator", "other_director", "outsider", "admin"):
        for path in (
            f"{V1}/meetings/{meeting.pk}",
            f"{V1}/groups/{world.group.pk}/meetings",
            f"{V1}/groups/{world.group.pk}/goals",
            f"{V1}/groups/{world.group.pk}/works",
        ):
            response = call(path, tokens[persona])
            assert response.status_code in {403, 404}, (persona, path)
            assert "Private notes" not in response.content.decode()
            assert "Write the paper" not in response.content.decode()


def test_shared_goals_only(world: World, tokens: dict[str, Any], content: dict[str, Any]) -> None:
    body = call(f"{V1}/groups/{world.group.pk}/goals", tokens["other_member"]).json()
    assert [g["title"] for g in body] == ["Write the paper"]
    assert body[0]["owner"] == "Member"


def test_works_of_me_and_of_my_group(
    world: World, tokens: dict[str, Any], content: dict[str, Any]
) -> None:
    mine = call(f"{V1}/me/works", tokens["member"]).json()
    assert [w["title"] for w in mine] == ["Our shared paper"]
    assert call(f"{V1}/me/works", tokens["senior"]).json() == []
    group = call(f"{V1}/groups/{world.group.pk}/works", tokens["senior"]).json()
    assert [w["title"] for w in group["shared_works"]] == ["Our shared paper"]
    assert {m["name"] for m in group["members"]} == {"Member", "Other_Member", "Senior"}


def test_program_works_suppress_small_groups(
    world: World, tokens: dict[str, Any], content: dict[str, Any]
) -> None:
    body = call(f"{V1}/programs/psych/works", tokens["evaluator"]).json()
    assert body["people"] == 4
    assert all(row["suppressed"] and row["before_count"] is None for row in body["groups"])
    assert "Our shared paper" not in str(body)


def test_survey_counts_for_directors_and_evaluators(
    world: World, tokens: dict[str, Any], content: dict[str, Any]
) -> None:
    waves = call(f"{V1}/programs/psych/surveys", tokens["director"]).json()
    assert [(w["invited"], w["answered"], w["responses"]) for w in waves] == [(3, 0, 0)]
    detail = call(f"{V1}/surveys/waves/{content['wave_id']}", tokens["evaluator"]).json()
    assert detail["groups"] == [{"group": "Group A", "invited": 3, "answered": 0, "percent": 0}]
    assert "token" not in str(detail).lower()


def test_evaluator_reads_codebook_and_coded_passages(
    world: World, tokens: dict[str, Any], content: dict[str, Any]
) -> None:
    codes = call(f"{V1}/programs/psych/workbench/codes", tokens["evaluator"]).json()
    assert [(c["name"], c["segments"]) for c in codes] == [("Accountability", 1)]
    page = call(f"{V1}/programs/psych/workbench/segments", tokens["evaluator"]).json()
    assert page["count"] == 1
    assert page["items"][0]["quote"] == "group"
    assert page["items"][0]["respondent"] == "R01"


def test_another_coders_open_blind_round_stays_hidden(
    world: World, tokens: dict[str, Any], content: dict[str, Any]
) -> None:
    from peermentor.qualitative.models import Coder, CodingRound, Segment

    colleague = Coder.objects.create(program=world.program, kind="imported", name="Colleague")
    blind = CodingRound.objects.create(program=world.program, name="Round 1", blind=True)
    Segment.objects.create(
        source=content["segment"].source,
        code=content["code"],
        coder=colleague,
        round=blind,
        start=0,
        end=3,
    )
    path = f"{V1}/programs/psych/workbench/segments"
    assert call(path, tokens["evaluator"]).json()["count"] == 1
    blind.status = CodingRound.Status.CLOSED
    blind.save()
    assert call(path, tokens["evaluator"]).json()["count"] == 2
    narrowed = call(path, tokens["evaluator"], limit=1, offset=1, code=content["code"].pk).json()
    assert (narrowed["count"], len(narrowed["items"]), narrowed["items"][0]["start"]) == (2, 1, 4)


def test_no_answer_holds_anothers_email_address(
    world: World, tokens: dict[str, Any], content: dict[str, Any]
) -> None:
    for (_, template), operation in API_OPERATIONS.items():
        path = operation.path(template, world)
        for persona in PERSONAS[1:]:
            body = call(path, tokens[persona]).content.decode()
            own = world.persona(persona).email
            assert "@test.example" not in body.replace(own, ""), (persona, template)


def _queries(path: str, secret: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert call(path, secret).status_code == 200
    return len(queries)


def test_lists_cost_the_same_queries_whatever_their_length(
    world: World, content: dict[str, Any]
) -> None:
    from peermentor.goals import services as goals
    from peermentor.meetings import services as meetings

    secret = make_token(world.member)
    call(f"{V1}/me", secret)  # records the first use, an UPDATE the later calls skip
    paths = [
        f"{V1}/groups/{world.group.pk}/meetings",
        f"{V1}/groups/{world.group.pk}/goals",
        f"{V1}/meetings/{content['meeting'].pk}",
        f"{V1}/groups",
        f"{V1}/programs",
    ]
    before = [_queries(path, secret) for path in paths]
    for day in range(5):
        meetings.meeting_create(
            group=world.group,
            starts_at=timezone.now() + dt.timedelta(days=10 + day),
            actor=world.other_member,
        )
        goals.goal_create(
            owner=world.senior,
            group=world.group,
            title=f"Goal {day}",
            category="teaching",
            visibility="group",
            milestones=["One", "Two"],
        )
        meetings.agenda_item_add(
            group=world.group,
            meeting=content["meeting"],
            proposer=world.senior,
            title=f"Item {day}",
            kind="professional",
            minutes=5,
        )
    assert [_queries(path, secret) for path in paths] == before
