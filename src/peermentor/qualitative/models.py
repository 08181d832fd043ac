"""The qualitative workbench: codes, coded passages of answers, coders, rounds, memos, themes.

A program has one workbench. Its **sources** are open-ended answers brought in from the surveys
(pseudonymised once, when they are brought in: the workbench never holds a name) or read from a
REFI-QDA project. Text positions are Unicode code points, zero-based, end exclusive, as in
``qualitative.refi_model``; ``source.text[start:end]`` is the coded passage.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from peermentor.programs.models import Group, Program


class Polarity(models.TextChoices):
    BENEFIT = "benefit", "Benefit"
    UNDESIRABLE = "undesirable", "Undesirable or unintended"
    NEUTRAL = "neutral", "Neutral"


class Code(models.Model):
    """A code of a program's codebook; codes nest under a parent code."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="codes")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    guid = models.UUIDField(default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    definition = models.TextField(blank=True)
    when_to_use = models.TextField(blank=True)
    when_not_to_use = models.TextField(blank=True)
    example = models.TextField(blank=True)
    color = models.CharField(max_length=7, default="#1f6feb")
    polarity = models.CharField(max_length=16, choices=Polarity.choices, default=Polarity.NEUTRAL)
    # A folder that only groups other codes (REFI-QDA's isCodable="false").
    is_codable = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "guid"], name="code_guid_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class CodebookVersion(models.Model):
    """A frozen copy of the codebook, numbered, so reports can say which codebook was used."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="codebook_versions")
    number = models.PositiveIntegerField()
    note = models.CharField(max_length=300, blank=True)
    # The codebook as plain data: a list of codes with their fields and their parent's guid.
    snapshot = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="codebook_version_unique"),
        ]

    def __str__(self) -> str:
        return f"Codebook version {self.number}"


class Coder(models.Model):
    """Who applied a code: an evaluator, the assistant, the team's consensus, or a person named
    in an imported REFI-QDA project."""

    class Kind(models.TextChoices):
        PERSON = "person", "Evaluator"
        ASSISTANT = "assistant", "Assistant"
        CONSENSUS = "consensus", "Consensus"
        IMPORTED = "imported", "Imported coder"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="coders")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coder_identities",
    )
    name = models.CharField(max_length=200)
    guid = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "user"],
                condition=Q(kind="person"),
                name="one_coder_per_evaluator",
            ),
            models.UniqueConstraint(
                fields=["program", "kind"],
                condition=Q(kind__in=["assistant", "consensus"]),
                name="one_assistant_and_consensus_coder",
            ),
            models.UniqueConstraint(fields=["program", "guid"], name="coder_guid_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class CodingRound(models.Model):
    """A stretch of coding by several coders; a blind round hides each coder's work from the
    others until it closes, then its disagreements are compared and settled by consensus."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="coding_rounds")
    name = models.CharField(max_length=200)
    blind = models.BooleanField(default=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    coders = models.ManyToManyField(Coder, related_name="rounds", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Source(models.Model):
    """A text to code: one open-ended answer, pseudonymised when it was brought in, or a text
    source of an imported REFI-QDA project."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="coding_sources")
    guid = models.UUIDField(default=uuid.uuid4, editable=False)
    answer = models.OneToOneField(
        "surveys.Answer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coding_source",
    )
    wave = models.ForeignKey(
        "surveys.Wave", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    question = models.ForeignKey(
        "surveys.Question", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Only for groups of five or more members (see surveys.pseudonymise.group_label).
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # "R01" (a wave's respondent code), or the case name of an imported project: never a name.
    respondent = models.CharField(max_length=200, blank=True)
    name = models.CharField(max_length=300)
    text = models.TextField()
    # Respondent variables (REFI-QDA case variables), name → value as text.
    variables = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["wave_id", "question_id", "respondent", "name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "guid"], name="source_guid_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Segment(models.Model):
    """A code applied by a coder to ``source.text[start:end]`` (code points, end exclusive).

    ``start == 0 and end == len(text)`` codes the whole answer."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="segments")
    code = models.ForeignKey(Code, on_delete=models.CASCADE, related_name="segments")
    coder = models.ForeignKey(Coder, on_delete=models.CASCADE, related_name="segments")
    round = models.ForeignKey(
        CodingRound, null=True, blank=True, on_delete=models.SET_NULL, related_name="segments"
    )
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    guid = models.UUIDField(default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["source_id", "start", "end"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="segment_not_empty"),
            models.UniqueConstraint(
                fields=["source", "code", "coder", "start", "end"], name="segment_once_per_coder"
            ),
        ]
        indexes = [models.Index(fields=["code", "coder"])]

    def __str__(self) -> str:
        return f"{self.code} [{self.start}:{self.end}] by {self.coder}"


class Memo(models.Model):
    """A note of the evaluation team: on a code, a source (answer), a segment, or the project."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="memos")
    guid = models.UUIDField(default=uuid.uuid4, editable=False)
    # Who wrote it, as a member of the workbench: an evaluator's coder identity (see
    # ``services.coder_for``) or a person named in an imported project.
    author = models.ForeignKey(
        Coder, null=True, blank=True, on_delete=models.SET_NULL, related_name="memos"
    )
    title = models.CharField(max_length=200)
    text = models.TextField()
    code = models.ForeignKey(
        Code, null=True, blank=True, on_delete=models.CASCADE, related_name="memos"
    )
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.CASCADE, related_name="memos"
    )
    segment = models.ForeignKey(
        Segment, null=True, blank=True, on_delete=models.CASCADE, related_name="memos"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.title


class Theme(models.Model):
    """A finding: codes grouped under one statement, with exemplar quotes for the report."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    polarity = models.CharField(max_length=16, choices=Polarity.choices, default=Polarity.NEUTRAL)
    codes = models.ManyToManyField(Code, related_name="themes", blank=True)
    position = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Exemplar(models.Model):
    """A quote chosen to illustrate a theme; reports show it only once it is published."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="exemplars")
    segment = models.ForeignKey(
        Segment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="+")
    # The quoted words, copied from the pseudonymised source when chosen.
    quote = models.TextField()
    respondent = models.CharField(max_length=200, blank=True)
    published = models.BooleanField(default=False)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["theme_id", "created_at"]

    def __str__(self) -> str:
        return f"{self.respondent}: {self.quote[:60]}"


class KeywordRule(models.Model):
    """ "Suggest this code for every answer containing …" — suggestions, never applied silently."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="keyword_rules")
    code = models.ForeignKey(Code, on_delete=models.CASCADE, related_name="keyword_rules")
    pattern = models.CharField(max_length=200)
    whole_word = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.pattern} → {self.code}"


class Suggestion(models.Model):
    """A code the assistant (a model or a keyword rule) proposes for a source, and what the
    evaluator decided. Accepted suggestions become segments of the assistant coder."""

    class Origin(models.TextChoices):
        MODEL = "model", "Learned from the team's coding"
        KEYWORD = "keyword", "Keyword rule"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="suggestions")
    code = models.ForeignKey(Code, on_delete=models.CASCADE, related_name="suggestions")
    origin = models.CharField(max_length=8, choices=Origin.choices)
    confidence = models.FloatField()
    # How many coded answers the model learned from (0 for keyword rules).
    trained_on = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-confidence"]
        constraints = [
            models.UniqueConstraint(fields=["source", "code"], name="one_suggestion_per_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} for {self.source} ({self.confidence:.2f})"
