"""User accounts keyed by e-mail, and the faculty profile each person fills in."""

from __future__ import annotations

from typing import Any
from zoneinfo import available_timezones

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models


class UserManager(BaseUserManager["User"]):
    """Creates users identified by e-mail address."""

    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)


TIME_ZONE_CHOICES = sorted((zone, zone) for zone in available_timezones())


class User(AbstractUser):
    """A person who signs in with their e-mail address."""

    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField("e-mail address", unique=True)
    name = models.CharField("full name", max_length=150, blank=True)
    time_zone = models.CharField(max_length=64, default="UTC", choices=TIME_ZONE_CHOICES)
    is_demo = models.BooleanField(default=False, help_text="A fictional person from the demo.")

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()  # type: ignore[misc]

    class Meta:
        ordering = ["name", "email"]

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return (self.name.split() or [self.email])[0]


class Rank(models.TextChoices):
    INSTRUCTOR = "instructor", "Instructor"
    ASSISTANT = "assistant", "Assistant professor"
    ASSOCIATE = "associate", "Associate professor"
    PROFESSOR = "professor", "Professor"
    OTHER = "other", "Other"


class Track(models.TextChoices):
    CLINICIAN_EDUCATOR = "clinician_educator", "Clinician-educator"
    RESEARCH = "research", "Research"
    TENURE = "tenure", "Tenure"
    CLINICAL = "clinical", "Clinical"
    OTHER = "other", "Other"


class Profile(models.Model):
    """What a faculty member tells their program about themselves."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    rank = models.CharField(max_length=32, choices=Rank.choices, blank=True)
    track = models.CharField(max_length=32, choices=Track.choices, blank=True)
    department = models.CharField(max_length=150, blank=True)
    orcid = models.CharField(
        "ORCID iD", max_length=19, blank=True, help_text="For example 0000-0002-1825-0097."
    )
    interests = models.CharField(
        max_length=500, blank=True, help_text="Comma-separated, e.g. medical education, writing."
    )

    def __str__(self) -> str:
        return f"Profile of {self.user}"

    @property
    def interest_list(self) -> list[str]:
        return [item.strip() for item in self.interests.split(",") if item.strip()]
