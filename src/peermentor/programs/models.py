"""Programs run by directors, their groups, memberships with history, invitations, charters."""

from __future__ import annotations

from zoneinfo import available_timezones

from django.conf import settings
from django.db import models
from django.db.models import Q

TIME_ZONE_CHOICES = sorted((zone, zone) for zone in available_timezones())


class Program(models.Model):
    """A faculty-development program of one or more peer mentoring groups."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    description = models.TextField(blank=True)
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProgramRole(models.Model):
    """A person who runs (director) or evaluates (evaluator) a program."""

    class Role(models.TextChoices):
        DIRECTOR = "director", "Program director"
        EVALUATOR = "evaluator", "Evaluator"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="program_roles"
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program", "user", "role"], name="one_role_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} of {self.program}"


class Group(models.Model):
    """A peer mentoring group inside a program."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(max_length=120)
    time_zone = models.CharField(max_length=64, default="UTC", choices=TIME_ZONE_CHOICES)
    formed_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["program", "formed_on", "name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="group_name_unique_in_program")
        ]

    def __str__(self) -> str:
        return self.name


class MemberRole(models.TextChoices):
    MEMBER = "member", "Member"
    SENIOR_MENTOR = "senior_mentor", "Senior mentor"


class LeaveReason(models.TextChoices):
    COMPLETED = "completed", "Completed the program"
    LEFT_INSTITUTION = "left_institution", "Left the institution"
    WORKLOAD = "workload", "Workload or competing demands"
    MOVED_GROUP = "moved_group", "Moved to another group"
    GROUP_CLOSED = "group_closed", "The group closed"
    OTHER = "other", "Other"


class Membership(models.Model):
    """A person's time in a group: kept after they leave so retention can be measured."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=MemberRole.choices, default=MemberRole.MEMBER)
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)
    leave_reason = models.CharField(max_length=32, choices=LeaveReason.choices, blank=True)

    class Meta:
        ordering = ["group", "joined_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user"],
                condition=Q(left_on__isnull=True),
                name="one_current_membership_per_group",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="left_after_joined",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.group}"

    @property
    def is_current(self) -> bool:
        return self.left_on is None


class Invitation(models.Model):
    """A signed, expiring, single-use invitation to join a group or to help run a program."""

    class Role(models.TextChoices):
        MEMBER = "member", "Member"
        SENIOR_MENTOR = "senior_mentor", "Senior mentor"
        DIRECTOR = "director", "Program director"
        EVALUATOR = "evaluator", "Evaluator"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="invitations")
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(max_length=16, choices=Role.choices)
    nonce = models.CharField(max_length=43, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.email} to {self.group or self.program}"


class Charter(models.Model):
    """One version of a group's charter: proposed by a member, in force once members approve."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ADOPTED = "adopted", "In force"
        SUPERSEDED = "superseded", "Replaced by a later version"
        REJECTED = "rejected", "Not approved"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Format(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        VIDEO = "video", "Video call"
        HYBRID = "hybrid", "Hybrid"

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="charters")
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PROPOSED)
    meeting_format = models.CharField(max_length=16, choices=Format.choices)
    cadence_weeks = models.PositiveSmallIntegerField(
        "meet every (weeks)", help_text="The published group met about every six weeks."
    )
    meeting_minutes = models.PositiveSmallIntegerField("meeting length (minutes)", default=60)
    goals = models.TextField("what the group is for", blank=True)
    norms = models.TextField("norms", blank=True)
    confidentiality = models.TextField("confidentiality agreement")
    uses_senior_mentor = models.BooleanField("a senior mentor takes part", default=False)
    senior_mentor_required = models.BooleanField("meetings need the senior mentor", default=False)
    uses_facilitator_rota = models.BooleanField("rotate facilitator and timekeeper", default=True)
    personal_checkin_minutes = models.PositiveSmallIntegerField(
        "personal check-in limit (minutes)", default=10
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["group", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["group", "version"], name="charter_version_unique"),
            models.UniqueConstraint(
                fields=["group"],
                condition=Q(status="proposed"),
                name="one_open_charter_proposal",
            ),
            models.UniqueConstraint(
                fields=["group"], condition=Q(status="adopted"), name="one_charter_in_force"
            ),
        ]

    def __str__(self) -> str:
        return f"Charter v{self.version} of {self.group}"


class CharterDecision(models.Model):
    """A member's approval of, or objection to, a proposed charter."""

    class Decision(models.TextChoices):
        APPROVE = "approve", "Approve"
        OBJECT = "object", "Object"

    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="decisions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    decision = models.CharField(max_length=8, choices=Decision.choices)
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["charter", "user"], name="one_decision_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.decision}s {self.charter}"
