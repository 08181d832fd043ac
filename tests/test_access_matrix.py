"""Every URL of the project against every persona: who gets the page, a 403, a 404 or the login.

The matrix fails when a URL pattern of PeerMentor is not in it, so a new page cannot ship without
saying who may see it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from peermentor.goals import services as goal_services
from peermentor.meetings import services as meeting_services
from peermentor.programs import services
from peermentor.programs.forms import DEFAULT_CHARTER
from tests.access_routes_analysis import ROUTES as ANALYSIS_ROUTES
from tests.access_routes_api import ROUTES as API_ROUTES
from tests.access_routes_enrolment import ROUTES as ENROLMENT_ROUTES
from tests.access_routes_exchange import ROUTES as EXCHANGE_ROUTES
from tests.access_routes_ops import ROUTES as OPS_ROUTES
from tests.access_routes_privacy import ROUTES as PRIVACY_ROUTES
from tests.access_routes_qualitative import ROUTES as QUALITATIVE_ROUTES
from tests.access_routes_reports import ROUTES as REPORT_ROUTES
from tests.access_support import (
    FORBIDDEN,
    GROUP_A_MEMBERS,
    LOGIN,
    NOT_FOUND,
    OK,
    REDIRECT,
    Route,
    expect,
    survey_wave,
)
from tests.conftest import PERSONAS, World, client_for


def _group_a(world: World) -> dict[str, Any]:
    return {"group_id": world.group.pk}


def _open_invitation(world: World) -> dict[str, Any]:
    invitation = services.invitation_create(
        program=world.program,
        group=world.group,
        email="invitee@test.example",
        role="member",
        invited_by=world.director,
    )
    return {"slug": world.program.slug, "invitation_id": invitation.pk}


def _open_proposal(world: World) -> dict[str, Any]:
    charter = world.group.charters.filter(status="proposed").first() or services.charter_propose(
        group=world.group, proposer=world.member, data=DEFAULT_CHARTER
    )
    return {"group_id": world.group.pk, "version": charter.version}


def _invitation_token(world: World) -> dict[str, Any]:
    invitation = services.invitation_create(
        program=world.program,
        group=world.group,
        email="invitee@test.example",
        role="member",
        invited_by=world.director,
    )
    return {"token": services.invitation_token(invitation=invitation)}


def _other_membership(world: World) -> dict[str, Any]:
    return {"membership_id": world.membership_of(world.other_member).pk}


def _meeting(world: World) -> Any:
    from peermentor.meetings.models import Meeting

    existing = Meeting.objects.filter(group=world.group).first()
    return existing or meeting_services.meeting_create(
        group=world.group, starts_at=timezone.now() + dt.timedelta(days=3), actor=world.member
    )


def _meeting_kwargs(world: World) -> dict[str, Any]:
    return {"meeting_id": _meeting(world).pk}


def _agenda_item(world: World) -> dict[str, Any]:
    item = meeting_services.agenda_item_add(
        group=world.group,
        meeting=_meeting(world),
        proposer=world.member,
        title="Promotion",
        kind="professional",
        minutes=20,
    )
    return {"item_id": item.pk}


def _action(world: World) -> dict[str, Any]:
    item = meeting_services.action_item_add(
        group=world.group,
        meeting=_meeting(world),
        owner=world.member,
        title="Draft abstract",
        due_on=None,
        actor=world.member,
    )
    return {"action_id": item.pk}


def _poll(world: World) -> dict[str, Any]:
    from peermentor.meetings.models import AvailabilityPoll

    poll = AvailabilityPoll.objects.filter(group=world.group).first() or (
        meeting_services.poll_create(
            group=world.group,
            creator=world.member,
            title="Next meeting",
            kind="dates",
            duration_minutes=60,
            deadline=timezone.now() + dt.timedelta(days=5),
            starts=[timezone.now() + dt.timedelta(days=10, hours=h) for h in (0, 2)],
        )
    )
    return {"poll_id": poll.pk}


def _feed(world: World) -> dict[str, Any]:
    return {"token": meeting_services.calendar_feed_create(user=world.member)}


def _poll_answers(world: World) -> dict[str, Any]:
    from peermentor.meetings.models import PollOption

    return {f"answer_{o.pk}": "yes" for o in PollOption.objects.filter(poll__group=world.group)}


def _shared_goal(world: World) -> dict[str, Any]:
    goal = goal_services.goal_create(
        owner=world.member,
        group=world.group,
        title="Write paper",
        category="scholarship",
        visibility="group",
    )
    return {"goal_id": goal.pk}


def _topic(world: World) -> Any:
    return goal_services.topic_save(
        program=world.program,
        actor=world.director,
        title="Grants",
        description="Writing grants",
        questions="",
        resources="",
    )


def _plan(world: World) -> dict[str, Any]:
    meeting = _meeting(world)
    plan = goal_services.topic_adopt(
        group=world.group, topic=_topic(world), meeting=meeting, actor=world.member
    )
    return {"plan_id": plan.pk}


def _resource(world: World) -> dict[str, Any]:
    resource = goal_services.resource_post(
        group=world.group,
        actor=world.member,
        kind="file",
        title="Call",
        file_name="call.pdf",
        file_data=b"%PDF-1.4 test",
    )
    return {"resource_id": resource.pk}


def _pending_claim(world: World) -> dict[str, Any]:
    from peermentor.scholarship.models import Authorship, Work

    work = Work.objects.create(type="journal_article", title="A paper", year=2020)
    authorship = Authorship.objects.create(
        work=work,
        position=1,
        name=world.member.name,
        member=world.member,
        match="name",
        claim="pending",
    )
    return {"authorship_id": authorship.pk}


def _career_event(world: World) -> dict[str, Any]:
    from peermentor.scholarship import services as scholarship

    event = scholarship.career_event_add(
        user=world.member, kind="award", title="Teaching award", date=dt.date(2021, 5, 1)
    )
    return {"event_id": event.pk}


def _survey_wave_kwargs(world: World) -> dict[str, Any]:
    return {"wave_id": survey_wave(world).pk}


def _survey_instrument(world: World) -> dict[str, Any]:
    return {"instrument_id": survey_wave(world).instrument_id}


def _survey_question(world: World) -> dict[str, Any]:
    return {"question_id": survey_wave(world).instrument.questions.first().pk}


def _survey_token(world: World) -> dict[str, Any]:
    from peermentor.surveys import services as surveys

    invitee = survey_wave(world).invitees.get(user=world.member)
    return {"token": surveys.invitee_token(invitee)}


_MEMBERS_ONLY = {p: OK for p in GROUP_A_MEMBERS}
_MEMBERS_REDIRECT = {p: REDIRECT for p in GROUP_A_MEMBERS}
_GROUP_PAGE = expect(NOT_FOUND, director=FORBIDDEN, **_MEMBERS_ONLY)
_GROUP_POST = expect(NOT_FOUND, director=FORBIDDEN, **_MEMBERS_REDIRECT)
_MEETING_PAGE = expect(NOT_FOUND, **_MEMBERS_ONLY)
_MEETING_POST = expect(NOT_FOUND, **_MEMBERS_REDIRECT)
_OWNER_POST = expect(NOT_FOUND, member=REDIRECT, other_member=FORBIDDEN, senior=FORBIDDEN)
_TOPIC_MANAGE = expect(FORBIDDEN, director=OK, other_director=NOT_FOUND, admin=NOT_FOUND)
_DIRECTOR_ONLY = expect(NOT_FOUND, director=OK, evaluator=FORBIDDEN)

# The tables of newer areas live in their own modules; list each one here.
AREA_TABLES: list[dict[str, Route]] = [
    ENROLMENT_ROUTES,
    QUALITATIVE_ROUTES,
    ANALYSIS_ROUTES,
    EXCHANGE_ROUTES,
    REPORT_ROUTES,
    API_ROUTES,
    OPS_ROUTES,
    PRIVACY_ROUTES,
]

MATRIX: dict[str, Route] = {
    "home": Route(lambda w: {}, expect(OK)),
    "health": Route(lambda w: {}, {p: OK for p in PERSONAS}),
    "profile": Route(lambda w: {}, expect(OK)),
    "program_create": Route(
        lambda w: {}, expect(FORBIDDEN, director=OK, other_director=OK, admin=OK)
    ),
    "program_detail": Route(
        lambda w: {"slug": w.program.slug}, expect(NOT_FOUND, director=OK, evaluator=OK)
    ),
    "group_create": Route(lambda w: {"slug": w.program.slug}, _DIRECTOR_ONLY),
    "invitation_create": Route(lambda w: {"slug": w.program.slug}, _DIRECTOR_ONLY),
    "invitation_revoke": Route(
        _open_invitation, {**_DIRECTOR_ONLY, "director": REDIRECT}, method="post"
    ),
    "group_detail": Route(_group_a, expect(NOT_FOUND, director=OK, **_MEMBERS_ONLY)),
    "charter": Route(_group_a, expect(NOT_FOUND, director=FORBIDDEN, **_MEMBERS_ONLY)),
    "charter_propose": Route(_group_a, expect(NOT_FOUND, director=FORBIDDEN, **_MEMBERS_ONLY)),
    "charter_decide": Route(
        _open_proposal,
        expect(NOT_FOUND, director=FORBIDDEN, **{p: REDIRECT for p in GROUP_A_MEMBERS}),
        method="post",
        data=lambda w: {"decision": "approve"},
    ),
    "charter_withdraw": Route(
        _open_proposal,
        expect(NOT_FOUND, director=FORBIDDEN, **{p: REDIRECT for p in GROUP_A_MEMBERS}),
        method="post",
    ),
    "membership_role": Route(
        _other_membership,
        expect(NOT_FOUND, director=REDIRECT, **{p: FORBIDDEN for p in GROUP_A_MEMBERS}),
        method="post",
        data=lambda w: {"role": "senior_mentor"},
    ),
    "membership_end": Route(
        _other_membership,
        expect(NOT_FOUND, director=OK, **{p: FORBIDDEN for p in GROUP_A_MEMBERS}),
    ),
    "invitation_accept": Route(_invitation_token, {p: OK for p in PERSONAS}),
    # Meetings: group-private. Lists of a group answer 403 to its director, who may see the
    # group; a meeting, poll or item itself is 404 to everyone outside the group.
    "meeting_list": Route(_group_a, _GROUP_PAGE),
    "meeting_history": Route(_group_a, _GROUP_PAGE),
    "meeting_create": Route(_group_a, _GROUP_PAGE),
    "poll_create": Route(_group_a, _GROUP_PAGE),
    "agenda_add": Route(
        _group_a,
        _GROUP_POST,
        method="post",
        data=lambda w: {"title": "Grants", "kind": "professional", "minutes": 10},
    ),
    "meeting_detail": Route(_meeting_kwargs, _MEETING_PAGE),
    "meeting_edit": Route(_meeting_kwargs, _MEETING_PAGE),
    "meeting_notes": Route(_meeting_kwargs, _MEETING_PAGE),
    "meeting_ics": Route(_meeting_kwargs, _MEETING_PAGE),
    "meeting_roles": Route(_meeting_kwargs, _MEETING_POST, method="post"),
    "attendance_save": Route(_meeting_kwargs, _MEETING_POST, method="post"),
    "agenda_order": Route(_meeting_kwargs, _MEETING_POST, method="post"),
    "action_add": Route(_meeting_kwargs, _MEETING_POST, method="post"),
    "agenda_vote": Route(_agenda_item, _MEETING_POST, method="post"),
    "agenda_move": Route(_agenda_item, _MEETING_POST, method="post"),
    "agenda_mark": Route(
        _agenda_item,
        _MEETING_POST,
        method="post",
        data=lambda w: {"status": "discussed", "actual_minutes": "12"},
    ),
    "action_status": Route(
        _action, _MEETING_POST, method="post", data=lambda w: {"status": "done"}
    ),
    "poll_detail": Route(_poll, _MEETING_PAGE),
    "poll_vote": Route(_poll, _MEETING_POST, method="post", data=_poll_answers),
    "poll_busy": Route(_poll, _MEETING_POST, method="post"),
    "poll_finalise": Route(_poll, _MEETING_POST, method="post"),
    "calendar_settings": Route(lambda w: {}, expect(OK)),
    # Goals: a goal shared with group A. Its members see it; only its owner changes it.
    "goal_list": Route(lambda w: {}, expect(OK)),
    "goal_create": Route(lambda w: {}, expect(REDIRECT, outsider=OK, **_MEMBERS_ONLY)),
    "development_plan": Route(lambda w: {"fmt": "md"}, expect(OK)),
    "goal_detail": Route(_shared_goal, _MEETING_PAGE),
    "goal_edit": Route(
        _shared_goal, expect(NOT_FOUND, member=OK, other_member=FORBIDDEN, senior=FORBIDDEN)
    ),
    "goal_checkin": Route(
        _shared_goal, _OWNER_POST, method="post", data=lambda w: {"goal-1-progress": "50"}
    ),
    "milestone_add": Route(
        _shared_goal, _OWNER_POST, method="post", data=lambda w: {"title": "Outline"}
    ),
    "group_goals": Route(_group_a, _GROUP_PAGE),
    "year_plan": Route(_group_a, _GROUP_PAGE),
    "resource_board": Route(_group_a, _GROUP_PAGE),
    "accountability": Route(_meeting_kwargs, _MEETING_PAGE),
    "plan_remove": Route(_plan, _MEETING_POST, method="post"),
    "resource_download": Route(_resource, _MEETING_PAGE),
    "resource_remove": Route(_resource, _OWNER_POST, method="post"),
    # The topic library: everyone taking part in the program reads it; directors manage it.
    "topic_library": Route(
        lambda w: {"slug": w.program.slug}, expect(OK, other_director=NOT_FOUND, admin=NOT_FOUND)
    ),
    "topic_create": Route(lambda w: {"slug": w.program.slug}, _TOPIC_MANAGE),
    "topics_starter": Route(
        lambda w: {"slug": w.program.slug}, {**_TOPIC_MANAGE, "director": REDIRECT}, method="post"
    ),
    "topic_edit": Route(lambda w: {"topic_id": _topic(w).pk}, _TOPIC_MANAGE),
    # Works: my own works and claims; a group's figures for its members; aggregates for staff.
    "works_mine": Route(lambda w: {}, expect(OK)),
    "works_import": Route(lambda w: {}, expect(REDIRECT), method="post"),
    "claims": Route(lambda w: {}, expect(OK)),
    "career_add": Route(lambda w: {}, expect(REDIRECT), method="post"),
    "claim_decide": Route(
        _pending_claim,
        expect(NOT_FOUND, member=REDIRECT),
        method="post",
        data=lambda w: {"decision": "mine"},
    ),
    "career_remove": Route(_career_event, expect(NOT_FOUND, member=REDIRECT), method="post"),
    "group_works": Route(_group_a, _GROUP_PAGE),
    "program_productivity": Route(
        lambda w: {"slug": w.program.slug}, expect(NOT_FOUND, director=OK, evaluator=OK)
    ),
    "program_figures": Route(
        lambda w: {"slug": w.program.slug}, expect(NOT_FOUND, director=OK, evaluator=OK)
    ),
    # The secret token is the credential: whoever holds it gets the owner's feed.
    "calendar_feed": Route(_feed, {p: OK for p in PERSONAS}),
    # Surveys: directors manage instruments and waves and see counts; the program's evaluators
    # read pseudonymised answers; a personal link (the token is the credential) answers once.
    "program_surveys": Route(
        lambda w: {"slug": w.program.slug}, expect(NOT_FOUND, director=OK, evaluator=OK)
    ),
    "instrument_create_default": Route(
        lambda w: {"slug": w.program.slug},
        expect(NOT_FOUND, director=REDIRECT, evaluator=FORBIDDEN),
        method="post",
    ),
    "wave_create": Route(
        lambda w: {"slug": w.program.slug}, expect(NOT_FOUND, director=OK, evaluator=FORBIDDEN)
    ),
    "survey_import": Route(
        lambda w: {"slug": w.program.slug}, expect(NOT_FOUND, director=OK, evaluator=OK)
    ),
    "survey_import_map": Route(
        lambda w: {"slug": w.program.slug}, expect(NOT_FOUND, director=OK, evaluator=OK)
    ),
    "instrument_detail": Route(_survey_instrument, expect(NOT_FOUND, director=OK, evaluator=OK)),
    "instrument_question_add": Route(
        _survey_instrument,
        expect(NOT_FOUND, director=REDIRECT, evaluator=FORBIDDEN),
        method="post",
        data=lambda w: {"key": "extra", "type": "open_text", "label": "Anything else?"},
    ),
    "instrument_questions_import": Route(
        _survey_instrument,
        expect(NOT_FOUND, director=REDIRECT, evaluator=FORBIDDEN),
        method="post",
    ),
    "instrument_question_edit": Route(
        _survey_question, expect(NOT_FOUND, director=OK, evaluator=FORBIDDEN)
    ),
    "instrument_question_move": Route(
        _survey_question,
        expect(NOT_FOUND, director=REDIRECT, evaluator=FORBIDDEN),
        method="post",
        data=lambda w: {"direction": "down"},
    ),
    "wave_detail": Route(_survey_wave_kwargs, expect(NOT_FOUND, director=OK, evaluator=OK)),
    "wave_remind": Route(
        _survey_wave_kwargs,
        expect(NOT_FOUND, director=REDIRECT, evaluator=FORBIDDEN),
        method="post",
    ),
    "wave_answers": Route(_survey_wave_kwargs, expect(NOT_FOUND, director=FORBIDDEN, evaluator=OK)),
    "wave_answers_export": Route(
        lambda w: {**_survey_wave_kwargs(w), "fmt": "csv"},
        expect(NOT_FOUND, director=FORBIDDEN, evaluator=OK),
    ),
    "surveys_to_answer": Route(lambda w: {}, expect(OK)),
    "survey_answer": Route(_survey_token, {p: OK for p in PERSONAS}),
    "survey_thanks": Route(lambda w: {}, {p: OK for p in PERSONAS}),
}


for _area in AREA_TABLES:
    assert not set(_area) & set(MATRIX), f"routes listed twice: {set(_area) & set(MATRIX)}"
    MATRIX.update(_area)


def _project_url_names() -> set[str]:
    """Names of every URL pattern whose view is PeerMentor's own code."""
    names: set[str] = set()

    def walk(patterns: list[Any]) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern):
                module = getattr(pattern.callback, "__module__", "")
                if module.startswith("peermentor."):
                    assert pattern.name, f"URL pattern {pattern.pattern} of {module} has no name"
                    names.add(pattern.name)

    walk(get_resolver().url_patterns)
    return names


