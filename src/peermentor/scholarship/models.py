"""Works (publications, presentations, grants…), their sources, authorships, career events."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from peermentor.scholarship.records import WORK_TYPES

WORK_TYPE_CHOICES = [(t, t.replace("_", " ").capitalize()) for t in WORK_TYPES]


class Work(models.Model):
    """One scholarly work, merged across every file it was imported from."""

    type = models.CharField(max_length=24, choices=WORK_TYPE_CHOICES)
    title = models.TextField()
    venue = models.CharField(max_length=500, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True, db_index=True)
    date = models.CharField(max_length=10, blank=True, help_text="ISO date, as precise as known.")
    doi = models.CharField(max_length=200, blank=True)
    pmid = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "title"]
        constraints = [
            models.UniqueConstraint(fields=["doi"], condition=~Q(doi=""), name="work_doi_unique"),
            models.UniqueConstraint(
                fields=["pmid"], condition=~Q(pmid=""), name="work_pmid_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.title[:80]


class ImportBatch(models.Model):
    """One imported file: what it held and what became of each record."""

    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    file_name = models.CharField(max_length=200)
    format = models.CharField(max_length=32)
    records = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    merged = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.format})"


class WorkSource(models.Model):
    """Where a work came from: every file and record it was seen in is kept."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="sources")
    batch = models.ForeignKey(
        ImportBatch, null=True, on_delete=models.SET_NULL, related_name="sources"
    )
    source_format = models.CharField(max_length=32)
    source_record = models.CharField(max_length=200)

    def __str__(self) -> str:
        return f"{self.source_format}: {self.source_record}"


class Authorship(models.Model):
    """An author of a work in byline order; linked to a member when matched or claimed."""

    class Match(models.TextChoices):
        ORCID = "orcid", "ORCID iD"
        NAME = "name", "Name"
        MANUAL = "manual", "Added by the member"

    class Claim(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed"
        PENDING = "pending", "Waiting for the member"
        REJECTED = "rejected", "Not this member"

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="authorships")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=300)
    orcid = models.CharField(max_length=19, blank=True)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="authorships",
    )
    match = models.CharField(max_length=8, choices=Match.choices, blank=True)
    claim = models.CharField(max_length=12, choices=Claim.choices, blank=True)
    confidence = models.FloatField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["work", "position"]
        indexes = [models.Index(fields=["member", "claim"])]

    def __str__(self) -> str:
        return f"{self.name} on {self.work_id}"


class CareerEvent(models.Model):
    """A promotion, award or leadership role, with its date."""

    class Kind(models.TextChoices):
        PROMOTION = "promotion", "Promotion"
        AWARD = "award", "Award"
        LEADERSHIP = "leadership", "Leadership role"
        OTHER = "other", "Other"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="career_events"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    title = models.CharField(max_length=200)
    date = models.DateField()

    class Meta:
        ordering = ["-date"]

    def __str__(self) -> str:
        return self.title
