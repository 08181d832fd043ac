"""Access-matrix routes of enrolment: calls, intake, waitlist, cohorts, group formation.

Director pages answer 404 to outsiders and 403 to the program's evaluators: intake answers are
for directors only. The public page and the intake form answer everyone, anonymous included;
an applicant's private page answers whoever holds its link (the token is the credential).
"""

from __future__ import annotations

from typing import Any

from peermentor.enrolment import services
from peermentor.enrolment.models import Call, Cohort, CohortGroup, FormationRun
from tests.access_support import FORBIDDEN, NOT_FOUND, OK, REDIRECT, Route, expect
from tests.conftest import PERSONAS, World
from tests.enrolment.conftest import add_applicant, done_run, open_call

_PAGE = expect(NOT_FOUND, director=OK, evaluator=FORBIDDEN)
_POST = expect(NOT_FOUND, director=REDIRECT, evaluator=FORBIDDEN)
_EVERYONE = {p: OK for p in PERSONAS}


def _call(world: World) -> Call:
    return Call.objects.filter(program=world.program).first() or open_call(world)


def _call_kwargs(world: World) -> dict[str, Any]:
    return {"call_id": _call(world).pk}


def _slug(world: World) -> dict[str, Any]:
    return {"slug": _call(world).slug}


def _run(world: World) -> dict[str, Any]:
    call = _call(world)
    run = FormationRun.objects.filter(call=call).first()
    if run is None:
        run = done_run(call, [add_applicant(call, n) for n in range(4)])
    return {"run_id": run.pk}


def _person_in_run(world: World) -> dict[str, Any]:
    run = FormationRun.objects.get(pk=_run(world)["run_id"])
    return {"application": run.result["groups"][0][0], "target": "2", "pinned": "1"}


def _waitlisted(world: World) -> dict[str, Any]:
    call = _call(world)
    person = add_applicant(call, 50, status="waitlisted")
    return {"application_id": person.pk}


def _cohort(world: World) -> Cohort:
    cohort = Cohort.objects.filter(program=world.program).first()
    if cohort is None:
        cohort = services.cohort_create(
            program=world.program, name="2026", starts_on=world.group.formed_on,
            ends_on=world.group.formed_on, actor=world.director,
        )  # fmt: skip
        CohortGroup.objects.create(cohort=cohort, group=world.other_group, common_slots=["Tue07"])
    return cohort


def _cohort_group(world: World) -> dict[str, Any]:
    return {"cohort_group_id": _cohort(world).cohort_groups.get().pk}


def _decision(world: World) -> dict[str, Any]:
    return {f"g{_cohort_group(world)['cohort_group_id']}-decision": "closed"}


def _token(world: World) -> dict[str, Any]:
    return {"token": services.application_token(add_applicant(_call(world), 60))}


ROUTES: dict[str, Route] = {
    "call_list": Route(lambda w: {"slug": w.program.slug}, _PAGE),
    "call_create": Route(lambda w: {"slug": w.program.slug}, _PAGE),
    "cohort_create": Route(lambda w: {"slug": w.program.slug}, _PAGE),
    "call_manage": Route(_call_kwargs, _PAGE),
    "call_edit": Route(_call_kwargs, _PAGE),
    "call_set_status": Route(
        _call_kwargs, _POST, method="post", data=lambda w: {"status": "closed"}
    ),
    "application_list": Route(_call_kwargs, _PAGE),
    "formation_start": Route(_call_kwargs, _PAGE),
    "waitlist": Route(_call_kwargs, _PAGE),
    "waitlist_offer": Route(_waitlisted, _POST, method="post"),
    "formation_run": Route(_run, _PAGE),
    # Polled by htmx; opened on its own it sends the director to the run's page.
    "formation_progress": Route(_run, expect(NOT_FOUND, director=REDIRECT, evaluator=FORBIDDEN)),
    "formation_move": Route(_run, _POST, method="post", data=_person_in_run),
    "formation_pin": Route(_run, _POST, method="post", data=_person_in_run),
    "formation_reoptimise": Route(_run, _POST, method="post"),
    "formation_publish": Route(_run, _POST, method="post"),
    "cohort_detail": Route(lambda w: {"cohort_id": _cohort(w).pk}, _PAGE),
    "cohort_group_decide": Route(_cohort_group, _POST, method="post", data=_decision),
    "cohort_group_poll": Route(_cohort_group, _POST, method="post"),
    "call_public": Route(_slug, _EVERYONE),
    "call_apply": Route(_slug, _EVERYONE),
    "application_status": Route(_token, _EVERYONE),
    "application_withdraw": Route(_token, {p: REDIRECT for p in PERSONAS}, method="post"),
}