def test_every_project_url_is_in_the_matrix() -> None:
    missing = _project_url_names() - set(MATRIX)
    assert not missing, f"Add these URLs to the access matrix: {sorted(missing)}"
    stale = set(MATRIX) - _project_url_names()
    assert not stale, f"These matrix entries name no URL any more: {sorted(stale)}"
    # API operations are served by Ninja's views: list them from the OpenAPI description.
    from peermentor.api.v1 import api
    from tests.access_routes_api import API_OPERATIONS

    paths = api.get_openapi_schema()["paths"]
    operations = {(method.upper(), path) for path, ops in paths.items() for method in ops}
    assert operations == set(API_OPERATIONS), "Match tests/access_routes_api.API_OPERATIONS"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_access(world: World, name: str, persona: str) -> None:
    route = MATRIX[name]
    url = reverse(name, kwargs=route.kwargs(world))
    client = client_for(world.persona(persona))
    response = getattr(client, route.method)(url, route.data(world))
    expected = route.expected[persona]
    if expected == LOGIN:
        assert response.status_code == REDIRECT
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == expected, f"{persona} on {name}"


@pytest.mark.parametrize("persona", ["member", "outsider", "director", "evaluator"])
def test_state_changing_views_refuse_forged_posts(world: World, persona: str) -> None:
    """Without the CSRF token every state-changing URL answers 403 and changes nothing."""
    client = client_for(world.persona(persona), csrf=True)
    for name, route in MATRIX.items():
        if route.method != "post":
            continue
        url = reverse(name, kwargs=route.kwargs(world))
        response = client.post(url, route.data(world))
        assert response.status_code == FORBIDDEN, name
    assert world.group.charters.filter(status="adopted").count() == 0
    assert world.membership_of(world.other_member).role == "member"


def test_admin_is_for_site_administrators_only(world: World) -> None:
    assert client_for(world.admin).get(reverse("admin:index")).status_code == OK
    for persona in ("member", "director", "evaluator"):
        response = client_for(world.persona(persona)).get(reverse("admin:index"))
        assert response.status_code == REDIRECT, persona
