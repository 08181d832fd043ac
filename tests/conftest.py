"""Shared fixtures: the fixed personas of STYLE.md, used by nearly every test."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

PASSWORD = "a-long-test-password-42"


def pytest_sessionstart(session: pytest.Session) -> None:
    """In CI, a run against PostgreSQL that cannot reach it fails instead of skipping."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres", "postgresql")):
        return
    import psycopg

    try:
        psycopg.connect(url.replace("postgres://", "postgresql://", 1), connect_timeout=5).close()
    except psycopg.OperationalError as error:
        pytest.exit(f"PostgreSQL at DATABASE_URL is not reachable: {error}", returncode=3)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with no login rate-limit counters from another."""
    from django.core.cache import cache

    cache.clear()


@dataclass
class World:
    """Two programs, three groups and one person for each persona of STYLE.md."""

    program: Any
    other_program: Any
    group: Any
    other_group: Any
    far_group: Any
    member: Any
    other_member: Any
    outsider: Any
    senior: Any
    director: Any
    evaluator: Any
    other_director: Any
    admin: Any
    far_member: Any

    def persona(self, name: str) -> Any:
        return None if name == "anonymous" else getattr(self, name)

    def membership_of(self, user: Any) -> Any:
        return user.memberships.get(group=self.group, left_on__isnull=True)


PERSONAS = [
    "anonymous",
    "member",
    "other_member",
    "outsider",
    "senior",
    "director",
    "evaluator",
    "other_director",
    "admin",
]


def make_user(email: str, name: str, **extra: Any) -> Any:
    from peermentor.accounts.services import user_create

    return user_create(email=email, name=name, password=PASSWORD, **extra)


@pytest.fixture
def world(db: Any) -> World:
    from peermentor.programs import services
    from peermentor.programs.models import MemberRole, ProgramRole

    director = make_user("director@test.example", "Dana Director")
    other_director = make_user("other-director@test.example", "Ola Otherdirector")
    evaluator = make_user("evaluator@test.example", "Eve Evaluator")
    admin = make_user("admin@test.example", "Ada Admin", is_staff=True, is_superuser=True)
    program = services.program_create(name="Psychiatry PMG", slug="psych", creator=director)
    other_program = services.program_create(name="Surgery PMG", slug="surg", creator=other_director)
    services.program_role_grant(
        program=program, user=evaluator, role=ProgramRole.Role.EVALUATOR, actor=director
    )
    formed = dt.date(2020, 1, 6)
    group = services.group_create(
        program=program, name="Group A", time_zone="Europe/London", formed_on=formed, actor=director
    )
    other_group = services.group_create(
        program=program, name="Group B", time_zone="UTC", formed_on=formed, actor=director
    )
    far_group = services.group_create(
        program=other_program,
        name="Group S",
        time_zone="UTC",
        formed_on=formed,
        actor=other_director,
    )
    people = {}
    for key, target, role in [
        ("member", group, MemberRole.MEMBER),
        ("other_member", group, MemberRole.MEMBER),
        ("senior", group, MemberRole.SENIOR_MENTOR),
        ("outsider", other_group, MemberRole.MEMBER),
        ("far_member", far_group, MemberRole.MEMBER),
    ]:
        people[key] = make_user(f"{key.replace('_', '-')}@test.example", key.title())
        services.membership_add(
            group=target, user=people[key], role=role, joined_on=formed, actor=director
        )
    return World(
        program=program,
        other_program=other_program,
        group=group,
        other_group=other_group,
        far_group=far_group,
        director=director,
        evaluator=evaluator,
        other_director=other_director,
        admin=admin,
        **people,
    )


def client_for(user: Any, *, csrf: bool = False) -> Client:
    """A test client signed in as ``user`` (anonymous for None)."""
    client = Client(enforce_csrf_checks=csrf)
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client
