"""No leak: random (user, object) pairs across programs and groups, against DESIGN.md §2.

One seeded world (``leak_world``) is built per module: three programs of three groups, current
and former members, directors, evaluators, outsiders, a site administrator and people with two
hats. For each private model, at least 500 (user, object) pairs are drawn; for each pair both
the page (status and whether the object's unique text shows) and the ``rules`` permission are
checked against an oracle written here from DESIGN.md §2, never from the policies.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from peermentor.core.authorization import allowed
from tests.security.leak_world import Roster, build

PAIRS = 500
OK, REDIRECT, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404


# Only the middleware that decides who the person is and what a page needs to render: request
# logging, session re-saving and the like cost time here and decide nothing about access (the
# access matrix runs the full stack).
LEAN_MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "peermentor.accounts.middleware.UserTimeZoneMiddleware",
]


@pytest.fixture(scope="module")
def roster(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """The big world, built once for the module and rolled back at its end."""
    lean = override_settings(MIDDLEWARE=LEAN_MIDDLEWARE, SESSION_SAVE_EVERY_REQUEST=False)
    quiet = logging.getLogger("django.request")
    level, quiet.level = quiet.level, logging.ERROR  # thousands of expected 404s
    with lean, django_db_blocker.unblock(), transaction.atomic():
        yield build()
        transaction.set_rollback(True)
    quiet.level = level


class Browser:
    """One signed-in client per person; GET answers kept, as the data does not change."""

    def __init__(self) -> None:
        self.clients: dict[int, Client] = {}
        self.pages: dict[tuple[int, str], tuple[int, str]] = {}

    def client(self, user: Any) -> Client:
        if user.pk not in self.clients:
            client = Client()
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
            self.clients[user.pk] = client
        return self.clients[user.pk]

    def get(self, user: Any, url: str) -> tuple[int, str]:
        key = (user.pk, url)
        if key not in self.pages:
            response = self.client(user).get(url)
            if response.status_code == REDIRECT:
                body = ""
            elif response.streaming:
                body = b"".join(response.streaming_content).decode(errors="replace")
            else:
                body = response.content.decode()
            self.pages[key] = (response.status_code, body)
        return self.pages[key]

    def post(self, user: Any, url: str, data: dict[str, Any]) -> tuple[int, str]:
        response = self.client(user).post(url, data)
        return response.status_code, ""


# --- The oracle: DESIGN.md §2 in plain words -----------------------------------------------


def _group_private(r: Roster, user: Any, group_id: int) -> bool:
    """Meetings, agendas, notes, actions, resources: current members of the group only."""
    return r.member(user, group_id)


def _staff_status(r: Roster, user: Any, program_id: int, *, granted: bool) -> int:
    """Staff of the program who lack the right are told 403; everyone else learns nothing."""
    if granted:
        return OK
    if r.director(user, program_id) or r.evaluator(user, program_id):
        return FORBIDDEN
    return NOT_FOUND


@dataclass
class Case:
    """How to check one model: the permission, the oracle and the page."""

    perm: str
    may_see: Callable[[Roster, Any, Any], bool]
    visit: Callable[[Browser, Any, Any], tuple[int, str]]
    expected: Callable[[Roster, Any, Any], int]
    marker_shown: bool = True  # the object's unique text shows exactly when allowed
    target: Callable[[Any], Any] = lambda obj: obj  # what the permission is asked about


def _goal_visible(r: Roster, user: Any, goal: Any) -> bool:
    # A goal is its owner's; shared with the group, its current members see it; shared with
    # the program, the program's director sees it too. Private goals: the owner only.
    if goal.owner_id == user.pk:
        return True
    if goal.visibility == "private":
        return False
    if r.member(user, goal.group_id):
        return True
    return goal.visibility == "program" and r.director(user, goal.group.program_id)


def _code_slug(r: Roster, code: Any, rng: random.Random) -> Any:
    """Mostly the code's own program, sometimes another one (the object id in a wrong place)."""
    return code.program if rng.random() < 0.7 else rng.choice(r.programs)


