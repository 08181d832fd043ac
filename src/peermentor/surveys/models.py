"""Instruments with sections and questions, waves sent to groups, invitees, drafts and answers.

Anonymity is a property of the schema: a ``Response`` of an anonymous wave has no link to a
person, no timestamp and a random primary key (so its row order says nothing about who answered
when); ``WaveInvitee`` records only *whether* someone answered, never when or which response.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from peermentor.programs.models import Group, Program
from peermentor.surveys import records


class Instrument(models.Model):
    """One version of a questionnaire of a program; a version with answers is never changed."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="instruments")
    name = models.CharField(max_length=200)
    version = models.PositiveIntegerField(default=1)
    previous_version = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next_versions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "name", "version"], name="instrument_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} (version {self.version})"


class Section(models.Model):
    """A titled set of questions of an instrument."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="sections")
    key = models.SlugField(max_length=200)
    title = models.CharField(max_length=200)
    optional = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "key"], name="section_key_unique")
        ]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    """One question; ``choices`` is a list of ``[code, label]`` pairs in display order."""

    class Type(models.TextChoices):
        OPEN_TEXT = records.OPEN_TEXT, "Open text"
        LIKERT = records.LIKERT, "Likert scale"
        SINGLE_CHOICE = records.SINGLE_CHOICE, "Single choice"
        MULTIPLE_CHOICE = records.MULTIPLE_CHOICE, "Multiple choice"
        NUMBER = records.NUMBER, "Number"

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="questions"
    )
    key = models.CharField(max_length=200)
    type = models.CharField(max_length=16, choices=Type.choices)
    label = models.TextField()
    choices = models.JSONField(default=list, blank=True)
    position = models.PositiveIntegerField(default=0)
    required = models.BooleanField(default=False)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "key"], name="question_key_unique")
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def program(self) -> Program:
        """The program of the question's instrument (for the authorization rules)."""
        return self.instrument.program

    @property
    def is_closed(self) -> bool:
        return self.type in records.CHOICE_TYPES

    def choice_label(self, code: str) -> str:
        """The label of one choice code, or the code when the question does not list it."""
        return dict((str(c), str(label)) for c, label in self.choices).get(code, code)


class Wave(models.Model):
    """An instrument sent to some groups of a program, open between two dates."""

    class Kind(models.TextChoices):
        BASELINE = "baseline", "Baseline"
        YEARLY = "yearly", "Yearly"
        CLOSE_OUT = "close_out", "Close-out"
        CUSTOM = "custom", "Custom"

    class Mode(models.TextChoices):
        ANONYMOUS = "anonymous", "Anonymous: no names are stored with answers"
        IDENTIFIED = "identified", "Identified, with each respondent's consent"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="waves")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="waves")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.CUSTOM)
    mode = models.CharField(max_length=16, choices=Mode.choices, default=Mode.ANONYMOUS)
    opens_on = models.DateField()
    closes_on = models.DateField()
    groups = models.ManyToManyField(Group, blank=True, related_name="survey_waves")
    left_out_sections = models.ManyToManyField(
        Section,
        blank=True,
        related_name="+",
        help_text="Optional sections of the instrument that this wave does not ask.",
    )
    consent_text = models.TextField(blank=True)
    imported_from = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="wave_closes_after_opening"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_anonymous(self) -> bool:
        return self.mode == self.Mode.ANONYMOUS


class WaveInvitee(models.Model):
    """A person asked to answer a wave; records only *whether* they answered, never when."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="invitees")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_invitations"
    )
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    answered = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["wave", "user"], name="one_invitation_per_wave")
        ]

    def __str__(self) -> str:
        return f"{self.user} for {self.wave}"


class Draft(models.Model):
    """Answers saved before submitting; deleted when the response is submitted."""

    invitee = models.OneToOneField(WaveInvitee, on_delete=models.CASCADE, related_name="draft")
    answers = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"Draft for {self.invitee_id}"


class Response(models.Model):
    """One submitted questionnaire: no timestamp, and a person only in identified waves."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="responses")
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Only in identified waves, with the respondent's consent.",
    )
    consented = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(respondent__isnull=True) | Q(consented=True),
                name="identified_response_needs_consent",
            )
        ]

    def __str__(self) -> str:
        return f"Response to {self.wave}"


class Answer(models.Model):
    """The answer to one question: text, a number, or choice codes."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    text = models.TextField(blank=True)
    number = models.FloatField(null=True, blank=True)
    choices = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question")
        ]

    def __str__(self) -> str:
        return f"Answer to {self.question}"
