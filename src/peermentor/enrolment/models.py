"""Calls for participation, applications, formation runs, cohorts and the groups of a cohort."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from peermentor.accounts.models import Rank, Track
from peermentor.programs.models import TIME_ZONE_CHOICES, Group, Invitation, Program

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri")
HOURS = tuple(range(7, 20))  # the intake grid: 07:00 to 19:00, Monday to Friday
SLOTS = tuple(f"{day}{hour:02d}" for day in WEEKDAYS for hour in HOURS)


class Cohort(models.Model):
    """The groups of a program that run through one term together."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(max_length=120)
    starts_on = models.DateField()
    ends_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["program", "starts_on", "name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="cohort_name_unique"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="cohort_ends_after"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Call(models.Model):
    """A call for participation: a public page and an intake form that lead into groups."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft (not public)"
        OPEN = "open", "Open for applications"
        CLOSED = "closed", "Closed"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="calls")
    cohort = models.ForeignKey(
        Cohort, null=True, blank=True, on_delete=models.SET_NULL, related_name="calls"
    )
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True, help_text="The public page's address.")
    description = models.TextField(blank=True, help_text="Public: shown on the call's page.")
    opens_on = models.DateField()
    closes_on = models.DateField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    interests = models.JSONField(default=list, blank=True)  # the program's list to choose from
    # [{"name": "gender", "label": "Gender", "options": [...], "consent_text": "..."}]
    balance_categories = models.JSONField(default=list, blank=True)
    min_size = models.PositiveSmallIntegerField(default=5)
    max_size = models.PositiveSmallIntegerField(default=8)
    senior_per_group = models.BooleanField(default=False)
    time_zone = models.CharField(max_length=64, default="UTC", choices=TIME_ZONE_CHOICES)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opens_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")), name="call_closes_after"
            ),
            models.CheckConstraint(
                condition=models.Q(max_size__gte=models.F("min_size")), name="call_sizes"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Application(models.Model):
    """One person's intake answers to a call, and where they stand."""

    class Stage(models.TextChoices):
        JUNIOR = "junior", "Junior faculty"
        SENIOR = "senior", "Senior faculty"

    class Status(models.TextChoices):
        APPLIED = "applied", "Applied"
        PLACED = "placed", "Placed in a group"
        WAITLISTED = "waitlisted", "On the waitlist"
        OFFERED = "offered", "Offered a place"
        WITHDRAWN = "withdrawn", "Withdrawn"

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="applications")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
    )
    name = models.CharField(max_length=150)
    email = models.EmailField()
    career_stage = models.CharField(max_length=8, choices=Stage.choices)
    rank = models.CharField(max_length=32, choices=Rank.choices, blank=True)
    track = models.CharField(max_length=32, choices=Track.choices, blank=True)
    department = models.CharField(max_length=150, blank=True)
    interests = models.JSONField(default=list, blank=True)  # chosen from the call's list
    tags = models.JSONField(default=list, blank=True)  # free interest tags
    goals = models.TextField(blank=True)
    availability = models.JSONField(default=list, blank=True)  # slots such as "Tue07"
    exclude_emails = models.JSONField(default=list, blank=True)  # private to the director
    balance = models.JSONField(default=dict, blank=True)  # only the categories consented to
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.APPLIED)
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invitation = models.ForeignKey(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=16, default="form")  # form, released, demo
    nonce = models.CharField(max_length=43, unique=True)
    applied_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["applied_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["call", "email"], name="one_application_per_email")
        ]

    def __str__(self) -> str:
        return f"{self.name} → {self.call}"

    @property
    def is_senior(self) -> bool:
        return self.career_stage == self.Stage.SENIOR


class FormationRun(models.Model):
    """One run of group formation for a call: its parameters, pins, progress and result."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for a worker"
        RUNNING = "running", "Forming groups"
        DONE = "done", "Proposed"
        FAILED = "failed", "Could not form groups"
        PUBLISHED = "published", "Published"

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="runs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    min_size = models.PositiveSmallIntegerField()
    max_size = models.PositiveSmallIntegerField()
    senior_per_group = models.BooleanField(default=False)
    seconds = models.FloatField(default=10)
    groups = models.PositiveSmallIntegerField(null=True, blank=True)  # None: the fewest
    applicants = models.JSONField(default=list)  # application ids taken into the run
    pins = models.JSONField(default=dict, blank=True)  # application id -> group index
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    result = models.JSONField(default=dict, blank=True)
    edited = models.BooleanField(default=False)  # people moved by hand since the run
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Formation run {self.pk} of {self.call}"


class CohortGroup(models.Model):
    """A group's term in a cohort, and what happens to it at the end of the term."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Meeting this term"
        RENEWED = "renewed", "Renewed into the next cohort"
        CLOSED = "closed", "Closed"
        RELEASED = "released", "Closed; members released into the next call"

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="cohort_groups")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")
    run = models.ForeignKey(
        FormationRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    max_size = models.PositiveSmallIntegerField(default=8)
    common_slots = models.JSONField(default=list, blank=True)
    poll_id = models.PositiveIntegerField(null=True, blank=True)  # the seeded first poll
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["cohort", "group__name"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "group"], name="group_once_per_cohort")
        ]

    def __str__(self) -> str:
        return f"{self.group} in {self.cohort}"
