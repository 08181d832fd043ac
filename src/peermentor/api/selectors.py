"""Reads for personal access tokens, and for the API's own view of the apps' data.

The API shows what the pages show: it fetches every object through the authorization layer in
``views`` and reads through the apps' selectors; the few queries here only shape the answers.
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from peermentor.api.models import ApiToken
from peermentor.api.services import token_hash
from peermentor.programs.models import Membership, Program, ProgramRole
from peermentor.qualitative.models import Coder


def token_for_secret(*, secret: str) -> ApiToken | None:
    """The live token with this secret (not revoked, not expired, owner active), if any."""
    if not secret or len(secret) > 200:
        return None
    return (
        ApiToken.objects.select_related("user")
        .filter(
            token_hash=token_hash(secret),
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
            user__is_active=True,
        )
        .first()
    )


def lacks_required_second_factor(*, user: Any) -> bool:
    """Whether the installation requires a second factor of this person (staff) who has none:
    the pages would send them to set one up, so their tokens do not work meanwhile."""
    if not settings.PEERMENTOR_REQUIRE_MFA_FOR_STAFF:
        return False
    if not ProgramRole.objects.filter(user_id=user.pk).exists():
        return False
    return not Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()


def tokens_of(*, user: Any) -> QuerySet[ApiToken]:
    """Every token of the person, newest first, revoked and expired ones included."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def programs_of(*, user: Any) -> list[tuple[Program, list[str]]]:
    """Programs the person directs, evaluates or has a group in now, each with their roles."""
    roles: dict[int, set[str]] = {}
    programs: dict[int, Program] = {}
    for role in ProgramRole.objects.filter(user=user).select_related("program"):
        programs[role.program_id] = role.program
        roles.setdefault(role.program_id, set()).add(role.role)
    current = Membership.objects.filter(user=user, left_on__isnull=True)
    for membership in current.select_related("group__program"):
        program = membership.group.program
        programs[program.pk] = program
        roles.setdefault(program.pk, set()).add("member")
    ordered = sorted(programs.values(), key=lambda p: (p.name, p.pk))
    return [(program, sorted(roles[program.pk])) for program in ordered]


def coder_of(*, program: Program, user: Any) -> Coder | None:
    """The evaluator's own coder identity in the program, without creating one."""
    return Coder.objects.filter(program=program, user=user, kind=Coder.Kind.PERSON).first()


def display_name(user: Any) -> str:
    """A person's name as the API shows it: never their e-mail address."""
    if user is None:
        return ""
    return user.name or f"Member {user.pk}"
