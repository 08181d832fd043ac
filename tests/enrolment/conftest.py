"""Fixtures of enrolment: an open call of the world's program and a way to fill it."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

import pytest
from django.utils import timezone

from peermentor.enrolment import services
from peermentor.enrolment.models import Application, Call, FormationRun
from tests.conftest import World

INTERESTS = ["assessment", "simulation", "feedback", "writing", "grants"]
CONSENT = "I agree that the director uses this only to form balanced groups."


def open_call(world: World, **fields: Any) -> Call:
    """An open call of the world's program, taking applications today."""
    today = timezone.localdate()
    values = {
        "title": "Groups 2027",
        "description": "Everyone welcome.",
        "opens_on": today - dt.timedelta(days=1),
        "closes_on": today + dt.timedelta(days=10),
        "interests": INTERESTS,
        "balance_categories": [
            {
                "name": "gender",
                "label": "Gender",
                "options": ["woman", "man"],
                "consent_text": CONSENT,
            }
        ],
        "min_size": 2,
        "max_size": 3,
        "senior_per_group": False,
        "time_zone": "Europe/London",
        "cohort": None,
        **fields,
    }
    call = services.call_save(program=world.program, actor=world.director, **values)
    return services.call_set_status(call=call, status="open", actor=world.director)


def add_applicant(call: Call, n: int, **fields: Any) -> Application:
    """A confirmed application made straight in the database (no e-mail)."""
    values = {
        "name": f"Applicant {n}",
        "email": f"applicant{n}@test.example",
        "career_stage": "junior",
        "department": ["Psychiatry", "Surgery", "Neurology"][n % 3],
        "interests": [INTERESTS[n % 5], INTERESTS[(n + 1) % 5]],
        "availability": ["Tue07", "Thu12"] if n % 2 else ["Tue07", "Wed08"],
        "balance": {"Gender": "woman" if n % 2 else "man"},
        "confirmed_at": timezone.now(),
        "nonce": secrets.token_urlsafe(32),
        **fields,
    }
    return Application.objects.create(call=call, **values)


def done_run(call: Call, applications: list[Application], size: int = 2) -> FormationRun:
    """A finished run whose groups are the applications taken ``size`` at a time."""
    ids = [a.pk for a in applications]
    groups = [ids[i : i + size] for i in range(0, len(ids), size)]
    return FormationRun.objects.create(
        call=call,
        min_size=size,
        max_size=size,
        seconds=0.5,
        applicants=ids,
        status=FormationRun.Status.DONE,
        result={
            "groups": groups,
            "objective": 0,
            "lowest_group_score": 0,
            "bound": 0,
            "gap": 0.0,
            "isolated": 0,
            "seconds": 0.1,
            "method": "test",
            "notes": [],
            "left_out": [],
        },
    )


@pytest.fixture
def call(world: World) -> Call:
    return open_call(world)
