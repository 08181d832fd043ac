"""Writes for accounts and profiles."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from peermentor.accounts.models import Profile, User
from peermentor.core.audit import audit_record


def user_create(*, email: str, name: str, password: str | None, **extra: Any) -> User:
    """Create a person's account and their empty profile."""
    with transaction.atomic():
        user = User.objects.create_user(email=email, password=password, name=name, **extra)
        Profile.objects.create(user=user)
    return user


def profile_for(*, user: User) -> Profile:
    """The person's profile, created empty on first use."""
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


def profile_update(*, user: User, data: dict[str, Any]) -> Profile:
    """Save the profile fields and the person's name and time zone."""
    profile = profile_for(user=user)
    with transaction.atomic():
        user.name = data["name"]
        user.time_zone = data["time_zone"]
        user.save(update_fields=["name", "time_zone"])
        for field in ("rank", "track", "department", "orcid", "interests"):
            setattr(profile, field, data[field])
        profile.save()
        audit_record(action="profile.updated", actor=user, target=profile)
    return profile
