"""Sensitive pages are never stored, and the sensitive actions leave audit entries.

Every GET page of the access matrix, for every signed-in persona that may open it, answers
with ``Cache-Control: no-store``; so do the refusals. Audit entries are written for sign-ins,
refused authorisations, exports and access to the raw survey answers.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from peermentor.core.models import AuditEntry
from tests.access_support import FORBIDDEN, NOT_FOUND, OK, survey_wave
from tests.conftest import PASSWORD, PERSONAS, World, client_for
from tests.test_access_matrix import MATRIX, _meeting_kwargs

SIGNED_IN = [p for p in PERSONAS if p != "anonymous"]


def _no_store(response: Any) -> bool:
    directives = {d.strip().split("=")[0] for d in response.get("Cache-Control", "").split(",")}
    return "no-store" in directives


# Content-addressed charts of aggregate figures, which the person's own browser may keep.
PRIVATELY_KEPT = {"program_figures_chart"}


def test_every_signed_in_page_is_not_stored(world: World) -> None:
    clients = {p: client_for(world.persona(p)) for p in SIGNED_IN}
    checked, stored = 0, []
    for name, route in sorted(MATRIX.items()):
        if route.method != "get":
            continue
        url = reverse(name, kwargs=route.kwargs(world))
        for persona in SIGNED_IN:
            if route.expected[persona] not in (OK, FORBIDDEN, NOT_FOUND):
                continue
            response = clients[persona].get(url)
            checked += 1
            if name in PRIVATELY_KEPT and response.status_code == OK:
                continue  # checked below
            if not _no_store(response):
                stored.append(f"{name} as {persona}: {response.get('Cache-Control')!r}")
    assert checked > 200, checked
    assert not stored, "\n".join(stored)


def test_dashboard_charts_are_kept_only_by_the_browser_and_only_while_unchanged(
    world: World,
) -> None:
    route = MATRIX["program_figures_chart"]
    kwargs = route.kwargs(world)
    response = client_for(world.director).get(reverse("program_figures_chart", kwargs=kwargs))
    assert response.status_code == OK
    assert response["Content-Type"] == "image/svg+xml"
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "immutable", "max-age=3600"} <= directives
    assert not directives & {"public", "no-store"}
    stale = client_for(world.director).get(
        reverse("program_figures_chart", kwargs={**kwargs, "digest": "0" * 16})
    )
    assert stale.status_code == NOT_FOUND
    assert _no_store(stale)
    assert {name for name in MATRIX if name.endswith("_chart")} == PRIVATELY_KEPT


def test_exports_are_not_stored(world: World) -> None:
    wave = survey_wave(world)
    for fmt in ("csv", "xlsx"):
        response = client_for(world.evaluator).get(
            reverse("wave_answers_export", args=[wave.pk, fmt])
        )
        assert response.status_code == OK
        assert _no_store(response)
        assert "private" in response["Cache-Control"]


# --- Audit ------------------------------------------------------------------------------------


def _entries(action: str, **filters: Any) -> int:
    return AuditEntry.objects.filter(action=action, **filters).count()


def test_sign_in_is_audited_with_the_address(world: World) -> None:
    response = client_for(None).post(
        reverse("account_login"),
        {"login": world.evaluator.email, "password": PASSWORD},
        REMOTE_ADDR="192.0.2.33",
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="account.signed_in")
    assert (entry.actor, entry.ip_address) == (world.evaluator, "192.0.2.33")


@pytest.mark.parametrize(
    ("route", "persona", "status"),
    [
        ("meeting_detail", "outsider", NOT_FOUND),
        ("meeting_detail", "director", NOT_FOUND),
        ("meeting_notes", "evaluator", NOT_FOUND),
        ("charter", "director", FORBIDDEN),
        ("goal_detail", "outsider", NOT_FOUND),
        ("wave_answers", "director", FORBIDDEN),
        ("wave_answers", "member", NOT_FOUND),
        ("wave_answers_export", "director", FORBIDDEN),
        ("resource_download", "far_member", NOT_FOUND),
        ("program_detail", "other_director", NOT_FOUND),
        ("workbench_home", "director", FORBIDDEN),
        ("application_list", "evaluator", FORBIDDEN),
    ],
)
def test_refused_authorisations_are_audited(
    world: World, route: str, persona: str, status: int
) -> None:
    kwargs = MATRIX[route].kwargs(world) if route in MATRIX else _meeting_kwargs(world)
    user = world.persona(persona)
    before = _entries("authorization.denied", actor=user)
    response = client_for(user).get(reverse(route, kwargs=kwargs))
    assert response.status_code == status
    assert _entries("authorization.denied", actor=user) == before + 1
    entry = AuditEntry.objects.filter(action="authorization.denied", actor=user).latest("pk")
    assert entry.target_type
    assert entry.target_id
    assert entry.details["permission"]


def test_reading_raw_answers_is_audited(world: World) -> None:
    wave = survey_wave(world)
    response = client_for(world.evaluator).get(reverse("wave_answers", args=[wave.pk]))
    assert response.status_code == OK
    entry = AuditEntry.objects.get(action="survey.answers_viewed")
    assert (entry.actor, entry.target_id) == (world.evaluator, str(wave.pk))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exporting_answers_is_audited(world: World, fmt: str) -> None:
    wave = survey_wave(world)
    response = client_for(world.evaluator).get(reverse("wave_answers_export", args=[wave.pk, fmt]))
    assert response.status_code == OK
    entry = AuditEntry.objects.get(action="survey.answers_exported")
    assert (entry.actor, entry.target_id, entry.details["fmt"]) == (
        world.evaluator,
        str(wave.pk),
        fmt,
    )


@pytest.mark.parametrize("route", ["workbench_export_qdpx", "workbench_export_qdc"])
def test_workbench_exports_are_audited(world: World, route: str) -> None:
    from peermentor.qualitative import services

    services.code_create(program=world.program, actor=world.evaluator, name="Belonging")
    response = client_for(world.evaluator).get(reverse(route, args=[world.program.slug]))
    assert response.status_code == OK
    entry = AuditEntry.objects.get(action="workbench.exported")
    assert (entry.actor, entry.target_id) == (world.evaluator, str(world.program.pk))


def test_refused_exports_leave_no_export_entry(world: World) -> None:
    wave = survey_wave(world)
    client_for(world.director).get(reverse("wave_answers_export", args=[wave.pk, "csv"]))
    client_for(world.director).get(reverse("workbench_export_qdpx", args=[world.program.slug]))
    assert not _entries("survey.answers_exported")
    assert not _entries("workbench.exported")
    assert _entries("authorization.denied", actor=world.director) == 2
