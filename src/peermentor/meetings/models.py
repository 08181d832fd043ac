"""Meetings of a group: polls to find a time, series, agendas, notes, actions, attendance."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from peermentor.programs.models import Group


class MeetingSeries(models.Model):
    """A recurring meeting (an RRULE in the group's time zone); its meetings are materialised."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="meeting_series")
    rrule = models.CharField(max_length=200, help_text="RFC 5545 recurrence rule.")
    first_start = models.DateTimeField(help_text="The first occurrence (stored in UTC).")
    time_zone = models.CharField(max_length=64)
    duration_minutes = models.PositiveSmallIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Series of {self.group}: {self.rrule}"


class Meeting(models.Model):
    """One meeting of a group, kept in UTC with the IANA zone it was planned in."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="meetings")
    series = models.ForeignKey(
        MeetingSeries, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings"
    )
    original_start = models.DateTimeField(
        null=True, blank=True, help_text="For a meeting of a series: the occurrence it replaces."
    )
    starts_at = models.DateTimeField(db_index=True)
    time_zone = models.CharField(max_length=64)
    duration_minutes = models.PositiveSmallIntegerField(default=90)
    place = models.CharField(max_length=200, blank=True)
    video_link = models.URLField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    timekeeper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    notes = models.TextField(blank=True, help_text="Group-private Markdown.")
    notes_version = models.PositiveIntegerField(default=0)
    notes_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    notes_updated_at = models.DateTimeField(null=True, blank=True)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, help_text="iCalendar SEQUENCE.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["group", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.group} meeting on {self.starts_at:%Y-%m-%d}"


class AvailabilityPoll(models.Model):
    """A poll any member opens to find a time: dated options or a weekly standing slot."""

    class Kind(models.TextChoices):
        DATES = "dates", "Dates and times"
        WEEKLY = "weekly", "A standing weekly slot"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        FINALISED = "finalised", "Finalised"
        CLOSED = "closed", "Closed without a time"

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="polls")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.DATES)
    time_zone = models.CharField(max_length=64)
    duration_minutes = models.PositiveSmallIntegerField(default=90)
    deadline = models.DateTimeField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    required_members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        help_text="Members who must be able to come (e.g. the senior mentor).",
    )
    everyone_answered_at = models.DateTimeField(null=True, blank=True)
    finalised_meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class PollOption(models.Model):
    """One candidate time; for a weekly poll, its first occurrence stands for the weekday slot."""

    poll = models.ForeignKey(AvailabilityPoll, on_delete=models.CASCADE, related_name="options")
    starts_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "starts_at"], name="poll_option_unique")
        ]

    def __str__(self) -> str:
        return f"{self.poll}: {self.starts_at:%Y-%m-%d %H:%M}"


class Vote(models.Model):
    """A member's answer for one option."""

    class Answer(models.TextChoices):
        YES = "yes", "Yes"
        IF_NEED_BE = "if_need_be", "If need be"
        NO = "no", "No"

    option = models.ForeignKey(PollOption, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    answer = models.CharField(max_length=12, choices=Answer.choices)
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["option", "user"], name="one_vote_per_option")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.answer}"


class AgendaItem(models.Model):
    """An item a member proposes for a meeting (or for the backlog, with no meeting)."""

    class Kind(models.TextChoices):
        PROFESSIONAL = "professional", "Professional topic"
        ACCOUNTABILITY = "accountability", "Accountability round"
        CURRICULUM = "curriculum", "Curriculum topic"
        PERSONAL = "personal", "Personal check-in"
        STANDING = "standing", "Standing item"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "To discuss"
        DISCUSSED = "discussed", "Discussed"
        CARRIED = "carried", "Carried to the next meeting"
        DROPPED = "dropped", "Dropped"

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="agenda_items")
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="agenda_items"
    )
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.PROFESSIONAL)
    minutes = models.PositiveSmallIntegerField("time box (minutes)", default=15)
    actual_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PROPOSED)
    position = models.PositiveIntegerField(default=0)
    carry_count = models.PositiveSmallIntegerField(default=0)
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_to"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "position", "id"]

    def __str__(self) -> str:
        return self.title


class AgendaVote(models.Model):
    """A member's vote to discuss an agenda item early."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "user"], name="one_agenda_vote_per_member")
        ]

    def __str__(self) -> str:
        return f"Vote for item {self.item_id}"


class ActionItem(models.Model):
    """A commitment a member makes at a meeting; it comes back each meeting until done."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="action_items")
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="action_items"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="action_items"
    )
    title = models.CharField(max_length=200)
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["status", "due_on", "id"]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    """Whether a member came to a meeting."""

    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        LATE = "late", "Late"
        EXCUSED = "excused", "Excused"
        ABSENT = "absent", "Absent"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=8, choices=Status.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="one_attendance_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.status} at meeting {self.meeting_id}"


class CalendarFeed(models.Model):
    """A member's secret calendar feed address; only a hash of its token is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked_at__isnull=True), name="one_live_feed"
            )
        ]

    def __str__(self) -> str:
        return f"Calendar feed of user {self.user_id}"


class ReminderSent(models.Model):
    """A reminder that has gone out: the unique row makes each reminder go out at most once."""

    kind = models.CharField(max_length=32)
    object_id = models.PositiveBigIntegerField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    occasion = models.CharField(max_length=64, help_text="e.g. the meeting start it was for.")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "user", "occasion"], name="reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder {self.object_id} ({self.occasion})"