CASES: dict[str, Case] = {
    "meeting": Case(
        "meetings.see",
        lambda r, u, m: _group_private(r, u, m.group_id),
        lambda b, u, m: b.get(u, reverse("meeting_detail", args=[m.pk])),
        lambda r, u, m: OK if _group_private(r, u, m.group_id) else NOT_FOUND,
        marker_shown=False,
    ),
    "notes": Case(
        "meetings.see",
        lambda r, u, m: _group_private(r, u, m.group_id),
        lambda b, u, m: b.get(u, reverse("meeting_notes", args=[m.pk])),
        lambda r, u, m: OK if _group_private(r, u, m.group_id) else NOT_FOUND,
    ),
    "agenda_item": Case(
        "meetings.see",
        lambda r, u, i: _group_private(r, u, i.group_id),
        lambda b, u, i: b.post(u, reverse("agenda_vote", args=[i.pk]), {}),
        lambda r, u, i: REDIRECT if _group_private(r, u, i.group_id) else NOT_FOUND,
        marker_shown=False,
    ),
    "action_item": Case(
        "meetings.see",
        lambda r, u, a: _group_private(r, u, a.group_id),
        lambda b, u, a: b.post(u, reverse("action_status", args=[a.pk]), {"status": "open"}),
        lambda r, u, a: REDIRECT if _group_private(r, u, a.group_id) else NOT_FOUND,
        marker_shown=False,
    ),
    "goal": Case(
        "goals.see_goal",
        _goal_visible,
        lambda b, u, g: b.get(u, reverse("goal_detail", args=[g.pk])),
        lambda r, u, g: OK if _goal_visible(r, u, g) else NOT_FOUND,
    ),
    "resource": Case(
        "goals.see_resource",
        lambda r, u, x: _group_private(r, u, x.group_id),
        lambda b, u, x: b.get(u, reverse("resource_download", args=[x.pk])),
        lambda r, u, x: OK if _group_private(r, u, x.group_id) else NOT_FOUND,
        marker_shown=False,
    ),
    # A name-only match is shown to the matched person alone, on their claim queue.
    "authorship": Case(
        "scholarship.claim",
        lambda r, u, a: a.member_id == u.pk,
        lambda b, u, a: b.get(u, reverse("claims")),
        lambda r, u, a: OK,
    ),
    "wave": Case(
        "surveys.see_surveys",
        lambda r, u, w: r.director(u, w.program_id) or r.evaluator(u, w.program_id),
        lambda b, u, w: b.get(u, reverse("wave_detail", args=[w.pk])),
        lambda r, u, w: (
            OK if r.director(u, w.program_id) or r.evaluator(u, w.program_id) else NOT_FOUND
        ),
        marker_shown=False,
    ),
    # Answers reach the program's evaluators, pseudonymised; directors see counts only.
    "answer": Case(
        "surveys.see_answers",
        lambda r, u, a: r.evaluator(u, a.response.wave.program_id),
        lambda b, u, a: b.get(u, reverse("wave_answers", args=[a.response.wave_id])),
        lambda r, u, a: _staff_status(
            r,
            u,
            a.response.wave.program_id,
            granted=r.evaluator(u, a.response.wave.program_id),
        ),
        target=lambda a: a.response.wave,
    ),
    "source": Case(
        "qualitative.use_workbench",
        lambda r, u, s: r.evaluator(u, s.program_id),
        lambda b, u, s: b.get(u, reverse("workbench_coding", args=[s.program.slug])),
        lambda r, u, s: _staff_status(r, u, s.program_id, granted=r.evaluator(u, s.program_id)),
    ),
    "application": Case(
        "enrolment.manage_call",
        lambda r, u, a: r.director(u, a.call.program_id),
        lambda b, u, a: b.get(u, reverse("application_list", args=[a.call_id])),
        lambda r, u, a: _staff_status(
            r, u, a.call.program_id, granted=r.director(u, a.call.program_id)
        ),
    ),
}


def _pairs(roster: Roster, model: str, rng: random.Random) -> list[tuple[Any, Any]]:
    """PAIRS distinct pairs when there are enough, else PAIRS draws with replacement."""
    everyone = [(u, o) for u in roster.users for o in roster.objects[model]]
    if len(everyone) >= PAIRS:
        return rng.sample(everyone, PAIRS)
    return [rng.choice(everyone) for _ in range(PAIRS)]


@pytest.mark.django_db
@pytest.mark.parametrize("model", sorted(CASES))
def test_no_leak(roster: Roster, model: str) -> None:
    case = CASES[model]
    rng = random.Random(f"leak-{model}")
    browser = Browser()
    seen = 0
    for user, obj in _pairs(roster, model, rng):
        may = case.may_see(roster, user, obj)
        assert allowed(user, case.perm, case.target(obj)) == may, (
            f"{case.perm} of {user} on {model} {obj.pk}"
        )
        status, body = case.visit(browser, user, obj)
        expected = case.expected(roster, user, obj)
        assert status == expected, f"{user} on {model} {obj.pk}: {status}, expected {expected}"
        marker = roster.marker.get((model, obj.pk))
        if marker is not None and case.marker_shown:
            assert (marker in body) == may, f"{model} {obj.pk} text shown to {user}: {not may}"
        elif marker is not None and not may:
            assert marker not in body
        seen += may
    if model == "agenda_item":  # refused votes were not counted
        from peermentor.meetings.models import AgendaVote

        for vote in AgendaVote.objects.select_related("item", "user"):
            assert roster.member(vote.user, vote.item.group_id), vote
    # The draw found both sides of the rule, so the test says something.
    assert 0 < seen < PAIRS, f"{model}: {seen} of {PAIRS} pairs allowed"


@pytest.mark.django_db
def test_code_pages_refuse_the_wrong_program(roster: Roster) -> None:
    """A code asked for under another program's address is not found, even by an evaluator."""
    rng = random.Random("leak-code")
    browser = Browser()
    codes = roster.objects["code"]
    for _ in range(PAIRS):
        user, code = rng.choice(roster.users), rng.choice(codes)
        program = _code_slug(roster, code, rng)
        may = roster.evaluator(user, code.program_id)
        assert allowed(user, "qualitative.use_workbench", code) == may
        status, body = browser.get(
            user, reverse("workbench_code_edit", args=[program.slug, code.pk])
        )
        if roster.evaluator(user, program.pk):
            expected = OK if program.pk == code.program_id else NOT_FOUND
        else:
            expected = _staff_status(roster, user, program.pk, granted=False)
        assert status == expected, f"{user} on code {code.pk} under {program.slug}"
        shown = roster.marker[("code", code.pk)] in body
        assert shown == (expected == OK and may)
