"""Goals with milestones and check-ins; curriculum topics and year plans; shared resources."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from peermentor.meetings.models import AgendaItem, Meeting
from peermentor.programs.models import Group, Program


class Goal(models.Model):
    """Something a member works towards; private unless they share it."""

    class Category(models.TextChoices):
        SCHOLARSHIP = "scholarship", "Scholarship"
        TEACHING = "teaching", "Teaching"
        LEADERSHIP = "leadership", "Leadership"
        CLINICAL = "clinical", "Clinical"
        CAREER = "career", "Career"
        WELL_BEING = "well_being", "Well-being"

    class Status(models.TextChoices):
        ACTIVE = "active", "In progress"
        ACHIEVED = "achieved", "Achieved"
        PAUSED = "paused", "Paused"
        DROPPED = "dropped", "Dropped"

    class Visibility(models.TextChoices):
        PRIVATE = "private", "Only me"
        GROUP = "group", "My group"
        PROGRAM = "program", "My group and the program director"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="goals"
    )
    group = models.ForeignKey(
        Group,
        on_delete=models.CASCADE,
        related_name="goals",
        help_text="The group whose meetings hold this goal to account.",
    )
    title = models.CharField(max_length=200)
    category = models.CharField(max_length=16, choices=Category.choices)
    done_looks_like = models.TextField("what done looks like", blank=True)
    target_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    visibility = models.CharField(
        max_length=16, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["target_date", "id"]

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    """A step on the way to a goal."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    reached_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class GoalCheckIn(models.Model):
    """Progress on a goal, usually recorded in a meeting's accountability round."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="check_ins")
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="check_ins"
    )
    progress = models.PositiveSmallIntegerField(
        "progress (%)", null=True, blank=True, help_text="0 to 100."
    )
    milestone = models.ForeignKey(
        Milestone,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="milestone reached",
    )
    note = models.TextField(blank=True)
    blocker = models.TextField("what is in the way", blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Check-in on {self.goal}"


class CurriculumTopic(models.Model):
    """A topic of a program's optional library: what to discuss and where to read."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="topics")
    title = models.CharField(max_length=200)
    description = models.TextField()
    questions = models.TextField("questions to discuss", blank=True)
    resources = models.TextField("resources", blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    from_starter_set = models.BooleanField(default=False)

    class Meta:
        ordering = ["position", "title"]
        constraints = [
            models.UniqueConstraint(fields=["program", "title"], name="topic_title_unique")
        ]

    def __str__(self) -> str:
        return self.title


class TopicPlan(models.Model):
    """A topic a group adopted for a meeting: it becomes a curriculum item on the agenda."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="topic_plans")
    topic = models.ForeignKey(CurriculumTopic, on_delete=models.CASCADE, related_name="plans")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="topic_plans")
    agenda_item = models.OneToOneField(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="topic_plan"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "topic"], name="topic_once_per_meeting")
        ]

    def __str__(self) -> str:
        return f"{self.topic} at {self.meeting}"


class Resource(models.Model):
    """A link, file or opportunity shared on a group's board."""

    class Kind(models.TextChoices):
        LINK = "link", "Link"
        FILE = "file", "File"
        OPPORTUNITY = "opportunity", "Opportunity"

    class Opportunity(models.TextChoices):
        ABSTRACTS = "abstracts", "Call for abstracts"
        GRANT = "grant", "Grant"
        AWARD = "award", "Award"
        COMMITTEE = "committee", "Committee opening"
        OTHER = "other", "Other"

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="resources")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    opportunity = models.CharField(max_length=16, choices=Opportunity.choices, blank=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    url = models.URLField(blank=True)
    file = models.FileField(upload_to="resources/%Y/", blank=True)
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    deadline = models.DateField(null=True, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["deadline", "-created_at"]

    def __str__(self) -> str:
        return self.title
